import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { EXPECTED_FINDINGS } from "../../../eslint-plugin/tests/integration/expected-findings.js";
import { EXPECTED_TYPED_FINDINGS } from "../../../eslint-plugin/tests/integration/expected-typed-findings.js";
import { EXPECTED_PROJECT_FINDINGS } from "../../../eslint-plugin/tests/integration/expected-project-findings.js";

// Run from the repository root, whose tsconfig.json makes dtcheck lint type-aware: the typed-*
// fixture projects (each with its own tsconfig) then show their cross-file findings too.
const EXPECTED = [...EXPECTED_FINDINGS, ...EXPECTED_TYPED_FINDINGS, ...EXPECTED_PROJECT_FINDINGS.map((f) => `projects/${f}`)];
import { BIN, expectOneLineError, REPO, runCli } from "../run-cli.js";
import { sarifValidator } from "../output/sarif-schema.js";

const lintFixtures = path.join(REPO, "fixtures/lint");

/**
 * What dtcheck's own setup finds in the project of the test above (no settings, nothing ignored):
 * the copy in generated/ imports a ./ids that does not exist there, so only its own hazards.
 */
const OWN_SETUP_FINDINGS = [
  "generated/copy.ts:6:@dtcheck/no-random",
  "generated/copy.ts:7:@dtcheck/no-wall-clock",
  "orchestrator.ts:5:@dtcheck/no-random",
  "orchestrator.ts:6:@dtcheck/no-random",
  "orchestrator.ts:7:@dtcheck/no-wall-clock",
];

interface JsonReport {
  findings: { ruleId: string; level: string; message: string; location: { file: string; line: number } }[];
  cases: { name: string; status: string }[];
  summary: string;
}

describe("dtcheck lint", () => {
  it("finds exactly what the plugin's integration tests expect on fixtures/lint (typed and untyped), and exits 1", () => {
    const run = runCli(["lint", "fixtures/lint", "--format", "json"]);
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as JsonReport;
    const found = report.findings.map((f) => `${path.relative(lintFixtures, f.location.file)}:${f.location.line}:${f.ruleId.replace("@dtcheck/", "")}`);
    expect(found.sort()).toEqual([...EXPECTED].sort());
    expect(report.cases.find((c) => c.name.endsWith("order-good.ts"))?.status).toBe("passed");
  }, 120_000);

  it("exits 0 on clean code, with zero config in a project that has no ESLint setup", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "dtcheck-lint-"));
    writeFileSync(
      path.join(dir, "orchestrator.ts"),
      `import { type OrchestrationContext } from "@microsoft/durabletask-js";\nexport async function* hello(ctx: OrchestrationContext, name: string) {\n  const at = ctx.currentUtcDateTime;\n  return yield ctx.callActivity("greet", { name, at });\n}\n`,
    );
    const run = runCli(["lint"], { cwd: dir });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toBe("✔ 1 file linted: 0 errors, 0 warnings\n");
    rmSync(dir, { recursive: true, force: true });
  });

  it("writes schema-valid SARIF with rule help URIs", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "dtcheck-lint-"));
    const out = path.join(dir, "lint.sarif");
    const run = runCli(["lint", "fixtures/lint", "--format", "sarif", "-o", out]);
    expect(run.code).toBe(1);
    const log = JSON.parse(readFileSync(out, "utf8"));
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const rule = log.runs[0].tool.driver.rules.find((r: { id: string }) => r.id === "@dtcheck/no-wall-clock");
    expect(rule.helpUri).toMatch(/docs\/rules\/no-wall-clock\.md$/);
    expect(log.runs[0].results.length).toBe(EXPECTED.length);
    rmSync(dir, { recursive: true, force: true });
    // A typed lint of every fixture project: 20-25 s on a loaded 2-core machine, near the 30 s default.
  }, 120_000);

  it("reports a file that does not parse as unreadable input (exit 2), not as clean", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "dtcheck-lint-"));
    writeFileSync(path.join(dir, "broken.ts"), "export async function* (ctx { yield\n");
    const run = runCli(["lint", "."], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain("cannot be parsed");
    expect(run.stdout).toContain("1 not parseable");
    rmSync(dir, { recursive: true, force: true });
  });

  it("is type-aware when the directory has a tsconfig.json: follows calls into helper files, down to vendored code (and so does --no-types)", () => {
    const apps = path.join(REPO, "fixtures/apps");
    const typed = JSON.parse(runCli(["lint", "durabletask/buggy-newsletter", "durabletask/buggy-chaining", "--format", "json"], { cwd: apps }).stdout) as JsonReport;
    const crossFile = typed.findings.filter((f) => f.message.includes("→") || /\(durabletask\/[^)]+:\d+\) calls/.test(f.message));
    expect(crossFile.map((f) => `${path.relative(apps, f.location.file)}:${f.location.line}:${f.ruleId}`).sort()).toEqual([
      "durabletask/buggy-chaining/orchestrators.ts:11:@dtcheck/no-io",
      "durabletask/buggy-newsletter/orchestrators.ts:21:@dtcheck/no-wall-clock",
    ]);
    expect(crossFile.find((f) => f.ruleId.endsWith("no-wall-clock"))!.message).toMatch(/^isInSendWindow\(\) \(durabletask\/buggy-newsletter\/vendor\/send-window\/index\.ts:5\) calls Date\.now\(\)/);
    // Without types the analysis follows the imports itself: the same findings, the same messages.
    const untyped = JSON.parse(runCli(["lint", "durabletask/buggy-newsletter", "durabletask/buggy-chaining", "--no-types", "--format", "json"], { cwd: apps }).stdout) as JsonReport;
    const lines = (r: JsonReport) => r.findings.map((f) => `${path.relative(apps, f.location.file)}:${f.location.line}:${f.ruleId} ${f.message}`).sort();
    expect(lines(untyped)).toEqual(lines(typed));
    expect(typed.findings).toHaveLength(7);
  });

  it("never fails on a disable directive for a rule it does not run (an ordinary file with typescript-eslint comments)", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "dtcheck-lint-"));
    writeFileSync(path.join(dir, "util.ts"), `// eslint-disable-next-line @typescript-eslint/no-explicit-any\nexport const x: any = 1;\n/* eslint-disable no-console */\nconsole.log(x);\n`);
    const run = runCli(["lint"], { cwd: dir });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toBe("✔ 1 file linted: 0 errors, 0 warnings\n");
    rmSync(dir, { recursive: true, force: true });
  });

  it("honours the project's ESLint config for dtcheck's rules: settings, rule options and ignores", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "dtcheck-lint-"));
    // The config imports the plugin as a user's would, from the project's node_modules.
    symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"), "dir");
    mkdirSync(path.join(dir, "generated"));
    const orchestrator = `import { type OrchestrationContext } from "@microsoft/durabletask-js";\nimport { formatId } from "./ids";\nexport async function* hello(ctx: OrchestrationContext) {\n  // eslint-disable-next-line @typescript-eslint/no-explicit-any\n  const id: any = formatId();\n  const roll = Math.random();\n  return yield ctx.callActivity("greet", { id, roll, at: Date.now() });\n}\n`;
    writeFileSync(path.join(dir, "orchestrator.ts"), orchestrator);
    writeFileSync(path.join(dir, "generated/copy.ts"), orchestrator);
    writeFileSync(path.join(dir, "ids.ts"), `export function formatId(): string {\n  return crypto.randomUUID();\n}\n`);
    writeFileSync(
      path.join(dir, "eslint.config.mjs"),
      `import tseslint from "typescript-eslint";\nimport dtcheck from "@dtcheck/eslint-plugin";\n\nexport default [\n  { ignores: ["generated/**"] },\n  { files: ["**/*.ts"], languageOptions: { parser: tseslint.parser } },\n  dtcheck.configs.recommended,\n  {\n    settings: { dtcheck: { deterministic: ["formatId"] } },\n    rules: { "@dtcheck/no-random": ["error", { allow: ["Math.random"] }], "no-console": "error" },\n  },\n];\n`,
    );
    const report = JSON.parse(runCli(["lint", "--format", "json"], { cwd: dir }).stdout) as JsonReport;
    // formatId is declared deterministic, Math.random allowed, generated/ ignored, no-console not dtcheck's.
    expect(report.findings.map((f) => `${path.relative(dir, f.location.file)}:${f.location.line}:${f.ruleId}`)).toEqual(["orchestrator.ts:7:@dtcheck/no-wall-clock"]);
    // --no-eslint-config: dtcheck's own setup (typed would need a tsconfig; untyped follows ./ids itself).
    const own = JSON.parse(runCli(["lint", "--no-eslint-config", "--format", "json"], { cwd: dir }).stdout) as JsonReport;
    expect(own.findings.map((f) => `${path.relative(dir, f.location.file)}:${f.location.line}:${f.ruleId}`).sort()).toEqual(OWN_SETUP_FINDINGS);
    rmSync(dir, { recursive: true, force: true });
  });

  it("bad paths are one line and exit 2", () => {
    expect(expectOneLineError(runCli(["lint", "no/such/dir"]))).toBe("dtcheck: no/such/dir: does not exist; check the path");
    const dir = mkdtempSync(path.join(tmpdir(), "dtcheck-lint-"));
    writeFileSync(path.join(dir, "notes.md"), "# nothing to lint\n");
    expect(expectOneLineError(runCli(["lint", "."], { cwd: dir }))).toMatch(/^dtcheck: no JavaScript or TypeScript files found under \.; point dtcheck lint at your source folder$/);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe("dtcheck lint | head", () => {
  it("ends quietly with the run's exit code when the reader of stdout goes away", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "dtcheck-epipe-"));
    try {
      // About a megabyte of text report: far more than a pipe holds, so writes are still pending when head exits.
      const body = Array.from({ length: 3000 }, (_, i) => `  const t${i} = Date.now();`).join("\n");
      writeFileSync(path.join(dir, "orchestrator.ts"), `import type { OrchestrationContext } from "@microsoft/durabletask-js";
export async function* order(ctx: OrchestrationContext) {
${body}
  yield ctx.callActivity("ship", 1);
}
`);
      const script = `{ "${process.execPath}" "${BIN}" lint orchestrator.ts --no-types; echo "dtcheck exit $?" >&2; } | head -1`;
      const run = spawnSync("sh", ["-c", script], { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined } });
      expect(run.stdout).toBe("orchestrator.ts\n");
      expect(run.stderr).toBe("dtcheck exit 1\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("a project ESLint config that does not load is one line naming it, exit 2; one that prints stays out of the report", () => {
  const project = (config: string) => {
    const dir = mkdtempSync(path.join(tmpdir(), "dtcheck-lint-config-"));
    writeFileSync(path.join(dir, "eslint.config.mjs"), config);
    writeFileSync(path.join(dir, "worker.ts"), "export const x = 1;\n");
    return dir;
  };

  it("a package it imports is not installed (typescript-eslint before `npm install` after `dtcheck init`): says what to install", () => {
    const dir = project('import tseslint from "typescript-eslint-not-installed";\nimport dtcheck from "@dtcheck/eslint-plugin";\nexport default [dtcheck.configs.recommended];\n');
    try {
      expect(expectOneLineError(runCli(["lint"], { cwd: dir }))).toBe(
        "dtcheck: eslint.config.mjs: imports typescript-eslint-not-installed, which is not installed; run npm install --save-dev typescript-eslint-not-installed (or lint without the project's config: dtcheck lint --no-eslint-config)",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("it prints while being loaded: the line goes to stderr, json stdout still parses", () => {
    const dir = project('console.log("config loaded");\nexport default [{}];\n');
    try {
      const run = runCli(["lint", "--format", "json"], { cwd: dir });
      expect(run.code, run.stderr).toBe(0);
      expect((JSON.parse(run.stdout) as { tool: string }).tool).toBe("lint");
      expect(run.stderr.split("\n")).toContain("config loaded");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("it throws", () => {
    const dir = project('throw new Error("no config today");\n');
    try {
      expect(expectOneLineError(runCli(["lint"], { cwd: dir }))).toBe("dtcheck: eslint.config.mjs: could not be loaded: no config today; fix it, or lint without it: dtcheck lint --no-eslint-config");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
