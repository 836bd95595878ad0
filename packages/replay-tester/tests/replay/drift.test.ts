import { beforeAll, describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import type { History } from "../../src/history/model.js";
import { executionStarted } from "../../src/history/model.js";
import { loadModule, pickOrchestrator } from "../../src/load/load-module.js";
import { recordHistory } from "../../src/record/record.js";
import { replayHistory } from "../../src/replay/replay-history.js";

/*
 * For each SDK: histories recorded from v1 with dtcheck's own record, replayed against one drifted
 * module per drift kind. durabletask-js and Dapr number tasks from 1, Durable Functions (DTFx) from 0.
 */
const MISMATCH_TAIL =
  "This kind of mismatch can happen if an orchestration has non-deterministic logic or if the code was changed after an instance of this orchestration already started running.";
/** What each SDK's own executor says when `callActivity("shout")` became `callActivity("yell")`, word for word. */
const renamedActivityMessages = {
  durabletask: `Failed to restore orchestration state due to a history mismatch: A previous execution called callActivity with name='shout' and sequence number 2, but the current execution is instead trying to call yell as part of rebuilding it's history. ${MISMATCH_TAIL}`,
  dapr: `Failed to restore orchestration state due to a history mismatch: A previous execution called callActivity with name='shout' and sequence number 2, but the current execution is instead trying to call yell as part of rebuilding its history. ${MISMATCH_TAIL}`,
  "durable-functions": 'Non-Deterministic workflow detected: the history has activity "shout" with EventId 1, but the orchestrator now makes activity "yell" at that sequence number',
} as const;

const sdks = [
  { sdk: "durabletask", firstId: 1 },
  { sdk: "dapr", firstId: 1 },
  { sdk: "durable-functions", firstId: 0 },
] as const;

describe.each(sdks)("$sdk replay: each drift kind gives the exact first divergence", ({ sdk, firstId }) => {
  const dir = fileURLToPath(new URL(`../../../../fixtures/histories/${sdk}/`, import.meta.url));
  const id = (n: number) => firstId + n - 1; // the n-th durable call's sequence id
  const histories: Record<string, History> = {};

  async function replayOn(module: string, history: History, strict = false) {
    const loaded = await loadModule(`${dir}${module}`);
    return replayHistory(history, pickOrchestrator(loaded, executionStarted(history)!.name), { strict });
  }

  beforeAll(async () => {
    const v1 = `${dir}v1.ts`;
    histories["chain"] = await recordHistory({ module: v1, orchestrator: "chain", input: "Tokyo", stubs: { greet: "a", shout: "b", sign: "c" } });
    histories["fanOut"] = await recordHistory({ module: v1, orchestrator: "fanOut", input: [1, 2, 3], stubs: { work: 2, aggregate: 6 } });
    histories["parent"] = await recordHistory({
      module: v1,
      orchestrator: "parent",
      stubs: { subOrchestrations: { child: "grown" }, activities: { report: "reported" } },
    });
    histories["timer"] = await recordHistory({ module: v1, orchestrator: "timer", stubs: { prepare: null, finish: "done" } });
  });

  it("replays each history on the code that recorded it as ok, even in strict mode", async () => {
    for (const history of Object.values(histories)) {
      const result = await replayOn("v1.ts", history, true);
      expect(result.status, JSON.stringify(result.divergence ?? result.error)).toBe("ok");
      expect(result.orchestration?.status).toBe("completed");
    }
  });

  it("renamed activity", async () => {
    const result = await replayOn("drift-renamed-activity.ts", histories["chain"]!);
    expect(result.status).toBe("diverged");
    expect(result.divergence).toMatchObject({
      reason: "wrong-name",
      episode: 1,
      eventIndex: 6,
      expected: { kind: "activity", id: id(2), name: "shout", input: '"a"' },
      produced: { kind: "activity", id: id(2), name: "yell", location: { file: `${dir}drift-renamed-activity.ts` } },
    });
    expect(result.divergence!.produced!.location!.line).toBeGreaterThan(1);
    expect(result.divergence!.sdkMessage).toBe(renamedActivityMessages[sdk]);
  });

  it("reordered calls", async () => {
    const result = await replayOn("drift-reordered-calls.ts", histories["chain"]!);
    expect(result.divergence).toMatchObject({
      reason: "wrong-name",
      episode: 1,
      eventIndex: 6,
      expected: { kind: "activity", id: id(2), name: "shout" },
      produced: { kind: "activity", id: id(2), name: "sign" },
    });
  });

  it("inserted timer", async () => {
    const result = await replayOn("drift-inserted-timer.ts", histories["chain"]!);
    expect(result.divergence).toMatchObject({
      reason: "wrong-kind",
      episode: 1,
      eventIndex: 6,
      expected: { kind: "activity", id: id(2), name: "shout" },
      produced: { kind: "timer", id: id(2), location: { file: `${dir}drift-inserted-timer.ts` } },
    });
  });

  it("removed call", async () => {
    const result = await replayOn("drift-removed-call.ts", histories["chain"]!);
    expect(result.divergence).toMatchObject({
      reason: "missing",
      episode: 2,
      eventIndex: 10,
      expected: { kind: "activity", id: id(3), name: "sign" },
    });
    expect(result.divergence!.produced).toBeUndefined();
  });

  it("changed sub-orchestration name", async () => {
    const result = await replayOn("drift-renamed-suborchestration.ts", histories["parent"]!);
    expect(result.divergence).toMatchObject({
      reason: "wrong-name",
      episode: 0,
      eventIndex: 2,
      expected: { kind: "subOrchestration", id: id(1), name: "child" },
      produced: { kind: "subOrchestration", id: id(1), name: "kid" },
    });
  });

  it("wider fan-out", async () => {
    const result = await replayOn("drift-fanout-wider.ts", histories["fanOut"]!);
    // v1 scheduled work x3 in episode 0, then aggregate (4th call) in episode 1; v2 makes a 4th work instead.
    expect(result.divergence).toMatchObject({
      reason: "wrong-name",
      episode: 1,
      eventIndex: 10,
      expected: { kind: "activity", id: id(4), name: "aggregate" },
      produced: { kind: "activity", id: id(4), name: "work" },
    });
  });

  it("narrower fan-out", async () => {
    const result = await replayOn("drift-fanout-narrower.ts", histories["fanOut"]!);
    expect(result.divergence).toMatchObject({
      episode: 0,
      eventIndex: 4,
      expected: { kind: "activity", id: id(3), name: "work", input: "3" },
    });
    if (sdk === "durable-functions") {
      // The JS side runs the whole history first; DTFx then sees "aggregate" where the third "work" was.
      expect(result.divergence).toMatchObject({ reason: "wrong-name", produced: { kind: "activity", id: id(3), name: "aggregate" } });
    } else {
      // durabletask-js checks while replaying: the third "work" is confirmed before the code could reach "aggregate".
      expect(result.divergence).toMatchObject({ reason: "missing" });
      expect(result.divergence!.produced).toBeUndefined();
    }
  });

  it("invoking once per episode, as the runtime delivered them, reaches the same verdicts as the single invocation", async () => {
    const cases: [string, string][] = [
      ["v1.ts", "chain"],
      ["drift-renamed-activity.ts", "chain"],
      ["drift-reordered-calls.ts", "chain"],
      ["drift-inserted-timer.ts", "chain"],
      ["drift-removed-call.ts", "chain"],
      ["drift-renamed-suborchestration.ts", "parent"],
      ["drift-fanout-wider.ts", "fanOut"],
      ["drift-fanout-narrower.ts", "fanOut"],
    ];
    for (const [module, history] of cases) {
      const loaded = await loadModule(`${dir}${module}`);
      const target = pickOrchestrator(loaded, history);
      const single = await replayHistory(histories[history]!, target);
      const perEpisode = await replayHistory(histories[history]!, target, { everyEpisode: true });
      expect(perEpisode.status, module).toBe(single.status);
      // Same place and same expected call. (Durable Functions may name the produced call differently:
      // invoked for episode 0 alone its code has not reached "aggregate" yet, so the third "work" is missing.)
      const where = (r: typeof single) => r.divergence && { episode: r.divergence.episode, eventIndex: r.divergence.eventIndex, expected: r.divergence.expected };
      expect(where(perEpisode), module).toEqual(where(single));
      if (sdk !== "durable-functions") expect(perEpisode.divergence?.produced, module).toEqual(single.divergence?.produced);
    }
    // Strict and per episode, the wider fan-out is caught where it starts: episode 0 returned a 4th
    // "work" the history never recorded (the single invocation sees it only when id 4 comes up).
    const wider = await replayHistory(histories["fanOut"]!, pickOrchestrator(await loadModule(`${dir}drift-fanout-wider.ts`), "fanOut"), {
      strict: true,
      everyEpisode: true,
    });
    expect(wider.divergence).toMatchObject({ reason: "extra", episode: 0, eventIndex: 6, produced: { kind: "activity", id: id(4), name: "work" } });
  });

  it("a history cut at every episode boundary (an in-flight instance) replays ok on v1 and diverges on v2 only once the changed call is recorded", async () => {
    const chain = histories["chain"]!;
    const cuts = chain.events.flatMap((e, i) => (e.kind === "orchestratorCompleted" ? [i + 1] : []));
    for (const cut of cuts) {
      const prefix: History = { events: chain.events.slice(0, cut) };
      expect((await replayOn("v1.ts", prefix, true)).status).toBe("ok");
      const drifted = await replayOn("drift-renamed-activity.ts", prefix);
      expect(drifted.status).toBe(cut > 6 ? "diverged" : "ok");
    }
  });
});

describe("durable-functions names are compared case-insensitively, as DTFx does", () => {
  it("an activity renamed only in letter case still replays", async () => {
    const dir = fileURLToPath(new URL("../../../../fixtures/histories/durable-functions/", import.meta.url));
    const history = await recordHistory({ module: `${dir}v1.ts`, orchestrator: "chain", input: "Tokyo", stubs: { greet: "a", shout: "b", sign: "c" } });
    const result = await replayHistory(history, pickOrchestrator(await loadModule(`${dir}drift-renamed-activity-case.ts`), "chain"));
    expect(result.status).toBe("ok");
  });
});

describe("concurrent replays", () => {
  it("give the same results as one at a time (instrumentation is per run, not global)", async () => {
    const results: Promise<unknown>[] = [];
    const expected: unknown[] = [];
    for (const sdk of ["durabletask", "dapr"] as const) {
      const dir = fileURLToPath(new URL(`../../../../fixtures/histories/${sdk}/`, import.meta.url));
      const chain = await recordHistory({ module: `${dir}v1.ts`, orchestrator: "chain", input: "Tokyo", stubs: { greet: "a", shout: "b", sign: "c" } });
      for (const module of ["v1.ts", "drift-renamed-activity.ts", "drift-inserted-timer.ts", "drift-removed-call.ts", "drift-reordered-calls.ts"]) {
        const target = pickOrchestrator(await loadModule(`${dir}${module}`), "chain");
        const strip = (r: Awaited<ReturnType<typeof replayHistory>>) => ({ status: r.status, divergence: r.divergence });
        expected.push(strip(await replayHistory(chain, target, { strict: true })));
        results.push(replayHistory(chain, target, { strict: true }).then(strip));
      }
    }
    expect(await Promise.all(results)).toEqual(expected);
  });
});
