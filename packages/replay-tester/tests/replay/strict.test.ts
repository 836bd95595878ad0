import { beforeAll, describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import type { History } from "../../src/history/model.js";
import { loadModule, pickOrchestrator } from "../../src/load/load-module.js";
import { recordHistory } from "../../src/record/record.js";
import { replayHistory } from "../../src/replay/replay-history.js";
import { renderResult } from "../../src/report/render.js";

const dir = fileURLToPath(new URL("../../../../fixtures/histories/durabletask/", import.meta.url));
let chain: History;
let timer: History;

async function replayAs(name: string, history: History, strict: boolean) {
  const target = pickOrchestrator(await loadModule(`${dir}drift-strict.ts`), name);
  return replayHistory(history, target, { strict });
}

beforeAll(async () => {
  chain = await recordHistory({ module: `${dir}v1.ts`, orchestrator: "chain", input: "Tokyo", stubs: { greet: "a", shout: "b", sign: "c" } });
  timer = await recordHistory({ module: `${dir}v1.ts`, orchestrator: "timer", stubs: { prepare: null, finish: "done" } });
});

describe("strict replay checks what the SDK does not", () => {
  it("a changed activity input passes by default and diverges in strict mode", async () => {
    expect((await replayAs("chainInput", chain, false)).status).toBe("ok");
    const result = await replayAs("chainInput", chain, true);
    expect(result.divergence).toMatchObject({
      reason: "input",
      episode: 1,
      eventIndex: 6,
      expected: { kind: "activity", id: 2, name: "shout", input: '"a"' },
      produced: { kind: "activity", id: 2, name: "shout", input: '"a!"', location: { line: 7 } },
    });
  });

  it("a changed timer fire time", async () => {
    expect((await replayAs("timerLonger", timer, false)).status).toBe("ok");
    const result = await replayAs("timerLonger", timer, true);
    expect(result.divergence).toMatchObject({ reason: "fire-at", eventIndex: 6, expected: { kind: "timer", id: 2 } });
    const expectedAt = Date.parse(result.divergence!.expected!.fireAt!);
    expect(Date.parse(result.divergence!.produced!.fireAt!) - expectedAt).toBe(60_000);
  });

  it("an extra call after the last recorded one", async () => {
    expect((await replayAs("chainExtra", chain, false)).status).toBe("ok");
    const result = await replayAs("chainExtra", chain, true);
    expect(result.divergence).toMatchObject({
      reason: "extra",
      episode: 3,
      eventIndex: 16,
      produced: { kind: "activity", id: 4, name: "audit", location: { line: 24 } },
    });
    expect(result.divergence!.expected).toBeUndefined();
  });

  it("a different final output", async () => {
    expect((await replayAs("chainOutput", chain, false)).status).toBe("ok");
    const result = await replayAs("chainOutput", chain, true);
    expect(result.divergence).toMatchObject({
      reason: "output",
      eventIndex: 14,
      expected: { kind: "completion", status: "completed", output: '"c"' },
      produced: { kind: "completion", status: "completed", output: '"c?"' },
    });
  });

  it("code that throws where the history went on diverges even without strict", async () => {
    const result = await replayAs("chainThrows", chain, false);
    expect(result.status).toBe("diverged");
    expect(result.divergence).toMatchObject({
      reason: "orchestrator-failed",
      episode: 1,
      eventIndex: 5,
      produced: { kind: "completion", status: "failed", failure: { errorType: "RangeError", errorMessage: "greeting too long: a" } },
    });
    expect(renderResult(result)).toContain("the orchestrator threw RangeError: greeting too long: a while replaying");
  });
});

describe("lossy formats", () => {
  it("a divergence on a reconstructed event says the conclusion rests on a guess", async () => {
    const guessed: History = { ...chain, reconstructions: [{ eventIndex: 6, reason: "TaskScheduled order inferred from ScheduledTime" }] };
    const target = pickOrchestrator(await loadModule(`${dir}drift-renamed-activity.ts`), "chain");
    const result = await replayHistory(guessed, target);
    expect(result.divergence?.reconstructed).toBe("TaskScheduled order inferred from ScheduledTime");
    expect(renderResult(result)).toContain(
      "note: this rests on a reconstructed event (TaskScheduled order inferred from ScheduledTime); the source format does not record it exactly",
    );
    const exact = await replayHistory(chain, target);
    expect(exact.divergence?.reconstructed).toBeUndefined();
  });
});
