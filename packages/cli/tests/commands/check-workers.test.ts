import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { REPO, runCli } from "../run-cli.js";

/*
 * fuzz and drift spread a module's orchestrators over threads (--workers): the report is the one a
 * single thread gives, byte for byte but for measured times, whatever the number of threads. The
 * modules mix a deterministic orchestrator, one that is not (a failure, shrunk and written to a
 * file), an orchestrator a v2 drops and one it changes, so a result out of place or missing shows.
 */
vi.setConfig({ testTimeout: 180_000 });
let dir: string;

const orchestrators = (version: 1 | 2) => `
export async function* greet(ctx, city) {
  const a = yield ctx.callActivity("hello", city);
  return yield ctx.callActivity("shout", a);
}
export async function* lottery(ctx, n) {
  // Drawn on every replay: the calls differ between two replays of the same history.
  if (Math.random() < 0.5) yield ctx.callActivity("win", n);
  return yield ctx.callActivity("settle", n);
}
export async function* billing(ctx, order) {
  yield ctx.callActivity("charge", order);
  ${version === 1 ? 'return yield ctx.callActivity("receipt", order);' : 'yield ctx.callActivity("audit", order);\n  return yield ctx.callActivity("receipt", order);'}
}
${version === 1 ? 'export async function* legacy(ctx) {\n  return yield ctx.callActivity("old");\n}\n' : ""}export async function* reports(ctx, month) {
  const rows = yield ctx.callActivity("query", month);
  return yield ctx.callActivity("render", rows);
}
`;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "dtcheck-check-workers-"));
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "user-project", version: "1.0.0", type: "module" }));
  mkdirSync(path.join(dir, "node_modules/@microsoft"), { recursive: true });
  symlinkSync(path.join(REPO, "node_modules/@microsoft/durabletask-js"), path.join(dir, "node_modules/@microsoft/durabletask-js"), "dir");
  writeFileSync(path.join(dir, "v1.mjs"), orchestrators(1));
  writeFileSync(path.join(dir, "v2.mjs"), orchestrators(2));
  writeFileSync(path.join(dir, "single.mjs"), `console.log("single.mjs loading");\nexport async function* only(ctx, n) {\n  return yield ctx.callActivity("one", n);\n}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The JSON report of a run with `workers` threads, without measured times (the one thing allowed to differ), and its exit code. */
function report(args: string[], workers: number): { code: number | null; json: string } {
  const run = runCli([...args, "--seed", "11", "--runs", "25", "--format", "json", "--workers", String(workers)], { cwd: dir });
  return { code: run.code, json: run.stdout.replace(/"durationMs": [\d.]+/g, '"durationMs": 0') };
}

describe("fuzz and drift --workers", () => {
  it("fuzz: 1 and 3 threads give the same report: 4 deterministic, lottery not, in the order of a module's exports", () => {
    const one = report(["fuzz", "-m", "v1.mjs"], 1);
    const three = report(["fuzz", "-m", "v1.mjs"], 3);
    expect(one.code).toBe(1);
    expect(three).toEqual(one);
    const parsed = JSON.parse(one.json) as { summary: string; cases: { name: string; status: string }[] };
    // Worlds explored: a failure's shrinking is not counted (it is in the failure's shrinks).
    expect(parsed.summary).toBe("5 orchestrators fuzzed (101 worlds, seed 11): 4 deterministic, 1 not");
    expect(parsed.cases.map((c) => `${c.name} ${c.status}`)).toEqual(["billing passed", "greet passed", "legacy passed", "lottery failed", "reports passed"]);
  });

  it("drift: 1 and 2 threads give the same report: billing drifted, legacy removed, lottery's baseline not deterministic", () => {
    const one = report(["drift", "--baseline", "v1.mjs", "--candidate", "v2.mjs"], 1);
    const two = report(["drift", "--baseline", "v1.mjs", "--candidate", "v2.mjs"], 2);
    expect(one.code).toBe(1);
    expect(two).toEqual(one);
    const parsed = JSON.parse(one.json) as { summary: string; findings: { message: string }[] };
    expect(parsed.summary).toBe("5 orchestrators checked v1.mjs → v2.mjs (53 worlds, seed 11): 2 compatible, 3 drifted");
    expect(parsed.findings.map((f) => f.message.split(":")[0])).toEqual(["billing", "lottery", 'orchestrator "legacy" is registered by the baseline but not by the candidate']);
  });

  it("more threads than orchestrators: only the lanes with orchestrators start, so the module loads (and prints) once", () => {
    for (const args of [["fuzz", "-m", "single.mjs"], ["drift", "--baseline", "single.mjs", "--candidate", "single.mjs"]]) {
      const run = runCli([...args, "--seed", "11", "--runs", "10", "--workers", "3"], { cwd: dir });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr.split("\n").filter((line) => line.includes("single.mjs loading"))).toHaveLength(1);
      const json = (workers: number) => runCli([...args, "--seed", "11", "--runs", "10", "--format", "json", "--workers", String(workers)], { cwd: dir }).stdout.replace(/"durationMs": [\d.]+/g, '"durationMs": 0');
      expect(json(3)).toBe(json(1));
    }
  });
});
