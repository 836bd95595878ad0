import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
// The built package: a contained thread runs dist/contain/worker-main.js.
import { ORDER_WINDOW, runContainedReplayStream, THREAD_WINDOW } from "@dtcheck/replay-tester/contain";
import { collectHistoryFiles, streamHistoryInputs, type CollectedEntry } from "../../src/replay/collect-files.js";
import { replayEntries } from "../../src/replay/replay-histories.js";
import type { ReplayResult } from "../../src/replay/result.js";

/*
 * A directory replay streams: the inputs are walked lazily in the order a full sort would give, and
 * both the in-thread reader and the watchdog's feed take a bounded number of entries ahead of the
 * results, counted here by an instrumented stream of entries.
 */
const app = fileURLToPath(new URL("../../../../fixtures/apps/durabletask/chaining/", import.meta.url));
const module = join(app, "worker.ts");
const golden = join(app, "histories/onboardUser.protobuf-json.json");
let dir: string;
let files: string[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "dtcheck-stream-"));
  mkdirSync(join(dir, "many"));
  files = Array.from({ length: 800 }, (_, i) => join(dir, "many", `h-${String(i).padStart(3, "0")}.json`));
  for (const file of files) copyFileSync(golden, file);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The entries of `files`, counting how many have been taken. */
function counted(paths: readonly string[]): { entries: AsyncGenerator<CollectedEntry>; taken: () => number } {
  let taken = 0;
  async function* entries(): AsyncGenerator<CollectedEntry> {
    for (const file of paths) {
      taken++;
      yield { file };
    }
  }
  return { entries: entries(), taken: () => taken };
}

describe("streamed collection", () => {
  it("walks folders lazily in exactly the order of sorting every path, merging overlapping inputs without duplicates", async () => {
    const tree = mkdtempSync(join(tmpdir(), "dtcheck-order-"));
    try {
      // "-" sorts before "/" and "." after it: a walk that sorted names alone would put a/ first.
      const names = ["a-b.json", "a.json", "a/c.json", "a/b/d.jsonl", "a/b-e.json", "B.json", "a0/f.json.gz", "z.json"];
      for (const name of names) {
        mkdirSync(join(tree, name, ".."), { recursive: true });
        writeFileSync(join(tree, name), "{}");
      }
      writeFileSync(join(tree, "notes.txt"), "not a history");
      const expected = names.map((name) => join(tree, name)).sort();
      expect(await collectHistoryFiles([tree])).toEqual(expected);
      // The folder, a file inside it and a glob over part of it: every file once, in order.
      const merged: string[] = [];
      for await (const entry of streamHistoryInputs([join(tree, "a"), join(tree, "z.json"), tree, "a/*.json"], tree)) merged.push("file" in entry ? entry.file : entry.unreadable.path);
      expect(merged).toEqual(expected);
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });
});

describe("bounded read-ahead", () => {
  it("the reader in the thread takes one entry at a time: the one replaying", async () => {
    const { entries, taken } = counted(files);
    let mostAhead = 0;
    let results = 0;
    const { stoppedEarly } = await replayEntries(entries, { module }, (result) => {
      expect(result.status).toBe("ok");
      results++;
      mostAhead = Math.max(mostAhead, taken() - results);
    });
    expect([results, stoppedEarly]).toEqual([800, false]);
    // Files are read when their turn comes (synchronously, see readHistoryBytesSync): when a result
    // is handed on, no entry past it has been taken.
    expect(mostAhead).toBe(0);
  });

  it("replays what it holds without waiting for a full window: a stream that sends more only for results never stalls", async () => {
    let results = 0;
    // Two entries ahead of the results at most, as a watchdog that waits for answers would send them.
    async function* answeredOnly(): AsyncGenerator<CollectedEntry> {
      for (const [index, file] of files.slice(0, 40).entries()) {
        while (index > results + 1) await new Promise((resolve) => setTimeout(resolve, 1));
        yield { file };
      }
    }
    const { stoppedEarly } = await replayEntries(answeredOnly(), { module }, () => results++);
    expect([results, stoppedEarly]).toEqual([40, false]);
  });

  it.each([
    [1, 2 * THREAD_WINDOW],
    // Results of one thread wait for an earlier entry another thread holds, at most ORDER_WINDOW entries on.
    [2, ORDER_WINDOW + THREAD_WINDOW],
  ])("the watchdog's feed to %i thread(s) takes at most %i entries ahead of the results, in entry order", async (workers, bound) => {
    const { entries, taken } = counted(files);
    let mostAhead = 0;
    const results: ReplayResult[] = [];
    const counts = await runContainedReplayStream({ kind: "replay", module, cwd: dir }, entries, {
      workers,
      onResult: (result) => {
        results.push(result);
        mostAhead = Math.max(mostAhead, taken() - results.length);
      },
    });
    // Any result that is not ok is shown with its error.
    expect(results.filter((r) => r.status !== "ok").map((r) => `${r.file}: ${r.error}`)).toEqual([]);
    expect([counts.total, counts.ok, counts.stoppedEarly]).toEqual([800, 800, false]);
    expect(results.map((r) => r.file)).toEqual(files);
    expect(mostAhead).toBeLessThanOrEqual(bound);
    // It does read ahead: more than one thread's window is in flight at some point.
    expect(mostAhead).toBeGreaterThan(THREAD_WINDOW);
  });

  it("stops at the first failure with failFast, and says whether anything was left", async () => {
    const broken = join(dir, "many", "h-100-broken.json");
    writeFileSync(broken, "{");
    try {
      const withBroken = [...files.slice(0, 101), broken, ...files.slice(101)];
      const seen: string[] = [];
      const stopped = await runContainedReplayStream({ kind: "replay", module, cwd: dir, failFast: true }, counted(withBroken).entries, { onResult: (r) => seen.push(r.status) });
      expect([stopped.total, stopped.ok, stopped.failed, stopped.stoppedEarly]).toEqual([102, 101, 1, true]);
      expect(seen.at(-1)).toBe("failed");
    } finally {
      rmSync(broken);
    }
  });
});
