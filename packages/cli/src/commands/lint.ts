import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { ESLint, type Linter } from "eslint";
import dtcheck from "@dtcheck/eslint-plugin";
import { InputError, codeFrame, fileShardKey, selectShard, type Shard } from "@dtcheck/replay-tester";
import { glob } from "tinyglobby";
import { inShard, type Finding, type Report, type RuleInfo, type ShardInfo, type TestCase } from "../output/report.js";
import { progress, type Progress } from "../progress.js";
import { createEslint, DTCHECK_RULE, type LintSetup } from "../lint/eslint-options.js";
import { commandContext, finish, type OutputFlags } from "./context.js";

interface LintFlags extends OutputFlags {
  fix?: boolean;
  strict?: boolean;
  /** commander's --no-types: false turns type-aware analysis off. */
  types?: boolean;
  /** commander's --no-eslint-config: false ignores the project's own ESLint config. */
  eslintConfig?: boolean;
  shard?: ShardInfo;
  /** commander's --no-prefilter: false makes ESLint parse every file. */
  prefilter?: boolean;
  workers?: number;
}

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

/** typescript-eslint's fatal error for a file no tsconfig includes: lint it without types instead of failing it. */
const NOT_IN_PROJECT = /was not found by the project service|not included in any of the provided project|none of those TSConfigs include this file/;

/** What ESLint measured for the file (parse, rules and fixes, every pass), with `stats: true`. */
function lintTime(result: ESLint.LintResult): number | undefined {
  const passes = result.stats?.times.passes;
  return passes ? passes.reduce((sum, pass) => sum + pass.total, 0) : undefined;
}

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
    const warnings = result.messages.filter((m) => m.severity === 1);
    const listed = (messages: Linter.LintMessage[]) => messages.map((m) => `${name}:${m.line}:${m.column} ${m.message} (${m.ruleId})`).join("\n") || undefined;
    const ruleIds = [...new Set(errors.map((m) => m.ruleId ?? "eslint"))];
    cases.push({
      name,
      suite: "lint",
      status: errors.length ? "failed" : "passed",
      message: errors.length ? `${errors.length} determinism ${errors.length === 1 ? "error" : "errors"} (${ruleIds.join(", ")})` : undefined,
      detail: listed(errors),
      file: result.filePath,
      line: errors[0]?.line ?? warnings[0]?.line,
      ruleId: ruleIds[0],
      output: warnings.length ? `${warnings.length} ${warnings.length === 1 ? "warning" : "warnings"}:\n${listed(warnings)}` : undefined,
      durationMs: lintTime(result),
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
  /** Use the project's own ESLint config when it loads dtcheck (default true). */
  eslintConfig?: boolean;
  /** Only the files of this shard (by path relative to cwd); the analysis still follows calls into every file. */
  shard?: Shard;
  /** Files linted n/N on a terminal (the files are then listed first and linted in batches). */
  progress?: Progress;
  /**
   * Zero-config mode: give ESLint an empty program for files whose text shows no dtcheck rule can
   * report in them, instead of parsing them (default true; the results are the same).
   */
  prefilter?: boolean;
  /**
   * Threads linting at once (ESLint's `concurrency`; default 1, in this thread). The results are
   * the same, in the same order, for any number.
   */
  workers?: number;
  /**
   * Called once, after linting, when ESLint found that its threads spent under 70% of their time
   * linting (starting, loading configs, reading files): fewer workers would likely be as fast.
   */
  onPoorConcurrency?: () => void;
}

/**
 * The files `lintFiles(paths)` would lint, then this shard's part of them: every file below the
 * paths that the config does not ignore (ESLint counts a file no config matches as ignored).
 */
async function filesToLint(eslint: ESLint, paths: string[], cwd: string, shard: Shard | undefined): Promise<string[]> {
  const candidates = new Set<string>();
  for (const target of paths) {
    const absolute = path.resolve(cwd, target);
    const isDirectory = !/[*?{[]/.test(target) && existsSync(absolute) && statSync(absolute).isDirectory();
    const pattern = /[*?{[]/.test(target) ? target : isDirectory ? `${path.relative(cwd, absolute).split(path.sep).join("/") || "."}/**/*` : undefined;
    if (pattern === undefined) candidates.add(absolute);
    else for (const file of await glob(pattern, { cwd, absolute: true, ignore: ["**/node_modules/**"] })) candidates.add(path.resolve(file));
  }
  const linted: string[] = [];
  for (const file of [...candidates].sort()) if (!(await eslint.isPathIgnored(file))) linted.push(file);
  if (linted.length === 0) throw new InputError(`no files to lint under ${paths.join(", ")}; point dtcheck lint at your source folder`);
  return shard ? selectShard(linted, (file) => fileShardKey(file, cwd), shard) : linted;
}

/**
 * Files per lintFiles call when progress is shown: small enough for the line to move on a big
 * project, large enough that ESLint's per-call work (config lookup, result assembly) stays noise.
 * The parser's TypeScript program is kept between calls, so a typed run is not rebuilt per batch.
 */
const PROGRESS_BATCH = 20;

/**
 * lintFiles, on the shard's files only when sharded (an empty shard lints nothing), in batches when
 * progress is shown. With worker threads, every lintFiles call starts its own (each worker loads
 * typescript-eslint and, typed, builds its own program), so the files are linted in one call and
 * the count moves once it returns.
 */
async function lintTargets(eslint: ESLint, paths: string[], options: LintOptions): Promise<ESLint.LintResult[]> {
  const bar = options.progress?.enabled ? options.progress : undefined;
  if (!options.shard && !bar) return eslint.lintFiles(paths);
  const files = await filesToLint(eslint, paths, options.cwd, options.shard);
  if (!bar) return files.length ? eslint.lintFiles(files) : [];
  bar.total(files.length);
  if ((options.workers ?? 1) > 1) {
    bar.status(`linting ${files.length} ${files.length === 1 ? "file" : "files"} on ${options.workers} threads`);
    const results = files.length ? await eslint.lintFiles(files) : [];
    for (const file of files) bar.tick(path.relative(options.cwd, file));
    bar.done();
    return results;
  }
  const results: ESLint.LintResult[] = [];
  for (let start = 0; start < files.length; start += PROGRESS_BATCH) {
    const batch = files.slice(start, start + PROGRESS_BATCH);
    bar.status(path.relative(options.cwd, batch[0]!));
    results.push(...(await eslint.lintFiles(batch)));
    for (const file of batch) bar.tick(path.relative(options.cwd, file));
  }
  bar.done();
  return results;
}

/**
 * The project's flat config file, when it loads @dtcheck/eslint-plugin (directly or through a
 * shared config: then the computed config for a source file in cwd names the plugin).
 */
async function projectConfigFile(cwd: string): Promise<string | undefined> {
  const probe = new ESLint({ cwd });
  const file = await probe.findConfigFile();
  if (!file) return undefined;
  // Loaded here, where a config that fails to load is known to be the cause, not in the middle of linting.
  let computed: { plugins?: Record<string, unknown> } | undefined;
  try {
    computed = (await printingToStderr(() => probe.calculateConfigForFile(path.join(cwd, "index.ts")))) as typeof computed;
  } catch (error) {
    throw configLoadError(path.relative(cwd, file) || file, error);
  }
  if (readFileSync(file, "utf8").includes("@dtcheck")) return file;
  return computed?.plugins && Object.keys(computed.plugins).some((p) => p.startsWith("@dtcheck")) ? file : undefined;
}

/**
 * Runs `load` (the project's config being imported: its top-level code runs then, once) with what
 * it prints sent to stderr: stdout carries the report, and a config's log line would break json or sarif.
 */
async function printingToStderr<T>(load: () => Promise<T>): Promise<T> {
  const write = process.stdout.write;
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  try {
    return await load();
  } finally {
    process.stdout.write = write;
  }
}

/**
 * The project's ESLint config did not load: one line naming it. A package it imports that is not
 * installed (typescript-eslint, which `dtcheck init` adds to the config and asks to install) says
 * what to install.
 */
function configLoadError(file: string, error: unknown): InputError {
  const message = String((error as Error)?.message ?? error).split("\n")[0]!;
  const missing = /Cannot find (?:package|module) '([^']+)'/.exec(message)?.[1];
  if (missing && !missing.startsWith(".") && !path.isAbsolute(missing)) {
    const name = missing.startsWith("@") ? missing.split("/").slice(0, 2).join("/") : missing.split("/")[0]!;
    return new InputError(`imports ${name}, which is not installed; run npm install --save-dev ${name} (or lint without the project's config: dtcheck lint --no-eslint-config)`, { file, cause: error });
  }
  return new InputError(`could not be loaded: ${message}; fix it, or lint without it: dtcheck lint --no-eslint-config`, { file, cause: error });
}

/** ESLint's error for a disable directive naming a rule that is not loaded. */
const UNKNOWN_RULE = /^Definition for rule '(.+)' was not found\.$/;

/**
 * `// eslint-disable-next-line @typescript-eslint/no-explicit-any` names a rule dtcheck does not
 * run: never a finding of dtcheck's (ESLint reports it as an error when the rule is not loaded).
 */
function withoutForeignDirectiveErrors(result: ESLint.LintResult): ESLint.LintResult {
  const foreign = (m: Linter.LintMessage) => {
    const rule = UNKNOWN_RULE.exec(m.message)?.[1];
    return rule !== undefined && m.ruleId === rule && !DTCHECK_RULE.test(rule);
  };
  const dropped = result.messages.filter(foreign);
  if (dropped.length === 0) return result;
  const errors = dropped.filter((m) => m.severity === 2).length;
  const messages = result.messages.filter((m) => !foreign(m));
  // ESLint gives a file's source only with errors or warnings: with none left, as for a clean file.
  const { source: _source, ...withoutSource } = result;
  return {
    ...(messages.length === 0 ? withoutSource : result),
    messages,
    errorCount: result.errorCount - errors,
    warningCount: result.warningCount - (dropped.length - errors),
  };
}

/** Files per lint thread for the second, untyped pass (ESLint's own figure for `concurrency: "auto"`). */
const FILES_PER_THREAD = 50;

/** The setup of this run (what `createEslint` builds an ESLint from). */
function setupFor(options: LintOptions, config: LintSetup["config"], typed: boolean): LintSetup {
  return { cwd: options.cwd, config, strict: options.strict ?? false, typed, prefilter: options.prefilter ?? true, fix: options.fix ?? false, workers: options.workers ?? 1 };
}

/**
 * ESLint may find its threads poorly used after each multithreaded call (a typed run lints files
 * outside every tsconfig in a second one): the caller hears it once, after the last.
 */
export async function lintPaths(paths: string[], options: LintOptions): Promise<ESLint.LintResult[]> {
  let poorConcurrency = false;
  const results = await lintInPasses(paths, options, () => {
    poorConcurrency = true;
  });
  if (poorConcurrency) options.onPoorConcurrency?.();
  return results;
}

async function lintInPasses(paths: string[], options: LintOptions, poorConcurrencyNote: () => void): Promise<ESLint.LintResult[]> {
  for (const p of paths) {
    if (!/[*?{[]/.test(p) && !existsSync(path.resolve(options.cwd, p))) throw new InputError("does not exist; check the path", { file: p });
  }
  const configFile = options.eslintConfig === false ? undefined : await projectConfigFile(options.cwd);
  if (configFile) {
    const results = (await lintTargets(await createEslint(setupFor(options, "project", false), poorConcurrencyNote), paths, options)).map(withoutForeignDirectiveErrors);
    if (options.fix) await ESLint.outputFixes(results);
    if (results.length === 0 && !options.shard) throw new InputError(`no files to lint under ${paths.join(", ")} with ${path.relative(options.cwd, configFile)}; point dtcheck lint at your source folder`);
    return results;
  }
  const typed = options.types ?? existsSync(path.join(options.cwd, "tsconfig.json"));
  let results = (await lintTargets(await createEslint(setupFor(options, "zero-config", typed), poorConcurrencyNote), paths, options)).map(withoutForeignDirectiveErrors);
  if (typed) {
    // Files outside every tsconfig (scripts, configs) still get the untyped analysis.
    const outside = results.filter((r) => r.messages.some((m) => m.fatal && NOT_IN_PROJECT.test(m.message)));
    if (outside.length) {
      // Usually a few scripts and configs: a thread costs about a second to start, so each thread
      // here gets at least ESLint's own "auto" share (50 files), and a few files stay in this one.
      const workers = Math.min(options.workers ?? 1, Math.ceil(outside.length / FILES_PER_THREAD));
      const untyped = await createEslint({ ...setupFor(options, "zero-config", false), workers }, poorConcurrencyNote);
      const again = (await untyped.lintFiles(outside.map((r) => r.filePath))).map(withoutForeignDirectiveErrors);
      const byFile = new Map(again.map((r) => [r.filePath, r]));
      results = results.map((r) => byFile.get(r.filePath) ?? r);
    }
  }
  if (options.fix) await ESLint.outputFixes(results);
  if (results.length === 0 && !options.shard) throw new InputError(`no JavaScript or TypeScript files found under ${paths.join(", ")}; point dtcheck lint at your source folder`);
  return results;
}

export async function runLint(paths: string[], flags: LintFlags): Promise<void> {
  const ctx = await commandContext(flags);
  const targets = paths.length ? paths : ["."];
  const results = await lintPaths(targets, {
    cwd: ctx.cwd,
    fix: flags.fix,
    strict: flags.strict,
    types: flags.types === false ? false : undefined,
    eslintConfig: flags.eslintConfig !== false,
    shard: flags.shard,
    progress: progress(undefined, { quiet: flags.quiet }),
    prefilter: flags.prefilter !== false,
    workers: flags.workers,
    // In place of ESLint's own warning, which advises its own option.
    onPoorConcurrency: () => process.stderr.write("dtcheck: note: the lint threads spent much of their time starting (each loads typescript-eslint and, with types, builds its own TypeScript program) rather than linting; fewer --workers may be faster on this project\n"),
  });
  const report = lintReport(results, ctx.cwd);
  if (flags.format === "eslint-json") report.native = { "eslint-json": await eslintJson(results, ctx.cwd) };
  finish(inShard(report, flags.shard), flags, ctx.cwd);
}

/** Exactly what `eslint --format json` prints for these results (ESLint's own formatter; no --stats timings). */
export async function eslintJson(results: ESLint.LintResult[], cwd: string): Promise<string> {
  const formatter = await new ESLint({ cwd, overrideConfigFile: true }).loadFormatter("json");
  const withoutStats = results.map(({ stats: _stats, ...result }) => result);
  return (await formatter.format(withoutStats, {})) + "\n";
}
