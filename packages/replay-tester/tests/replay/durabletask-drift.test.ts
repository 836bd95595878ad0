import { beforeAll, describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import type { History } from "../../src/history/model.js";
import { loadModule, pickOrchestrator } from "../../src/load/load-module.js";
import { recordHistory } from "../../src/record/record.js";
import { replayHistory } from "../../src/replay/replay-history.js";

const dir = fileURLToPath(new URL("../../../../fixtures/histories/durabletask/", import.meta.url));
const v1 = `${dir}v1.ts`;

const chainStubs = { greet: "Hello Tokyo", shout: "HELLO TOKYO", sign: "HELLO TOKYO -- signed" };
let chain: History;
let fanOut: History;
let parent: History;

async function replayOn(module: string, history: History, strict = false) {
  const loaded = await loadModule(`${dir}${module}`);
  const name = history.events.find((e) => e.kind === "executionStarted")!;
  return replayHistory(history, pickOrchestrator(loaded, "name" in name ? name.name : undefined), { strict });
}

beforeAll(async () => {
  chain = await recordHistory({ module: v1, orchestrator: "chain", input: "Tokyo", stubs: chainStubs });
  fanOut = await recordHistory({ module: v1, orchestrator: "fanOut", input: [1, 2, 3], stubs: { work: 2, aggregate: 6 } });
  parent = await recordHistory({
    module: v1,
    orchestrator: "parent",
    stubs: { subOrchestrations: { child: "grown" }, activities: { report: "reported" } },
  });
});

describe("durabletask-js replay: drift kinds give the exact first divergence", () => {
  it("replays a history on the code that recorded it as ok", async () => {
    for (const history of [chain, fanOut, parent]) {
      const result = await replayOn("v1.ts", history, true);
      expect(result.status, JSON.stringify(result.divergence)).toBe("ok");
    }
  });

  it("renamed activity", async () => {
    const result = await replayOn("drift-renamed-activity.ts", chain);
    expect(result.status).toBe("diverged");
    expect(result.divergence).toMatchObject({
      reason: "wrong-name",
      episode: 1,
      eventIndex: 6,
      expected: { kind: "activity", id: 2, name: "shout" },
      produced: { kind: "activity", id: 2, name: "yell", location: { file: `${dir}drift-renamed-activity.ts`, line: 6 } },
    });
    expect(result.divergence?.sdkMessage).toContain("name='shout'");
  });

  it("reordered calls", async () => {
    const result = await replayOn("drift-reordered-calls.ts", chain);
    expect(result.divergence).toMatchObject({
      reason: "wrong-name",
      episode: 1,
      eventIndex: 6,
      expected: { kind: "activity", id: 2, name: "shout" },
      produced: { kind: "activity", id: 2, name: "sign", location: { line: 6 } },
    });
  });

  it("inserted timer", async () => {
    const result = await replayOn("drift-inserted-timer.ts", chain);
    expect(result.divergence).toMatchObject({
      reason: "wrong-kind",
      episode: 1,
      eventIndex: 6,
      expected: { kind: "activity", id: 2, name: "shout" },
      produced: { kind: "timer", id: 2, location: { line: 6 } },
    });
  });

  it("removed call", async () => {
    const result = await replayOn("drift-removed-call.ts", chain);
    expect(result.divergence).toMatchObject({
      reason: "missing",
      episode: 2,
      eventIndex: 10,
      expected: { kind: "activity", id: 3, name: "sign" },
    });
    expect(result.divergence?.produced).toBeUndefined();
  });

  it("changed sub-orchestration name", async () => {
    const result = await replayOn("drift-renamed-suborchestration.ts", parent);
    expect(result.divergence).toMatchObject({
      reason: "wrong-name",
      episode: 0,
      eventIndex: 2,
      expected: { kind: "subOrchestration", id: 1, name: "child" },
      produced: { kind: "subOrchestration", id: 1, name: "kid", location: { line: 5 } },
    });
  });

  it("wider fan-out", async () => {
    const result = await replayOn("drift-fanout-wider.ts", fanOut);
    // History: work #1..#3 in episode 0, then aggregate #4 once all three completed.
    expect(result.divergence).toMatchObject({
      reason: "wrong-name",
      episode: 1,
      expected: { kind: "activity", id: 4, name: "aggregate" },
      produced: { kind: "activity", id: 4, name: "work", location: { line: 5 } },
    });
    expect(fanOut.events[result.divergence!.eventIndex]).toMatchObject({ kind: "taskScheduled", eventId: 4, name: "aggregate" });
  });

  it("narrower fan-out", async () => {
    const result = await replayOn("drift-fanout-narrower.ts", fanOut);
    expect(result.divergence).toMatchObject({
      reason: "missing",
      episode: 0,
      eventIndex: 4,
      expected: { kind: "activity", id: 3, name: "work" },
    });
  });
});
