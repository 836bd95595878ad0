import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ESLint } from "eslint";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lintPaths } from "../../src/commands/lint.js";
import { BIN, REPO, runCli } from "../run-cli.js";
import { codeScanningProblems } from "./github-sarif.js";
import { validateJUnit } from "./junit-schema.js";
import { sarifValidator } from "./sarif-schema.js";

const ORCHESTRATOR = `import { type OrchestrationContext } from "@microsoft/durabletask-js";
export async function* hello(ctx: OrchestrationContext, name: string) {
  console.log("hello");
  const at = Date.now();
  const again = Date.now();
  return yield ctx.callActivity("greet", { name, at, again });
}
`;

interface SarifResult {
  ruleId: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
  partialFingerprints: Record<string, string>;
  relatedLocations?: unknown[];
  properties?: { generatedFiles: { description: string; path: string }[] };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "dtcheck-outputs-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function project(name: string, files: Record<string, string>): string {
  const root = path.join(dir, name);
  for (const [file, text] of Object.entries(files)) {
    execFileSync("mkdir", ["-p", path.dirname(path.join(root, file))]);
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

function sarifResults(cwd: string): SarifResult[] {
  const run = runCli(["lint", "--format", "sarif"], { cwd });
  expect(run.code, run.stderr).toBe(1);
  return (JSON.parse(run.stdout) as { runs: { results: SarifResult[] }[] }).runs[0]!.results;
}

// Each test spawns the CLI a few times: on a loaded 2-core machine one spawn can take 5-10 s.
describe("lint SARIF that code scanning tracks", { timeout: 120_000 }, () => {
  it("keeps every fingerprint when lines are inserted above the findings, and tells equal findings apart", () => {
    const root = project("shift", { "src/orchestrator.ts": ORCHESTRATOR });
    const before = sarifResults(root);
    writeFileSync(path.join(root, "src/orchestrator.ts"), `// a header\n// added later\n\n${ORCHESTRATOR}`);
    const after = sarifResults(root);
    const summary = (results: SarifResult[]) => results.map((r) => [r.ruleId, r.locations[0]!.physicalLocation.region.startLine, r.partialFingerprints["dtcheckFindingHash/v1"]]);
    expect(summary(after).map(([rule, line]) => [rule, line])).toEqual([
      ["@dtcheck/replay-safe-logging", 6],
      ["@dtcheck/no-wall-clock", 7],
      ["@dtcheck/no-wall-clock", 8],
    ]);
    expect(summary(after).map(([, , hash]) => hash)).toEqual(summary(before).map(([, , hash]) => hash));
    const [, first, second] = after.map((r) => r.partialFingerprints["dtcheckFindingHash/v1"]!);
    expect(first!.split(":")[0]).toBe(second!.split(":")[0]);
    expect([first!.split(":")[1], second!.split(":")[1]]).toEqual(["1", "2"]);
  });

  it("gives a changed finding a new fingerprint", () => {
    const root = project("change", { "src/orchestrator.ts": ORCHESTRATOR });
    const before = sarifResults(root).map((r) => r.partialFingerprints["dtcheckFindingHash/v1"]);
    writeFileSync(path.join(root, "src/orchestrator.ts"), ORCHESTRATOR.replace("const at = Date.now();", "const at = new Date();"));
    const after = sarifResults(root).map((r) => r.partialFingerprints["dtcheckFindingHash/v1"]);
    expect(after[0]).toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
    // The untouched Date.now() is now the only one of its kind: occurrence 1.
    expect(after[2]).toBe(before[1]);
  });

  it("is schema-valid and has what code scanning reads, with relative paths in messages of cross-file findings", () => {
    const apps = path.join(REPO, "fixtures/apps");
    const run = runCli(["lint", "durabletask/buggy-newsletter", "--format", "sarif"], { cwd: apps });
    expect(run.code, run.stderr).toBe(1);
    const log = JSON.parse(run.stdout);
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    expect(codeScanningProblems(log)).toEqual([]);
    const chain = (log.runs[0].results as SarifResult[]).find((r) => r.message.text.startsWith("isInSendWindow()"))!;
    expect(chain.message.text).toMatch(/^isInSendWindow\(\) \(durabletask\/buggy-newsletter\/vendor\/send-window\/index\.ts:5\) calls Date\.now\(\)/);
  });
});

// Each test spawns the CLI a few times: on a loaded 2-core machine one spawn can take 5-10 s.
describe("lint JUnit", { timeout: 120_000 }, () => {
  it("names file and line, types the failure with the rule, keeps warnings as output, and validates against the Jenkins schema", async () => {
    const root = project("junit", { "src/orchestrator.ts": ORCHESTRATOR, "src/clean.ts": "export const x = 1;\n" });
    const run = runCli(["lint", "--format", "junit"], { cwd: root });
    expect(run.code, run.stderr).toBe(1);
    const xml = run.stdout;
    expect(xml).toMatch(/<testcase name="src\/clean\.ts" classname="dtcheck\.lint" time="\d+\.\d{3}" file="src\/clean\.ts"\/>/);
    expect(xml).toMatch(/<testcase name="src\/orchestrator\.ts" classname="dtcheck\.lint" time="\d+\.\d{3}" file="src\/orchestrator\.ts" line="4">/);
    expect(xml).toContain('<failure message="2 determinism errors (@dtcheck/no-wall-clock)" type="@dtcheck/no-wall-clock">src/orchestrator.ts:4:14 Date.now() returns a different time on replay');
    expect(xml).toContain("<system-out>1 warning:\nsrc/orchestrator.ts:3:3 console.log() in an orchestrator runs again on every replay");
    expect(await validateJUnit(xml, { withoutExtensions: true })).toEqual({ valid: true, errors: [] });
    // Durations are ESLint's own per-file measurement, not a placeholder.
    const json = JSON.parse(runCli(["lint", "--format", "json"], { cwd: root }).stdout) as { cases: { name: string; durationMs?: number }[] };
    expect(json.cases.map((c) => [c.name, typeof c.durationMs])).toEqual([
      ["src/clean.ts", "number"],
      ["src/orchestrator.ts", "number"],
    ]);
  });
});

// Each test spawns the CLI a few times: on a loaded 2-core machine one spawn can take 5-10 s.
describe("eslint-json", { timeout: 120_000 }, () => {
  it("prints exactly what ESLint's json formatter prints for the same results", async () => {
    const root = project("eslint-json", { "src/orchestrator.ts": ORCHESTRATOR, "src/clean.ts": "export const x = 1;\n" });
    const run = runCli(["lint", "--format", "eslint-json"], { cwd: root });
    expect(run.code, run.stderr).toBe(1);
    const results = await lintPaths(["."], { cwd: root });
    const formatter = await new ESLint({ cwd: root }).loadFormatter("json");
    const expected = await formatter.format(results.map(({ stats: _stats, ...result }) => result), {});
    expect(run.stdout).toBe(`${expected}\n`);
    const parsed = JSON.parse(run.stdout) as { filePath: string; errorCount: number; warningCount: number }[];
    expect(parsed.map((r) => [path.relative(root, r.filePath), r.errorCount, r.warningCount])).toEqual([
      ["src/clean.ts", 0, 0],
      ["src/orchestrator.ts", 2, 1],
    ]);
  });

  it("is offered by lint only", () => {
    const run = runCli(["replay", "x.json", "--format", "eslint-json"]);
    expect(run.code).toBe(2);
    expect(run.stderr.split("\n")[0]).toBe("error: option '-f, --format <format>' argument 'eslint-json' is invalid. Allowed choices are text, json, sarif, junit.");
  });
});

// Each test spawns the CLI a few times: on a loaded 2-core machine one spawn can take 5-10 s.
describe("fix hints and reproduce commands", { timeout: 120_000 }, () => {
  let app: string;
  beforeAll(() => {
    app = project("clock", {
      "package.json": JSON.stringify({ type: "module" }),
      "clock.ts": `import { TaskHubGrpcWorker, type OrchestrationContext } from "@microsoft/durabletask-js";
export async function* stamp(ctx: OrchestrationContext): AsyncGenerator<unknown, string, unknown> {
  return (yield ctx.callActivity("log", Date.now())) as string;
}
const worker = new TaskHubGrpcWorker({ hostAddress: "localhost:4001" });
worker.addOrchestrator(stamp);
`,
      "stubs.json": JSON.stringify({ log: "ok" }),
    });
    symlinkSync(path.join(REPO, "node_modules"), path.join(app, "node_modules"));
  });

  it("replay --strict on a clock read advises the replacement API first, not only version gating", () => {
    expect(runCli(["record", "-m", "clock.ts", "--stubs", "stubs.json", "--out", "clock.json"], { cwd: app }).code).toBe(0);
    const run = runCli(["replay", "clock.json", "-m", "clock.ts", "--strict"], { cwd: app });
    expect(run.code, run.stderr).toBe(1);
    const fix = run.stdout.split("\n").find((line) => line.trimStart().startsWith("fix: "))!.trim();
    expect(fix).toBe(
      "fix: the orchestrator (or a helper it calls) reads the clock, randomness or process.env directly; use ctx.currentUtcDateTime, ctx.newGuid() (durabletask-js) and the orchestration input instead, or move the call into an activity whose result the history records; if you changed the value on purpose, gate the change on the instance's version (ctx.compareVersionTo(...))",
    );
  });

  it("fuzz prints only dtcheck commands, quoted for the shell, and the printed command reproduces the failure", () => {
    const newsletter = path.join(REPO, "fixtures/apps/durabletask/buggy-newsletter");
    const input = readFileSync(path.join(newsletter, "input.json"), "utf8");
    const run = runCli(["fuzz", "-m", path.join(newsletter, "worker.ts"), "--input", input, "--runs", "20", "--seed", "3"], { cwd: app });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).not.toContain("checkDeterminism(");
    const reproduce = run.stdout.split("\n").filter((line) => line.trimStart().startsWith("reproduce"));
    expect(reproduce).toHaveLength(2);
    const command = reproduce[1]!.slice("reproduce newsletterOrchestrator: ".length);
    expect(reproduce[0]!.trim()).toBe(`reproduce: ${command}`);
    expect(command.startsWith(`dtcheck fuzz --module ${path.join(newsletter, "worker.ts")} --input '{`)).toBe(true);
    // The shell hands the command's arguments back exactly; run them as the user would.
    const again = execFileSync("bash", ["-c", `dtcheck() { "${process.execPath}" "${BIN}" "$@"; }; ${command}; echo "exit $?"`], { cwd: app, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(again.trimEnd().split("\n").at(-1)).toBe("exit 1");
    expect(again).toContain("✖ 1 orchestrator fuzzed");
    // On Saturday afternoon the vendored send window is closed: the replay waits on a timer where the run sent.
    expect(again).toContain('the run that made the history made activity "sendNewsletter" #7; a replay of it with the clock, randomness and environment changed made timer');
  });

  it("fuzz SARIF names the minimal history without linking into .dtcheck, and messages carry no absolute paths or times", () => {
    const newsletter = path.join(REPO, "fixtures/apps/durabletask/buggy-newsletter");
    const outDir = path.join(dir, "failures");
    const run = runCli(["fuzz", "-m", path.join(newsletter, "worker.ts"), "--input", `@${path.join(newsletter, "input.json")}`, "--runs", "20", "--seed", "3", "--out-dir", outDir, "--format", "sarif"]);
    expect(run.code, run.stderr).toBe(1);
    const log = JSON.parse(run.stdout);
    expect(codeScanningProblems(log)).toEqual([]);
    const [result] = log.runs[0].results as SarifResult[];
    expect(result!.relatedLocations).toBeUndefined();
    expect(result!.properties!.generatedFiles).toEqual([{ description: "minimal history (28 events)", path: path.relative(REPO, path.join(outDir, "perturbed-replay-newsletterOrchestrator-seed3.protobuf-json.json")) }]);
    expect(result!.message.text).toBe(
      'newsletterOrchestrator: episode 6: the run that made the history made activity "sendNewsletter" #7; a replay of it with the clock, randomness and environment changed made timer (fires <time 1>) #7 instead; made at fixtures/apps/durabletask/buggy-newsletter/orchestrators.ts:22',
    );
  });
});
