import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeHistory } from "../../src/history/index.js";
import type { History } from "../../src/history/model.js";
import { recordHistory } from "../../src/record/record.js";
import { replayHistories } from "../../src/replay/replay-histories.js";
import { replayHistory } from "../../src/replay/replay-history.js";
import { loadModule, pickOrchestrator } from "../../src/load/load-module.js";
import { renderResult, renderSummary } from "../../src/report/render.js";

const dir = fileURLToPath(new URL("../../../../fixtures/histories/durabletask/", import.meta.url));
const v1 = `${dir}v1.ts`;
let work: string;
let chain: History;

afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "dtcheck-replay-"));
  chain = await recordHistory({ module: v1, orchestrator: "chain", input: "Tokyo", stubs: { greet: "a", shout: "b", sign: "c" } });
  const timer = await recordHistory({ module: v1, orchestrator: "timer", stubs: { prepare: null, finish: "done" } });
  writeFileSync(join(work, "a-chain.json"), writeHistory(chain, "protobuf-json"));
  writeFileSync(join(work, "b-timer.jsonl"), writeHistory(timer, "friendly", { jsonl: true }));
  // Cut mid-event, as an interrupted export would be.
  const text = writeHistory(chain, "protobuf-json");
  writeFileSync(join(work, "c-truncated.json"), text.slice(0, text.length / 2));
  const unknown = structuredClone(chain);
  const started = unknown.events.find((e) => e.kind === "executionStarted");
  if (started?.kind === "executionStarted") started.name = "checkout";
  writeFileSync(join(work, "d-unknown.json"), writeHistory(unknown, "protobuf-json"));
});

describe("replayHistories", () => {
  it("replays a directory, collecting every result, and never counts a broken file as ok", async () => {
    const summary = await replayHistories(work, { module: v1 });
    expect(summary.results.map((r) => [r.file!.slice(work.length + 1), r.status])).toEqual([
      ["a-chain.json", "ok"],
      ["b-timer.jsonl", "ok"],
      ["c-truncated.json", "failed"],
      ["d-unknown.json", "load-error"],
    ]);
    // The result names the file; its error says what is wrong with it.
    expect(summary.results[2]!.error).toMatch(/^the JSON ends early at line \d+, column \d+ \(unexpected end of input\); the file looks truncated, export the history again$/);
    expect(summary.results[3]!.error).toMatch(/orchestrator "checkout" is not registered/);
    expect(summary).toMatchObject({ ok: 2, diverged: 0, failed: 1, loadErrors: 1, stoppedEarly: false });
    const text = renderSummary(summary, { cwd: work });
    expect(text).toContain("ok       a-chain.json (chain, durabletask): 16 events, 4 episodes replayed");
    expect(text).toContain("4 histories: 2 ok, 0 diverged, 1 failed, 1 load errors");
  });

  it("stops at the first failure with failFast", async () => {
    const summary = await replayHistories([join(work, "*.json")], { module: v1, failFast: true, cwd: work });
    expect(summary.results.map((r) => r.status)).toEqual(["ok", "failed"]);
    expect(summary.stoppedEarly).toBe(true);
  });

  it("reports the drifted module's divergence with a code frame of the user's line", async () => {
    const summary = await replayHistories(join(work, "a-chain.json"), { module: `${dir}drift-renamed-activity.ts` });
    const text = renderResult(summary.results[0]!, { cwd: dir });
    expect(text).toContain("diverged");
    expect(text).toContain("episode 1, history event #6");
    expect(text).toContain('expected (history): activity "shout" #2 input "a"');
    expect(text).toContain('produced (code):    activity "yell" #2 input "a"  at drift-renamed-activity.ts:6:');
    expect(text).toContain('> 6 |   const b = yield ctx.callActivity("yell", a);');
    expect(text).toContain("fix: keep instances started by the old code on the old path: branch on the version the instance started with, e.g. `if (ctx.compareVersionTo(\"2.0\") >= 0)");
  });

  it("an invalid in-memory history is failed, not ok", async () => {
    const target = pickOrchestrator(await loadModule(v1), "chain");
    const orphan = structuredClone(chain);
    orphan.events.splice(2, 1); // drop taskScheduled #1: its completion now refers to nothing
    const result = await replayHistory(orphan, target);
    expect(result.status).toBe("failed");
    expect(result.error).toBe(
      "event 4: taskCompleted refers to taskScheduledId 1, but no earlier taskScheduled event has eventId 1; the history is incomplete or was edited, export it again",
    );
  });
});
