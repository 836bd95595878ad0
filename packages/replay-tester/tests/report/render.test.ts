import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { loadModule, pickOrchestrator } from "../../src/load/load-module.js";
import { recordHistory } from "../../src/record/record.js";
import { replayHistory } from "../../src/replay/replay-history.js";
import { renderResult, renderSummary } from "../../src/report/render.js";
import type { ReplayResult } from "../../src/replay/result.js";

const fixtures = fileURLToPath(new URL("../../../../fixtures/histories/", import.meta.url));
const stubs = { greet: "a", shout: "b", sign: "c" };

describe("renderResult", () => {
  it("labels Durable Functions' check as dtcheck's DTFx check and points at the user's .ts line", async () => {
    const history = await recordHistory({ module: `${fixtures}durable-functions/v1.ts`, orchestrator: "chain", input: "x", stubs });
    const target = pickOrchestrator(await loadModule(`${fixtures}durable-functions/drift-reordered-calls.ts`), "chain");
    const text = renderResult(await replayHistory(history, target), { cwd: fixtures });
    expect(text.split("\n").slice(0, 5)).toEqual([
      "diverged (in-memory history) (chain, durable-functions)",
      '  episode 1, history event #6: the history recorded activity "shout" with id 1, but the code now makes activity "sign"',
      '  expected (history): activity "shout" #1 input "a"',
      '  produced (code):    activity "sign" #1 input "a"  at durable-functions/drift-reordered-calls.ts:7:30',
      '  DTFx check: Non-Deterministic workflow detected: the history has activity "shout" with EventId 1, but the orchestrator now makes activity "sign" at that sequence number.',
    ]);
    expect(text).toContain("fix: keep instances started by the old code on the old path: branch on `context.df.version`");
    expect(text).toContain('> 7 |   const c = yield context.df.callActivity("sign", a);');
  });

  it("replays through the Dapr fork of durabletask-js registered directly", async () => {
    const module = await loadModule(`${fixtures}dapr/durabletask-fork.ts`);
    const target = module.orchestrators.get("chain")!;
    expect(target.sdk).toBe("dapr");
    expect(target.sdkRoot).toMatch(/@dapr[\\/]durabletask-js$/);
    const history = await recordHistory({ module: `${fixtures}dapr/durabletask-fork.ts`, input: "x", stubs });
    const drifted = pickOrchestrator(await loadModule(`${fixtures}dapr/drift-renamed-activity.ts`), "chain");
    expect((await replayHistory(history, target, { strict: true })).status).toBe("ok");
    // The same history replays on the @dapr/dapr copy too: both forks write the same events.
    expect(renderResult(await replayHistory(history, drifted))).toContain('the code now makes activity "yell"');
  });

  it("renders failed and load-error results and the batch totals in one line each", () => {
    const results: ReplayResult[] = [
      { status: "failed", file: "/h/a.json", events: 0, episodes: 0, error: "/h/a.json: the file is empty", durationMs: 1 },
      { status: "load-error", file: "/h/b.json", events: 3, episodes: 1, error: 'orchestrator "x" is not registered', durationMs: 1 },
    ];
    const text = renderSummary({ results, ok: 0, diverged: 0, failed: 1, loadErrors: 1, stoppedEarly: true, durationMs: 12 }, { cwd: "/h" });
    expect(text).toBe(
      [
        "failed   a.json: /h/a.json: the file is empty",
        'error    b.json: orchestrator "x" is not registered',
        "",
        "2 histories: 0 ok, 0 diverged, 1 failed, 1 load errors (12 ms; stopped at the first failure (failFast))",
      ].join("\n"),
    );
  });
});
