/**
 * dtcheck lint's pre-filter (files whose text shows no dtcheck rule can report in them get an
 * empty program instead of a parse) must not change what dtcheck lint reports: the same reports,
 * typed and untyped, on the fixture projects and on cross-file helper chains, with and without it.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import tseslint from "typescript-eslint";
import type { Linter } from "eslint";
import { needsParse, PREFILTER_OPTION, prefilteringParser } from "../../src/lint/prefilter.js";
import { REPO, runCli, type CliRun } from "../run-cli.js";
import { EXPECTED_FINDINGS } from "../../../eslint-plugin/tests/integration/expected-findings.js";
import { EXPECTED_TYPED_FINDINGS } from "../../../eslint-plugin/tests/integration/expected-typed-findings.js";
import { EXPECTED_PROJECT_FINDINGS } from "../../../eslint-plugin/tests/integration/expected-project-findings.js";

/** What the plugin's integration tests expect on fixtures/lint, typed (as lint.test.ts). */
const EXPECTED = [...EXPECTED_FINDINGS, ...EXPECTED_TYPED_FINDINGS, ...EXPECTED_PROJECT_FINDINGS];
/** Without types the typed-* projects' cross-file findings through packages are fewer: 92 in all. */
const EXPECTED_UNTYPED = 92;

interface JsonReport {
  findings: unknown[];
  cases: { name: string; status: string; durationMs?: number }[];
  summary: string;
}

/** The report without its per-file times (ESLint's measured parse and rule times differ run to run). */
function withoutTimes(run: CliRun): JsonReport {
  const report = JSON.parse(run.stdout) as JsonReport;
  return { ...report, cases: report.cases.map(({ durationMs: _time, ...rest }) => rest) };
}

/** Runs dtcheck lint with and without the pre-filter; both exit codes and both reports. */
function both(args: string[], cwd: string): { on: CliRun; off: CliRun } {
  return { on: runCli(["lint", ...args], { cwd }), off: runCli(["lint", ...args, "--no-prefilter"], { cwd }) };
}

function expectSameJson(args: string[], cwd: string): JsonReport {
  const { on, off } = both([...args, "--format", "json"], cwd);
  expect(on.code, on.stderr).toBe(off.code);
  expect(on.stderr).toBe(off.stderr);
  const report = withoutTimes(on);
  expect(report).toEqual(withoutTimes(off));
  return report;
}

/** A helper chain across files, none of which has an orchestrator marker, and files ESLint comments make special. */
let project: string;
const CHAIN = 12;

beforeAll(() => {
  project = mkdtempSync(path.join(tmpdir(), "dtcheck-prefilter-"));
  // The SDK packages for the typed run (the type checker resolves the context type through them).
  symlinkSync(path.join(REPO, "node_modules"), path.join(project, "node_modules"), "dir");
  mkdirSync(path.join(project, "src", "chain"), { recursive: true });
  for (let i = 0; i < CHAIN; i++) {
    const body =
      i === CHAIN - 1
        ? `export function step${i}(): string {\n  return String(Date.now());\n}\n`
        : `import { step${i + 1} } from "./step${i + 1}.js";\nexport function step${i}(): string {\n  return step${i + 1}();\n}\n`;
    writeFileSync(path.join(project, "src", "chain", `step${i}.ts`), body);
  }
  writeFileSync(
    path.join(project, "src", "orchestrator.ts"),
    `import { type OrchestrationContext, TaskHubGrpcWorker } from "@microsoft/durabletask-js";\nimport { step0 } from "./chain/step0.js";\nimport { label } from "./label.js";\n\nexport async function* chained(ctx: OrchestrationContext): any {\n  yield ctx.callActivity("store", step0());\n  yield ctx.callActivity("label", label());\n}\n\nnew TaskHubGrpcWorker({ hostAddress: "localhost:4001" }).addOrchestrator(chained);\n`,
  );
  writeFileSync(path.join(project, "src", "label.ts"), `export const label = (): string => Math.random().toString(36);\n`);
  writeFileSync(path.join(project, "src", "plain.ts"), `export const twice = (n: number): number => n * 2;\n`);
  writeFileSync(path.join(project, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, target: "es2022", module: "nodenext", moduleResolution: "nodenext", noEmit: true, skipLibCheck: true }, include: ["src"] }));
});

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe("dtcheck lint's pre-filter", () => {
  it("gives ESLint an empty program only for files no dtcheck rule can report in; other parses go to typescript-eslint unchanged", () => {
    const parser = prefilteringParser(tseslint.parser as Linter.Parser, false) as unknown as {
      parseForESLint(text: string, options: Record<string, unknown>): { ast: { body: unknown[] } };
    };
    const helper = `export function step(): string {\n  return String(Date.now());\n}\n`;
    const options = { filePath: path.join(project, "src", "helper.ts"), range: true, loc: true, tokens: true, comment: true };
    expect(parser.parseForESLint(helper, { ...options, [PREFILTER_OPTION]: true }).ast.body).toHaveLength(0);
    // The plugin's own parse of a helper (no pre-filter option) is the real one.
    expect(parser.parseForESLint(helper, options).ast.body).toHaveLength(1);
    const orchestrator = `import { type OrchestrationContext } from "@microsoft/durabletask-js";\nexport async function* o(ctx: OrchestrationContext) {}\n`;
    expect(parser.parseForESLint(orchestrator, { ...options, [PREFILTER_OPTION]: true }).ast.body).toHaveLength(2);
    // One object per parser and mode: the plugin's per-parser caches stay shared.
    expect(prefilteringParser(tseslint.parser as Linter.Parser, false)).toBe(parser);
  });

  it("decides from the plugin's markers, ESLint comments that report without rules, and syntax errors", () => {
    const file = path.join(project, "src", "x.ts");
    const decisions = Object.entries({
      plain: "export const a = 1;\n",
      sdkImport: `import { TaskHubGrpcWorker } from "@microsoft/durabletask-js";\n`,
      contextUse: "export function* f(c) { yield c.callActivity('a'); }\n",
      typedMarker: "export type Ctx = Alias.OrchestrationContext;\n",
      jsdocTag: "/** @orchestrator */\nexport function* f() {}\n",
      eslintEnv: "/* eslint-env node */\nexport const a = 1;\n",
      inlineConfig: '/* eslint no-console: "error" */\nexport const a = 1;\n',
      globalComment: "/* global fetchAll: bogus */\nexport const a = 1;\n",
      blockDisableLine: "export const a = 1; /* eslint-disable-line\n no-console */\n",
      exportedComment: "/* exported a */\nexport const a = 1;\n",
      dtcheckDirective: "export const a = 1; // eslint-disable-line @dtcheck/no-such-rule\n",
      foreignDirective: "// eslint-disable-next-line @typescript-eslint/no-explicit-any\nexport const a: any = 1;\n",
      syntaxError: "export const = 1;\n",
    }).map(([name, text]) => `${name}: untyped ${needsParse(text, file, false)}, typed ${needsParse(text, file, true)}`);
    expect(decisions).toEqual([
      "plain: untyped false, typed false",
      "sdkImport: untyped true, typed true",
      "contextUse: untyped true, typed true",
      // A context type can come through an alias from another file only with types.
      "typedMarker: untyped false, typed true",
      "jsdocTag: untyped true, typed true",
      "eslintEnv: untyped true, typed true",
      "inlineConfig: untyped true, typed true",
      "globalComment: untyped true, typed true",
      "blockDisableLine: untyped true, typed true",
      // Never a message of its own without rules.
      "exportedComment: untyped false, typed false",
      "dtcheckDirective: untyped true, typed true",
      "foreignDirective: untyped false, typed false",
      "syntaxError: untyped true, typed true",
    ]);
  });

  it("reports exactly the same on a cross-file helper chain, typed and untyped (byte for byte in ESLint's JSON)", () => {
    for (const types of [[], ["--no-types"]]) {
      const report = expectSameJson(types, project);
      expect(report.summary).toBe(`${CHAIN + 3} files linted: 2 errors, 0 warnings`);
      const { on, off } = both([...types, "--format", "eslint-json"], project);
      expect(on.code).toBe(1);
      expect(on.stdout).toBe(off.stdout);
    }
  }, 120_000);

  it("keeps what ESLint reports without any rule in files the markers would skip: eslint-env, bad inline config or global, a disable-line over two lines, unknown @dtcheck rules, parse errors", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "dtcheck-prefilter-comments-"));
    writeFileSync(path.join(dir, "env.ts"), "/* eslint-env node */\nexport const a = 1;\n");
    writeFileSync(path.join(dir, "inline.ts"), "/* eslint no-console: [error */\nexport const b = 1;\n");
    writeFileSync(path.join(dir, "unknown.ts"), "export const c = 1; // eslint-disable-line @dtcheck/no-such-rule\n");
    writeFileSync(path.join(dir, "foreign.ts"), "// eslint-disable-next-line @typescript-eslint/no-explicit-any\nexport const d: any = 1;\n");
    writeFileSync(path.join(dir, "broken.ts"), "export const = 1;\n");
    writeFileSync(path.join(dir, "global.ts"), "/* global fetchAll: bogus */\nexport const f = 1;\n");
    writeFileSync(path.join(dir, "span.ts"), "export const g = 1; /* eslint-disable-line\n no-console */\n");
    writeFileSync(path.join(dir, "fine.js"), "export const e = () => 1;\n");
    const report = expectSameJson([], dir);
    expect(report.summary).toBe("8 files linted: 6 errors, 0 warnings, 4 not parseable");
    const { on, off } = both(["--format", "eslint-json"], dir);
    expect(on.code).toBe(2);
    expect(on.stdout).toBe(off.stdout);
    rmSync(dir, { recursive: true, force: true });
  });

  it("reports exactly the same on the sample apps, typed and untyped", () => {
    const apps = path.join(REPO, "fixtures/apps");
    for (const types of [[], ["--no-types"]]) {
      const report = expectSameJson(["durabletask", "dapr", "durable-functions", ...types], apps);
      expect(report.summary).toBe("82 files linted: 21 errors, 0 warnings");
    }
  }, 240_000);

  it("reports exactly the same on the lint fixtures, typed (from the repository root) and untyped", () => {
    for (const types of [[], ["--no-types"]]) {
      const report = expectSameJson(["fixtures/lint", ...types], REPO);
      expect(report.findings).toHaveLength(types.length ? EXPECTED_UNTYPED : EXPECTED.length);
    }
  }, 300_000);
});
