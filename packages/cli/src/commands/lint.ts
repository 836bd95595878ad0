import { existsSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { ESLint, type Linter } from "eslint";
import tseslint from "typescript-eslint";
import dtcheck from "@dtcheck/eslint-plugin";
import { InputError, codeFrame } from "@dtcheck/replay-tester";
import type { Finding, Report, RuleInfo, TestCase } from "../output/report.js";
import { commandContext, finish, type OutputFlags } from "./context.js";

interface LintFlags extends OutputFlags {
  fix?: boolean;
  strict?: boolean;
  /** commander's --no-types: false turns type-aware analysis off. */
  types?: boolean;
}

const SOURCE_FILES = ["**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}"];
const IGNORES = ["**/node_modules/**", "**/dist/**", "**/build/**", "**/coverage/**", "**/*.d.ts"];

function ruleCatalogue(): RuleInfo[] {
  return Object.entries(dtcheck.rules).map(([name, rule]) => {
    const docs = (rule as { meta?: { docs?: { description?: string; url?: string; recommended?: string | false } } }).meta?.docs;
    return {
      id: `@dtcheck/${name}`,
      description: docs?.description ?? name,
      helpUri: docs?.url,
      defaultLevel: docs?.recommended === "warn" ? "warning" : "error",
    };
  });
}

/**
 * dtcheck lint is zero-config: it runs only dtcheck's rules with its own parser setup, whatever
 * ESLint config the project has, so adopting it needs no change to the project's lint setup.
 */
function lintConfig(strict: boolean, typed: { tsconfigRootDir: string } | undefined): Linter.Config[] {
  const name = `${strict ? "strict" : "recommended"}${typed ? "-type-checked" : ""}` as const;
  const preset = dtcheck.configs[name] as Linter.Config;
  return [
    { ignores: IGNORES },
    {
      files: SOURCE_FILES,
      languageOptions: {
        parser: tseslint.parser as Linter.Parser,
        sourceType: "module",
        ecmaVersion: "latest",
        ...(typed ? { parserOptions: { projectService: true, tsconfigRootDir: typed.tsconfigRootDir } } : {}),
      },
      linterOptions: { reportUnusedDisableDirectives: "off" },
    },
    { ...preset, files: SOURCE_FILES, ...(typed ? { languageOptions: { ...preset.languageOptions, parserOptions: { projectService: true, tsconfigRootDir: typed.tsconfigRootDir } } } : {}) },
  ];
}

/** typescript-eslint's fatal error for a file no tsconfig includes: lint it without types instead of failing it. */
const NOT_IN_PROJECT = /was not found by the project service|not included in any of the provided project|none of those TSConfigs include this file/;

export function lintReport(results: ESLint.LintResult[], cwd: string): Report {
  const findings: Finding[] = [];
  const cases: TestCase[] = [];
  let parseErrors = 0;
  for (const result of results) {
    const name = path.relative(cwd, result.filePath);
    const fatal = result.messages.find((m) => m.fatal);
    if (fatal) {
      parseErrors++;
      cases.push({ name, suite: "lint", status: "error", message: `${name}:${fatal.line}:${fatal.column}: ${fatal.message}` });
      findings.push({ ruleId: "dtcheck/parse-error", level: "error", message: `cannot be parsed: ${fatal.message}`, location: { file: result.filePath, line: fatal.line, column: fatal.column } });
      continue;
    }
    for (const m of result.messages) {
      findings.push({
        ruleId: m.ruleId ?? "eslint",
        level: m.severity === 2 ? "error" : "warning",
        message: m.message,
        location: { file: result.filePath, line: m.line, column: m.column, endLine: m.endLine, endColumn: m.endColumn },
        detail: codeFrame({ file: result.filePath, line: m.line, column: m.column }, 1) || undefined,
      });
    }
    const errors = result.messages.filter((m) => m.severity === 2);
    cases.push({
      name,
      suite: "lint",
      status: errors.length ? "failed" : "passed",
      message: errors.length ? `${errors.length} determinism ${errors.length === 1 ? "error" : "errors"}` : undefined,
      detail: errors.map((m) => `${name}:${m.line}:${m.column} ${m.message} (${m.ruleId})`).join("\n") || undefined,
    });
  }
  const errors = findings.filter((f) => f.level === "error").length;
  const warnings = findings.length - errors;
  const files = results.length;
  const rules = ruleCatalogue();
  if (parseErrors) rules.push({ id: "dtcheck/parse-error", description: "A source file could not be parsed.", defaultLevel: "error" });
  return {
    tool: "lint",
    rules,
    findings,
    cases,
    summary: `${files} ${files === 1 ? "file" : "files"} linted: ${errors} ${errors === 1 ? "error" : "errors"}, ${warnings} ${warnings === 1 ? "warning" : "warnings"}${parseErrors ? `, ${parseErrors} not parseable` : ""}`,
  };
}

export interface LintOptions {
  cwd: string;
  fix?: boolean;
  strict?: boolean;
  /** Type-aware analysis (follows calls across files): default when cwd has a tsconfig.json. */
  types?: boolean;
}

function eslintFor(options: LintOptions, typed: boolean): ESLint {
  return new ESLint({
    cwd: options.cwd,
    overrideConfigFile: true,
    overrideConfig: lintConfig(options.strict ?? false, typed ? { tsconfigRootDir: options.cwd } : undefined),
    fix: options.fix ?? false,
    errorOnUnmatchedPattern: false,
  });
}

export async function lintPaths(paths: string[], options: LintOptions): Promise<ESLint.LintResult[]> {
  for (const p of paths) {
    if (!/[*?{[]/.test(p) && !existsSync(path.resolve(options.cwd, p))) throw new InputError("does not exist; check the path", { file: p });
  }
  const typed = options.types ?? existsSync(path.join(options.cwd, "tsconfig.json"));
  let results = await eslintFor(options, typed).lintFiles(paths);
  if (typed) {
    // Files outside every tsconfig (scripts, configs) still get the untyped analysis.
    const outside = results.filter((r) => r.messages.some((m) => m.fatal && NOT_IN_PROJECT.test(m.message)));
    if (outside.length) {
      const again = await eslintFor(options, false).lintFiles(outside.map((r) => r.filePath));
      const byFile = new Map(again.map((r) => [r.filePath, r]));
      results = results.map((r) => byFile.get(r.filePath) ?? r);
    }
  }
  if (options.fix) await ESLint.outputFixes(results);
  if (results.length === 0) throw new InputError(`no JavaScript or TypeScript files found under ${paths.join(", ")}; point dtcheck lint at your source folder`);
  return results;
}

async function runLint(paths: string[], flags: LintFlags): Promise<void> {
  const ctx = await commandContext(flags);
  const targets = paths.length ? paths : ["."];
  const results = await lintPaths(targets, { cwd: ctx.cwd, fix: flags.fix, strict: flags.strict, types: flags.types === false ? false : undefined });
  finish(lintReport(results, ctx.cwd), flags, ctx.cwd);
}

export function registerLint(program: Command, withOutput: (c: Command) => Command): void {
  withOutput(
    program
      .command("lint")
      .summary("find non-deterministic orchestrator code")
      .description("Lint JavaScript and TypeScript sources with dtcheck's rules (recommended config; needs no ESLint setup of your own) and report non-deterministic orchestrator code. With a tsconfig.json in the current directory the analysis is type-aware: it follows calls into helpers across files and packages.")
      .argument("[paths...]", "files, directories or globs (default: the current directory)")
      .option("--fix", "apply safe automatic fixes")
      .option("--strict", "use the strict config (every rule as an error)")
      .option("--no-types", "skip type-aware analysis (on by default when the current directory has a tsconfig.json)")
      .addHelpText("after", "\nExample:\n  $ dtcheck lint src\n  $ dtcheck lint --format sarif --output dtcheck.sarif"),
  ).action(runLint);
}
