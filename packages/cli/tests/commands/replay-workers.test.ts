import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { REPO, runCli } from "../run-cli.js";

/*
 * A directory replay spread over several threads gives the report one thread gives: the same
 * results in the same order, whatever the number of threads. The folder mixes histories that
 * replay, histories that diverge and a file that cannot be read, so a result out of place shows.
 */
vi.setConfig({ testTimeout: 120_000 });
const versioned = path.join(REPO, "fixtures/apps/durabletask/versioned");
const worker = path.join(versioned, "v1/worker.ts");
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "dtcheck-workers-"));
  for (let i = 0; i < 200; i++) {
    const file = path.join(dir, `h-${String(i).padStart(3, "0")}.json`);
    if (i === 57) writeFileSync(file, "{");
    else copyFileSync(path.join(versioned, i % 10 === 3 ? "v2-ungated" : "v1", "histories/processOrder.protobuf-json.json"), file);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The JSON report without its measured times, the one thing allowed to differ. */
function report(workers: number): string {
  const run = runCli(["replay", dir, "-m", worker, "--format", "json", "--workers", String(workers)]);
  expect(run.code, run.stderr).toBe(2);
  return run.stdout.replace(/"durationMs": [\d.]+/g, '"durationMs": 0');
}

describe("replay --workers", () => {
  it("reports byte for byte the same with 1 and 3 threads: 179 replayed, 20 diverged, 1 unreadable, in file order", () => {
    const one = report(1);
    const three = report(3);
    expect(three).toBe(one);
    const parsed = JSON.parse(one) as { summary: string; cases: { name: string; status: string }[] };
    expect(parsed.summary).toBe("200 histories replayed: 179 ok, 20 diverged, 1 unreadable");
    const statuses = parsed.cases.map((c) => c.status);
    expect(statuses.filter((s) => s === "passed")).toHaveLength(179);
    expect(statuses.filter((s) => s === "failed")).toHaveLength(20);
    expect(statuses.indexOf("error")).toBe(57);
    expect(parsed.cases.map((c) => c.name)).toEqual([...parsed.cases.map((c) => c.name)].sort());
  });
});
