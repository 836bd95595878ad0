import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/output/report.js";
import { validateJUnit } from "../output/junit-schema.js";
import { sarifValidator } from "../output/sarif-schema.js";
import { expectOneLineError, REPO, runCli } from "../run-cli.js";

const fixtures = path.join(REPO, "fixtures/histories/durabletask");
const recorded = path.join(fixtures, "recorded");
// Diverges on the chain histories and cannot replay the others (not registered): failed and error cases both.
const renamed = path.join(fixtures, "drift-renamed-activity.ts");
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "dtcheck-shard-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs dtcheck with --format json into a file and returns the exit code and the report. */
function jsonRun(args: string[], name: string): { code: number | null; report: Report } {
  const out = path.join(dir, `${name}.json`);
  const run = runCli([...args, "--format", "json", "-o", out, "-q"], { cwd: fixtures });
  expect(run.stderr).toBe("");
  return { code: run.code, report: JSON.parse(readFileSync(out, "utf8")) as Report };
}

/** What must be the same sharded or not: every case and finding, minus timings. */
function content(report: Report) {
  const cases = report.cases.map(({ durationMs: _durationMs, ...rest }) => JSON.stringify(rest)).sort();
  const findings = report.findings.map((finding) => JSON.stringify(finding)).sort();
  return { cases, findings, rules: report.rules.map((rule) => rule.id).sort() };
}

describe("--shard and merge-reports", () => {
  it("replay: three shards are disjoint, together equal the unsharded run, and merge back into it", () => {
    const whole = jsonRun(["replay", recorded, "-m", renamed], "replay-whole");
    expect(whole.code).toBe(2);
    expect(whole.report.cases.map((c) => c.status).sort()).toEqual([...Array(3).fill("failed"), ...Array(8).fill("error")].sort());
    const shards = [1, 2, 3].map((index) => jsonRun(["replay", recorded, "-m", renamed, "--shard", `${index}/3`], `replay-${index}`));
    const names = shards.map((shard) => shard.report.cases.map((c) => c.name));
    expect(names.flat().sort()).toEqual(whole.report.cases.map((c) => c.name).sort());
    expect(new Set(names.flat()).size).toBe(11);
    shards.forEach((shard, i) => {
      expect(shard.report.shard).toEqual({ index: i + 1, count: 3 });
      expect(shard.report.summary.endsWith(` (shard ${i + 1}/3)`)).toBe(true);
    });

    const merged = runCli(["merge-reports", ...[3, 1, 2].map((i) => path.join(dir, `replay-${i}.json`)), "--format", "json"], { cwd: fixtures });
    expect(merged.code).toBe(whole.code);
    const report = JSON.parse(merged.stdout) as Report;
    expect(content(report)).toEqual(content(whole.report));
    expect(report.summary).toBe("replay, 3 shards merged: 0 passed, 3 failed, 8 errors, 0 skipped");
  });

  it("replay: a shard is the same on every run (a stable partition by path)", () => {
    const first = jsonRun(["replay", recorded, "-m", renamed, "--shard", "2/3"], "stable-a");
    const second = jsonRun(["replay", recorded, "-m", renamed, "--shard", "2/3"], "stable-b");
    expect(content(second.report)).toEqual(content(first.report));
  });

  it("merge-reports writes a SARIF 2.1.0 log that passes the schema and JUnit that passes its schema", async () => {
    const shards = [1, 2, 3].map((i) => path.join(dir, `replay-${i}.json`));
    const sarif = runCli(["merge-reports", ...shards, "--format", "sarif"], { cwd: fixtures });
    expect(sarif.code).toBe(2);
    const log = JSON.parse(sarif.stdout) as { runs: { results: unknown[] }[] };
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    expect(log.runs.length).toBe(1);
    expect(log.runs[0]!.results.length).toBe(11);
    const junit = runCli(["merge-reports", ...shards, "--format", "junit"], { cwd: fixtures });
    expect(junit.code).toBe(2);
    expect(await validateJUnit(junit.stdout, { withoutExtensions: true })).toEqual({ valid: true, errors: [] });
    expect((junit.stdout.match(/<testcase /g) ?? []).length).toBe(11);
  });

  it("fuzz: two shards check every orchestrator once, with the results of the unsharded run", () => {
    const args = ["fuzz", "-m", path.join(fixtures, "v1.ts"), "--runs", "3", "--seed", "7", "--out-dir", path.join(dir, "failures")];
    const whole = jsonRun(args, "fuzz-whole");
    const shards = [1, 2].map((index) => jsonRun([...args, "--shard", `${index}/2`], `fuzz-${index}`));
    expect(shards.map((s) => s.report.cases.length).reduce((a, b) => a + b)).toBe(whole.report.cases.length);
    expect(whole.report.cases.length).toBe(8);
    const merged = runCli(["merge-reports", path.join(dir, "fuzz-1.json"), path.join(dir, "fuzz-2.json"), "--format", "json"], { cwd: fixtures });
    expect(merged.code).toBe(whole.code);
    expect(content(JSON.parse(merged.stdout) as Report).cases).toEqual(content(whole.report).cases);
  }, 120_000);

  it.each([
    ["untyped", "durabletask", ["--no-types"], 2],
    ["typed, following calls across files", "typed-durabletask", [], 2],
  ])("lint (%s): the shards' merged findings equal the unsharded run's", (_kind, target, extra, count) => {
    const lintRun = (args: string[], name: string) => {
      const out = path.join(dir, `${name}.json`);
      const run = runCli(["lint", target, ...extra, ...args, "--format", "json", "-o", out], { cwd: path.join(REPO, "fixtures/lint") });
      return { code: run.code, report: JSON.parse(readFileSync(out, "utf8")) as Report, out };
    };
    const whole = lintRun([], `lint-${target}`);
    expect(whole.code).toBe(1);
    const shards = Array.from({ length: count }, (_, i) => lintRun(["--shard", `${i + 1}/${count}`], `lint-${target}-${i + 1}`));
    expect(shards.map((shard) => shard.report.cases.length).reduce((a, b) => a + b)).toBe(whole.report.cases.length);
    const merged = runCli(["merge-reports", ...shards.map((shard) => shard.out), "--format", "json"], { cwd: path.join(REPO, "fixtures/lint") });
    expect(merged.code).toBe(1);
    expect(content(JSON.parse(merged.stdout) as Report)).toEqual(content(whole.report));
  }, 120_000);

  it("refuses an incomplete set of shards, a shard given twice, reports of two commands, and non-JSON reports: one line, exit 2", () => {
    const shard = (i: number) => path.join(dir, `replay-${i}.json`);
    expect(expectOneLineError(runCli(["merge-reports", shard(1), shard(3)], { cwd: fixtures }))).toBe(
      "dtcheck: shard 2/3 missing: a merged report without it would pass what was never checked; add its --format json report",
    );
    expect(expectOneLineError(runCli(["merge-reports", shard(1), shard(2), shard(3), shard(2)], { cwd: fixtures }))).toBe(
      `dtcheck: ${shard(2)}: is shard 2/3 again (so is ${shard(2)}); give each shard's report once`,
    );
    expect(expectOneLineError(runCli(["merge-reports", shard(1), path.join(dir, "fuzz-1.json")], { cwd: fixtures }))).toBe(
      `dtcheck: ${path.join(dir, "fuzz-1.json")}: is a fuzz report but ${shard(1)} is a replay report; merge the reports of one command`,
    );
    const sarif = runCli(["replay", recorded, "-m", renamed, "--format", "sarif", "-o", path.join(dir, "one.sarif")], { cwd: fixtures });
    expect(sarif.code).toBe(2);
    expect(expectOneLineError(runCli(["merge-reports", path.join(dir, "one.sarif")], { cwd: fixtures }))).toBe(
      `dtcheck: ${path.join(dir, "one.sarif")}: is a SARIF log; merge-reports reads the --format json reports of the shards (it writes SARIF with --format sarif): run each shard with --format json`,
    );
  });

  it("rejects a shard outside 1..n before running anything", () => {
    const run = runCli(["replay", recorded, "-m", renamed, "--shard", "4/3"], { cwd: fixtures });
    expect(run.code).toBe(2);
    expect(run.stderr.split("\n")[0]).toBe(`error: option '--shard <i/n>' argument '4/3' is invalid. "4/3" is not a shard; use i/n with 1 <= i <= n, e.g. --shard 2/3`);
  });
});
