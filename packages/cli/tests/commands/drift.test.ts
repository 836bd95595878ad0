import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { expectOneLineError, REPO, runCli } from "../run-cli.js";

const versioned = path.join(REPO, "fixtures/apps/durabletask/versioned");
const v1 = path.join(versioned, "v1/worker.ts");
const gated = path.join(versioned, "v2-gated/worker.ts");
const ungated = path.join(versioned, "v2-ungated/worker.ts");
const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "dtcheck-drift-"));
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface JsonReport {
  findings: { ruleId: string; message: string; location: { file: string; line?: number } }[];
  cases: { name: string; suite: string; status: string }[];
  summary: string;
  notes: string[];
}

describe("dtcheck drift", () => {
  it("fails an ungated change with the exact divergence, writes the minimal history, and the printed command reproduces it", () => {
    const dir = tempDir();
    const run = runCli(["drift", "--baseline", v1, "--candidate", ungated, "--runs", "30", "--seed", "7", "--format", "json"], { cwd: dir });
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.cases).toEqual([expect.objectContaining({ name: "processOrder", suite: "drift", status: "failed" })]);
    const [finding] = report.findings;
    expect(finding!.ruleId).toBe("dtcheck/version-drift");
    expect(finding!.message).toContain('the history recorded activity "chargePayment" with id 2, but the code now makes activity "reserveInventory"');
    expect(finding!.location).toMatchObject({ file: path.join(versioned, "v2-ungated/orchestrators.ts"), line: 11 });
    const reproduce = report.notes.find((n) => n.startsWith("reproduce processOrder: dtcheck replay "))!;
    expect(reproduce).toBe(
      `reproduce processOrder: dtcheck replay .dtcheck/failures/drift-processOrder-seed7.protobuf-json.json --module ${path.join(versioned, "v2-ungated/worker.ts")} --orchestrator processOrder`,
    );
    const historyFile = path.join(dir, report.notes.find((n) => n.startsWith("minimal history: "))!.slice("minimal history: ".length));
    expect(existsSync(historyFile)).toBe(true);
    const args = reproduce.slice("reproduce processOrder: dtcheck ".length).split(" ");
    const again = runCli(args, { cwd: dir });
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('produced (code):    activity "reserveInventory" #2');
  });

  it("passes a version-gated change, and gives the same result for the same seed", () => {
    const dir = tempDir();
    const args = ["drift", "--baseline", v1, "--candidate", gated, "--runs", "25", "--seed", "11", "--format", "json"];
    const first = runCli(args, { cwd: dir });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const second = runCli(args, { cwd: dir });
    expect(JSON.parse(second.stdout).summary).toBe(JSON.parse(first.stdout).summary);
    expect(JSON.parse(first.stdout).summary).toMatch(/^1 orchestrator checked .* \(\d+ worlds, seed 11\): 1 compatible, 0 drifted$/);
  });

  it("checks a git:<ref>:<path> baseline against the working tree", () => {
    const dir = tempDir();
    cpSync(path.join(versioned, "v1"), dir, { recursive: true });
    symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"));
    writeFileSync(path.join(dir, ".gitignore"), "node_modules\n.dtcheck\n");
    // The worker awaits worker.start() at top level, as real workers do: an ES module package.
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "orders", private: true, type: "module" }));
    const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "pipe" });
    git("init", "-q");
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "add", ".");
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "v1");
    cpSync(path.join(versioned, "v2-ungated"), dir, { recursive: true });
    const run = runCli(["drift", "--baseline", "git:HEAD:worker.ts", "--candidate", "worker.ts", "--runs", "20", "--seed", "5"], { cwd: dir });
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toContain("1 orchestrator checked git:HEAD:worker.ts → worker.ts");
    // The baseline's files are named as the user named them, not by the temporary checkout, which is gone by then.
    expect(run.stdout).not.toContain("dtcheck-baseline-");
    expect(run.stdout).toContain('processOrder: inferred input: Order from parameter "order" (git:HEAD:orchestrators.ts:5)\n');
    expect(git("worktree", "list").toString().trim().split("\n")).toHaveLength(1);
    // With the candidate taken from the config's "module" (what dtcheck init writes), it is named as written there.
    writeFileSync(path.join(dir, "dtcheck.config.json"), JSON.stringify({ module: "worker.ts" }));
    const fromConfig = runCli(["drift", "--baseline", "git:HEAD:worker.ts", "--runs", "20", "--seed", "5"], { cwd: dir });
    expect(fromConfig.code, fromConfig.stdout + fromConfig.stderr).toBe(1);
    expect(fromConfig.stdout).toContain("1 orchestrator checked git:HEAD:worker.ts → worker.ts (");
    expect(fromConfig.stdout).not.toContain(dir);
    expect(expectOneLineError(runCli(["drift", "--baseline", "git:no-such-ref:worker.ts", "--candidate", "worker.ts"], { cwd: dir }))).toMatch(/^dtcheck: git:no-such-ref:worker\.ts: /);
  });

  it("replays saved histories on the candidate in the same run", () => {
    const dir = tempDir();
    const saved = path.join(dir, "saved.json");
    const rec = runCli(["record", "-m", v1, "--input", `@${path.join(versioned, "v1/input.json")}`, "--stubs", path.join(versioned, "v1/stubs.json"), "--out", saved, "--orchestration-version", "1.0.0"], { cwd: dir });
    expect(rec.code, rec.stderr).toBe(0);
    const run = runCli(["drift", "--baseline", v1, "--candidate", ungated, "--runs", "5", "--seed", "3", "--histories", saved, "--format", "json"], { cwd: dir });
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.cases.filter((c) => c.suite === "replay")).toEqual([expect.objectContaining({ name: "saved.json", status: "failed" })]);
    expect(report.summary).toContain("1 history saved, replayed on the candidate: 0 ok, 1 diverged");
  });

  it("needs a baseline, in one line", () => {
    expect(expectOneLineError(runCli(["drift", "--candidate", gated], { cwd: tempDir() }))).toBe("dtcheck: no baseline: pass --baseline <path|git:ref:path> (the code deployed today)");
  });
});

describe("dtcheck drift: coverage-backed verdicts", () => {
  const pair = path.join(REPO, "fixtures/drift/new-input-field");
  /** A directory whose dtcheck.config.json fixes the input: an order that is never express. */
  function withInput(input: unknown): string {
    const dir = tempDir();
    writeFileSync(path.join(dir, "dtcheck.config.json"), JSON.stringify({ fuzz: { input } }));
    return dir;
  }
  const args = ["drift", "--baseline", path.join(pair, "v1.ts"), "--candidate", path.join(pair, "v2.ts"), "--runs", "20", "--seed", "5"];

  it("prints no ✔ and exits 1 when the candidate's changed call site was never reached, naming it and how to reach it", () => {
    const run = runCli(args, { cwd: withInput({ id: 1 }) });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).not.toContain("✔");
    expect(run.stdout).toContain(
      `6:32    error  order: inconclusive: the candidate's activity "expedite" at ${path.join(pair, "v2.ts")}:6 (behind \`input.express\`) differs from the other version and no replay of a baseline history reached it  dtcheck/inconclusive\n`,
    );
    expect(run.stdout).toContain("      fix: give order an input that takes that path: fuzz.inputs.order in dtcheck.config (a JSON value or a fast-check arbitrary), or --input order=<json|@file> on dtcheck fuzz and dtcheck drift\n");
    expect(run.stdout).toMatch(/✖ 1 orchestrator checked .* \(20 worlds, seed 5\): 0 compatible, 0 drifted, 1 inconclusive\norder: candidate 3 of 4 durable call sites reached; baseline 3 of 3 durable call sites reached\n/);
  });

  it("keeps exit 0 with --allow-inconclusive, still without a ✔, as a warning and a skipped JUnit case with its coverage", () => {
    const dir = withInput({ id: 1 });
    const text = runCli([...args, "--allow-inconclusive"], { cwd: dir });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).not.toContain("✔");
    expect(text.stdout).toMatch(/\n! 1 orchestrator checked .*: 0 compatible, 0 drifted, 1 inconclusive\n/);
    const junit = runCli([...args, "--allow-inconclusive", "--format", "junit"], { cwd: dir });
    expect(junit.stdout).toContain(
      '<properties>\n        <property name="dtcheck.coverage.baseline" value="3 of 3"/>\n        <property name="dtcheck.coverage.candidate" value="3 of 4"/>\n      </properties>\n      <skipped message="inconclusive: the candidate\'s',
    );
  });

  it("reports coverage per version in JSON and SARIF, and the drift once an input reaches the change", () => {
    const json = JSON.parse(runCli([...args, "--format", "json"], { cwd: withInput({ id: 1 }) }).stdout) as { coverage: unknown[]; cases: { status: string }[] };
    expect(json.cases[0]!.status).toBe("failed");
    expect(json.coverage).toEqual([
      { orchestrator: "order", version: "baseline", reached: 3, total: 3, unreached: [] },
      { orchestrator: "order", version: "candidate", reached: 3, total: 4, unreached: [{ file: path.join(pair, "v2.ts"), line: 6, method: "callActivity", name: "expedite" }] },
    ]);
    const sarif = JSON.parse(runCli([...args, "--format", "sarif"], { cwd: withInput({ id: 1 }) }).stdout) as { runs: { properties: Record<string, unknown>; results: { ruleId: string }[] }[] };
    expect(sarif.runs[0]!.results.map((r) => r.ruleId)).toEqual(["dtcheck/inconclusive"]);
    expect(sarif.runs[0]!.properties["dtcheck/coverage"]).toHaveLength(2);
    const express = runCli([...args, "--format", "json"], { cwd: withInput({ id: 1, express: true }) });
    expect(express.code).toBe(1);
    expect((JSON.parse(express.stdout) as JsonReport).findings.map((f) => f.ruleId)).toEqual(["dtcheck/version-drift"]);
  });
});

describe("dtcheck drift coverage", () => {
  it("credits a new call with the same name as the calls after it, whichever branch the first world took (seeds that reported it unreached)", () => {
    const dir = path.join(REPO, "fixtures/drift/same-name-branch");
    for (const seed of ["5", "6", "910626437"]) {
      const run = runCli(["drift", "--baseline", path.join(dir, "v1.mjs"), "--candidate", path.join(dir, "v2.mjs"), "--seed", seed, "--format", "json"], { cwd: tempDir() });
      expect(run.code, run.stdout).toBe(0);
      const report = JSON.parse(run.stdout) as JsonReport & { coverage: { version?: string; reached: number; total: number | null }[] };
      expect(report.coverage.map((c) => [c.version, c.reached, c.total]), `seed ${seed}`).toEqual([
        ["baseline", 1, 1],
        ["candidate", 2, 2],
      ]);
    }
  });
});

describe("dtcheck fuzz", () => {
  const newsletter = path.join(REPO, "fixtures/apps/durabletask/buggy-newsletter");

  it("catches the clock read that lint cannot see and prints the command that goes straight back to it", () => {
    const dir = tempDir();
    const run = runCli(["fuzz", "-m", path.join(newsletter, "worker.ts"), "--input", `@${path.join(newsletter, "input.json")}`, "--runs", "20", "--seed", "3", "--format", "json"], { cwd: dir });
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.findings[0]!.ruleId).toBe("dtcheck/nondeterminism");
    expect(report.findings[0]!.message).toContain('the run that made the history made activity "sendNewsletter" #7; a replay of it with the clock, randomness and environment changed made timer');
    const reproduce = report.notes.find((n) => n.startsWith("reproduce newsletterOrchestrator: dtcheck fuzz "))!;
    // Found by a guided world (one that depends on the worlds before it): the seed alone goes back to it.
    expect(reproduce).toMatch(/--orchestrator newsletterOrchestrator --seed 3$/);
  });

  it("passes the good twin, with its input or one inferred from its type, and is inconclusive (exit 1, no ✔) when neither is there instead of pretending to have tested much", () => {
    const good = path.join(REPO, "fixtures/apps/durabletask/newsletter");
    const withInput = runCli(["fuzz", "-m", path.join(good, "worker.ts"), "--input", `@${path.join(good, "input.json")}`, "--runs", "15", "--seed", "1"], { cwd: tempDir() });
    expect(withInput.code, withInput.stdout).toBe(0);
    expect(withInput.stdout).toMatch(/✔ 1 orchestrator fuzzed \(15 worlds, seed 1\): 1 deterministic, 0 not/);
    expect(withInput.stdout).toContain("newsletterOrchestrator: 3 of 3 durable call sites reached\n");
    const inferred = runCli(["fuzz", "-m", path.join(good, "worker.ts"), "--runs", "15", "--seed", "1"], { cwd: tempDir() });
    expect(inferred.code, inferred.stdout).toBe(0);
    expect(inferred.stdout).toContain("newsletterOrchestrator: 3 of 3 durable call sites reached\n");
    const without = runCli(["fuzz", "-m", path.join(good, "worker.ts"), "--runs", "5", "--seed", "1", "--no-infer-types"], { cwd: tempDir() });
    expect(without.code).toBe(1);
    expect(without.stdout).not.toContain("✔");
    expect(without.stdout).toContain(
      "error  newsletterOrchestrator: inconclusive: 5 of 5 generated instances failed in their first episode (TypeError: Cannot read properties of undefined (reading 'articles')), so little past the start was tested  dtcheck/inconclusive\n",
    );
    expect(without.stdout).toContain("✖ 1 orchestrator fuzzed (5 worlds, seed 1): 0 deterministic, 0 not, 1 inconclusive\nnewsletterOrchestrator: 0 of 3 durable call sites reached\n");
    const allowed = runCli(["fuzz", "-m", path.join(good, "worker.ts"), "--runs", "5", "--seed", "1", "--allow-inconclusive", "--no-infer-types"], { cwd: tempDir() });
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).not.toContain("✔");
    expect(allowed.stdout).toContain("! 1 orchestrator fuzzed (5 worlds, seed 1): 0 deterministic, 0 not, 1 inconclusive\n");
    // Four CLI processes: on a loaded 2-core machine that alone can pass the 30 s default.
  }, 120_000);

  it("rejects bad numbers and durations through commander, exit 2", () => {
    const run = runCli(["fuzz", "-m", "x.ts", "--runs", "ten"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('"ten" is not a positive whole number');
    expect(runCli(["fuzz", "-m", "x.ts", "--time-limit", "soon"]).stderr).toContain('"soon" is not a duration; use e.g. 30s, 2m or 500ms');
  });
});
