// Lint cost of @dtcheck/eslint-plugin: ESLint with the typescript-eslint parser and no rules vs.
// the same with the plugin's `recommended` config, on a generated corpus of 1,000+ TypeScript files
// (about 10% orchestrators with helpers, across the three SDKs). Headline: dtcheck's recommended on
// top of typescript-eslint's recommended (untyped) and recommended-type-checked (typed), CPU and wall,
// medians of >= 5 interleaved rounds, one fresh process per round (target <= 5% CPU); then
// parse-only and no-op-rule references, typed mode and editor latency. Then whole `dtcheck lint`
// processes: with and without its pre-filter (untyped and typed, CPU and wall, medians of >= 5
// interleaved rounds), --workers 2 against --workers 1 (the same; target >= 1.5x wall), and typed
// peak RSS on a 3,000-file project (target <= 1 GB).
// Corpora are generated in os.tmpdir() (the repository's node_modules linked in), never in the repository.
// Usage: npm run bench -- lint   (needs `npm run build` first: imports packages/eslint-plugin/dist)
//        LINT_BENCH_ONLY=over-recommended node bench/lint.bench.mjs   (the headline alone;
//        LINT_BENCH_OVER_MODES=untyped or =typed for one mode, LINT_BENCH_OVER_ROUNDS=n for more rounds)
//        LINT_BENCH_ONLY=prefilter (LINT_BENCH_PREFILTER_ROUNDS=n) or LINT_BENCH_ONLY=typed-memory
//        (LINT_BENCH_MEMORY_FILES=n) or LINT_BENCH_ONLY=workers (LINT_BENCH_WORKERS_ROUNDS=n;
//        LINT_BENCH_OVER_MODES=untyped or =typed) for the dtcheck lint figures alone
import { execFileSync } from "node:child_process";
import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import tsParser from "@typescript-eslint/parser";
import tseslint from "typescript-eslint";
import plugin from "../packages/eslint-plugin/dist/index.js";
import { needsParse } from "../packages/cli/dist/lint/prefilter.js";
import { loadLine, median as exactMedian } from "./lib/stats.mjs";

const FILES = Number(process.env.LINT_BENCH_FILES ?? 1000);
const TYPED = process.env.LINT_BENCH_TYPED !== "0";
const TYPED_ROUNDS = Number(process.env.LINT_BENCH_TYPED_ROUNDS ?? 2);
const REPO = fileURLToPath(new URL("..", import.meta.url));
const ROUNDS = Number(process.env.LINT_BENCH_ROUNDS ?? 3);
/** Rounds of the headline measurement (dtcheck on top of typescript-eslint recommended). */
const OVER_ROUNDS = Math.max(5, Number(process.env.LINT_BENCH_OVER_ROUNDS ?? 5));
const DTCHECK = path.join(REPO, "packages/cli/bin/dtcheck.js");
const CPU_AT_EXIT = fileURLToPath(new URL("./lib/cpu-at-exit.cjs", import.meta.url));
const RSS_AT_EXIT = fileURLToPath(new URL("./lib/max-rss-at-exit.cjs", import.meta.url));
/** Rounds of the whole-process dtcheck lint measurements (pre-filter on and off, interleaved). */
const PREFILTER_ROUNDS = Math.max(5, Number(process.env.LINT_BENCH_PREFILTER_ROUNDS ?? 5));
/** Rounds of `dtcheck lint --workers 1` against `--workers 2` (interleaved), and the wall-time target. */
const WORKERS_ROUNDS = Math.max(5, Number(process.env.LINT_BENCH_WORKERS_ROUNDS ?? 5));
const WORKERS_TARGET = 1.5;
/** Files of the typed-memory corpus (the issue's figure: 3,000) and its target. */
const MEMORY_FILES = Number(process.env.LINT_BENCH_MEMORY_FILES ?? 3000);
const MEMORY_TARGET_MB = 1024;
const MEMORY_ROUNDS = Math.max(1, Number(process.env.LINT_BENCH_MEMORY_ROUNDS ?? 3));

/** An ordinary service module: no SDK import, the bulk of a real code base. */
function serviceFile(i) {
  return `import { z } from "zod";
import type { Request, Response } from "express";

export interface Customer${i} {
  id: string;
  name: string;
  tags: string[];
  createdAt: Date;
}

const schema${i} = z.object({ id: z.string(), name: z.string(), tags: z.array(z.string()) });
const cache = new Map<string, Customer${i}>();

export function normalise${i}(input: unknown): Customer${i} {
  const parsed = schema${i}.parse(input);
  return { ...parsed, createdAt: new Date() };
}

export async function handler${i}(req: Request, res: Response): Promise<void> {
  const started = Date.now();
  const customer = normalise${i}(req.body);
  cache.set(customer.id, customer);
  for (const key of Object.keys(req.query)) {
    if (key.startsWith("x-")) console.log(key);
  }
  const response = await fetch(\`\${process.env.API_URL}/customers/\${customer.id}\`);
  res.status(response.status).json({ customer, took: Date.now() - started });
}

export class Repository${i} {
  private readonly items: Customer${i}[] = [];
  add(item: Customer${i}): void {
    this.items.push(item);
  }
  byTag(tag: string): Customer${i}[] {
    return this.items.filter((c) => c.tags.includes(tag)).sort((a, b) => a.name.localeCompare(b.name));
  }
  summary(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const item of this.items) for (const tag of item.tags) counts[tag] = (counts[tag] ?? 0) + 1;
    return counts;
  }
}
`;
}

/** An orchestrator file with helpers, in one of the three SDK styles; some hazards, mostly clean. */
function orchestratorFile(i) {
  const helpers = `
function label${i}(id: string, at: Date): string {
  return \`\${id}@\${at.toISOString()}\`;
}
const pick${i} = (xs: string[], n: number) => xs.slice(0, n);
function stamp${i}(): number {
  return ${i % 3 === 0 ? "Date.now()" : "42"};
}
const ids${i} = { make(): string { return ${i % 4 === 0 ? "crypto.randomUUID()" : '"fixed"'}; } };
`;
  switch (i % 3) {
    case 0:
      return `import { OrchestrationContext, TaskHubGrpcWorker, whenAll } from "@microsoft/durabletask-js";
import { audit } from "../shared/audit.js";
${helpers}
export async function* orchestrator${i}(ctx: OrchestrationContext, input: { ids: string[] }): any {
  const at = ctx.currentUtcDateTime;
  const tasks = pick${i}(input.ids, 5).map((id) => ctx.callActivity("work", label${i}(id, at)));
  const results: string[] = yield whenAll(tasks);
  const s = stamp${i}();
  const id = ids${i}.make();
  for (const r of results.sort()) {
    yield ctx.callActivity("record", { r, s, id });
  }
  yield ctx.createTimer(30);
  yield ctx.callActivity("audit", audit("done"));
  return results.length;
}
new TaskHubGrpcWorker({ hostAddress: "localhost:4001" }).addOrchestrator(orchestrator${i});
`;
    case 1:
      return `import * as df from "durable-functions";
${helpers}
df.app.orchestration("orchestrator${i}", function* (context) {
  const input = context.df.getInput() as { ids: string[] };
  const at = context.df.currentUtcDateTime;
  const tasks = pick${i}(input.ids, 5).map((id) => context.df.callActivity("work", label${i}(id, at)));
  const results = yield context.df.Task.all(tasks);
  const s = stamp${i}();
  const id = ids${i}.make();
  yield context.df.callActivity("record", { results, s, id });
  return results.length;
});
`;
    default:
      return `import { WorkflowRuntime, WorkflowContext } from "@dapr/dapr";
${helpers}
async function* workflow${i}(ctx: WorkflowContext, input: { ids: string[] }): any {
  const at = ctx.getCurrentUtcDateTime();
  const tasks = pick${i}(input.ids, 5).map((id) => ctx.callActivity("work", label${i}(id, at)));
  const results: string[] = yield ctx.whenAll(tasks);
  const s = stamp${i}();
  const id = ids${i}.make();
  yield ctx.callActivity("record", { results, s, id });
  return results.length;
}
new WorkflowRuntime().registerWorkflow(workflow${i});
`;
  }
}

/** Helpers in their own files: only the type-aware mode follows calls into them. */
function sharedFiles(dir) {
  mkdirSync(path.join(dir, "shared"), { recursive: true });
  writeFileSync(path.join(dir, "shared/audit.ts"), `import { stampOf } from "./stamp.js";
export function audit(event: string): string {
  return \`\${event}@\${stampOf()}\`;
}
`);
  writeFileSync(path.join(dir, "shared/stamp.ts"), `export function stampOf(): number {
  return Date.now();
}
export const pure = (s: string) => s.trim();
`);
  writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({ extends: path.join(REPO, "tsconfig.base.json"), compilerOptions: { noEmit: true, composite: false, declaration: false, declarationMap: false, sourceMap: false, incremental: false, noUnusedLocals: false, noImplicitAny: false, strict: false }, include: ["**/*.ts"] }),
  );
}

/**
 * A fresh directory in the OS's temporary folder (never inside the repository), with the
 * repository's node_modules linked in so that the corpus resolves the SDK packages for typed runs.
 */
function corpusDir() {
  const made = mkdtempSync(path.join(os.tmpdir(), "dtcheck-lint-bench-"));
  symlinkSync(path.join(REPO, "node_modules"), path.join(made, "node_modules"), "dir");
  return made;
}

function generateCorpus(dir, files = FILES) {
  sharedFiles(dir);
  let orchestrators = 0;
  for (let i = 0; i < files; i++) {
    const sub = path.join(dir, `module${Math.floor(i / 100)}`);
    mkdirSync(sub, { recursive: true });
    const isOrchestrator = i % 10 === 0;
    if (isOrchestrator) orchestrators++;
    writeFileSync(path.join(sub, `file${i}.ts`), isOrchestrator ? orchestratorFile(i) : serviceFile(i));
  }
  return orchestrators;
}

function eslintWith(dir, rulesConfig, stats = false, typed = false) {
  const parserOptions = typed ? { projectService: true, tsconfigRootDir: dir } : {};
  return new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    cache: false,
    stats,
    overrideConfig: [
      { files: ["**/*.ts"], languageOptions: { parser: tsParser, parserOptions } },
      { files: ["**/*.ts"], ...rulesConfig },
    ],
  });
}

async function timeLint(eslint) {
  globalThis.gc?.();
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const results = await eslint.lintFiles(["."]);
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  const findings = results.reduce((n, r) => n + r.messages.length, 0);
  const fatal = results.reduce((n, r) => n + r.messages.filter((m) => m.fatal).length, 0);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, files: results.length, findings, fatal, results };
}

/** Time ESLint itself attributes to the plugin's rules (its `stats` option), summed over all files. */
function ruleTime(results) {
  let total = 0;
  const byRule = new Map();
  for (const r of results) {
    for (const pass of r.stats?.times?.passes ?? []) {
      for (const [id, t] of Object.entries(pass.rules ?? {})) {
        if (!id.startsWith("@dtcheck/")) continue;
        total += t.total;
        byRule.set(id, (byRule.get(id) ?? 0) + t.total);
      }
    }
  }
  return { total, byRule };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs) => xs.map((m) => m.toFixed(0)).join(", ");

if (process.env.LINT_BENCH_ROUND) {
  // One measured round in a fresh process (see overRecommendedBench): prints its figures as JSON.
  console.log(JSON.stringify(await oneRound(process.env.LINT_BENCH_DIR, process.env.LINT_BENCH_ROUND)));
  process.exit(0);
}

const dir = corpusDir();
try {
  const orchestrators = generateCorpus(dir);
  console.log(`corpus: ${FILES} files, ${orchestrators} orchestrator files with helpers (${dir})`);
  if (process.env.LINT_BENCH_ONLY === "corpus") {
    // Only the corpus (with LINT_BENCH_KEEP=1: to profile dtcheck lint on it by hand).
  } else if (process.env.LINT_BENCH_ONLY === "prefilter") {
    await prefilterBench(dir);
  } else if (process.env.LINT_BENCH_ONLY === "workers") {
    workersBench(dir);
  } else if (process.env.LINT_BENCH_ONLY === "typed-memory") {
    typedMemoryBench();
  } else if (process.env.LINT_BENCH_ONLY === "editor") {
    await editorLatency(dir);
  } else if (process.env.LINT_BENCH_ONLY === "over-recommended") {
    await overRecommendedBench(dir);
  } else {
    await overRecommendedBench(dir);
    await prefilterBench(dir);
    workersBench(dir);
    if (TYPED) typedMemoryBench();
    await untypedBench(dir);
    if (TYPED) {
      await typedBench(dir);
      await editorLatency(dir);
    }
  }
} finally {
  // LINT_BENCH_KEEP=1 keeps the corpus, to profile one round: LINT_BENCH_ROUND=typed+dtcheck
  // LINT_BENCH_DIR=<dir> node --cpu-prof bench/lint.bench.mjs
  if (process.env.LINT_BENCH_KEEP === "1") console.log(`corpus kept: ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}

/** The configurations the headline compares: typescript-eslint's recommended, with and without dtcheck. */
function roundConfig(dir, which) {
  const typed = which.startsWith("typed");
  const ts = (typed ? tseslint.configs.recommendedTypeChecked : tseslint.configs.recommended).map((c) => ({ files: ["**/*.ts"], ...c }));
  const parserOptions = typed ? { projectService: true, tsconfigRootDir: dir } : {};
  const withDtcheck = which.endsWith("+dtcheck")
    ? [{ files: ["**/*.ts"], ...plugin.configs[typed ? "recommended-type-checked" : "recommended"] }]
    : [];
  return { parserOptions, ts, dtcheck: withDtcheck };
}

/**
 * One round, in its own process so that nothing is warm: ESLint's config, the parser, the typed
 * program (projectService creates it inside the lint) and dtcheck's per-run cache of other files all
 * start empty, as in one `eslint .` run. CPU is the process's user+system time over the lint.
 * Files are parsed through a counting wrapper: ESLint parses each file once to lint it, so a count
 * above 1 (untyped) is dtcheck's cross-file cache parsing a file again.
 */
async function oneRound(dir, which) {
  const { parserOptions, ts, dtcheck: dtcheckConfig } = roundConfig(dir, which);
  const parses = new Map();
  const countingParser = {
    meta: { name: "counting-typescript-eslint-parser" },
    parseForESLint(text, options) {
      parses.set(options?.filePath, (parses.get(options?.filePath) ?? 0) + 1);
      return tsParser.parseForESLint(text, options);
    },
  };
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const eslint = new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    cache: false,
    // The counting parser after typescript-eslint's configs (their base config sets the parser).
    overrideConfig: [...ts, { files: ["**/*.ts"], languageOptions: { parser: countingParser, parserOptions } }, ...dtcheckConfig],
  });
  const results = await eslint.lintFiles(["."]);
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  const dtcheck = results.flatMap((r) => r.messages.filter((m) => m.ruleId?.startsWith("@dtcheck/")));
  return {
    which,
    cpuMs: (cpu.user + cpu.system) / 1000,
    wallMs,
    files: results.length,
    fatal: results.reduce((n, r) => n + r.messages.filter((m) => m.fatal).length, 0),
    findings: results.reduce((n, r) => n + r.messages.length, 0),
    dtcheckFindings: dtcheck.length,
    crossFile: dtcheck.filter((m) => m.message.includes("(shared/")).length,
    parsedFiles: parses.size,
    maxParsesPerFile: Math.max(0, ...parses.values()),
  };
}

function runRound(dir, which) {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url)], {
    env: { ...process.env, LINT_BENCH_ROUND: which, LINT_BENCH_DIR: dir },
    encoding: "utf8",
    maxBuffer: 16 * 1024 * 1024,
  });
  const round = JSON.parse(out.trim().split("\n").pop());
  if (round.fatal > 0) throw new Error(`${which}: ${round.fatal} files failed to parse`);
  return round;
}

function loadText() {
  return os.loadavg().map((l) => l.toFixed(2)).join(" ");
}

/**
 * The headline: what dtcheck adds on top of a real user's baseline, typescript-eslint's
 * `recommended` (untyped) and `recommended-type-checked` (typed, dtcheck's type-checked config on
 * top), CPU and wall, medians of >= 5 rounds with the two configurations interleaved (the order
 * alternating each round), each round a fresh process (typed program creation included).
 * Target: <= 5% CPU. The untyped analysis follows imports into other files here (the corpus's
 * orchestrators import ../shared/audit.js, which imports ./stamp.js).
 */
async function overRecommendedBench(dir) {
  const modes = process.env.LINT_BENCH_OVER_MODES?.split(",") ?? ["untyped", ...(TYPED ? ["typed"] : [])];
  for (const mode of modes) {
    const baseName = mode === "typed" ? "typed" : "untyped";
    const plugName = `${baseName}+dtcheck`;
    console.log(`${mode}: ${OVER_ROUNDS} interleaved rounds, one process each; load average before: ${loadText()}`);
    const base = [];
    const plug = [];
    for (let r = 0; r < OVER_ROUNDS; r++) {
      const order = r % 2 === 0 ? [baseName, plugName] : [plugName, baseName];
      for (const which of order) (which === baseName ? base : plug).push(runRound(dir, which));
    }
    const last = plug[plug.length - 1];
    const label = mode === "typed" ? "recommended-type-checked" : "recommended";
    const line = (name, rounds) =>
      `${name} cpu ${median(rounds.map((x) => x.cpuMs)).toFixed(0)} ms, wall ${median(rounds.map((x) => x.wallMs)).toFixed(0)} ms (medians of ${rounds.length}; cpu rounds ${fmt(rounds.map((x) => x.cpuMs))}; wall rounds ${fmt(rounds.map((x) => x.wallMs))})`;
    console.log(`  typescript-eslint ${label}:`.padEnd(56) + line("", base));
    console.log(`  typescript-eslint ${label} + @dtcheck:`.padEnd(56) + line("", plug));
    const baseMax = Math.max(...base.map((b) => b.maxParsesPerFile));
    const plugMax = Math.max(...plug.map((p) => p.maxParsesPerFile));
    console.log(`  ${last.dtcheckFindings} dtcheck findings (${last.crossFile} through files in shared/); ${last.files} files linted; parses per file: at most ${baseMax} without dtcheck, at most ${plugMax} with it (ESLint's own parse plus at most ${plugMax - baseMax} by dtcheck's analysis of other files)`);
    if (plugMax - baseMax > 1) throw new Error(`a file was parsed ${plugMax - baseMax} times by dtcheck's cross-file analysis in one run (at most once expected)`);
    const cpu = (median(plug.map((p) => p.cpuMs)) / median(base.map((b) => b.cpuMs)) - 1) * 100;
    const wall = (median(plug.map((p) => p.wallMs)) / median(base.map((b) => b.wallMs)) - 1) * 100;
    // Per-round pairs (the two runs of a round are adjacent in time, so share the machine's load).
    const paired = median(plug.map((p, i) => p.cpuMs / base[i].cpuMs - 1)) * 100;
    const signed = (x) => `${x >= 0 ? "+" : ""}${x.toFixed(1)}%`;
    console.log(`  dtcheck on top of typescript-eslint ${label}: cpu ${signed(cpu)} (ratio of medians; median of per-round ratios ${signed(paired)}; target <= 5%), wall ${signed(wall)}; load average after: ${loadText()} on ${os.cpus().length} cores`);
  }
}

/** Parse only vs `recommended`, alternating, on the whole corpus. */
async function untypedBench(dir) {
  const parseOnly = eslintWith(dir, {});
  const withPlugin = eslintWith(dir, plugin.configs.recommended);
  // ESLint's own cost of having as many rules configured, each doing nothing: separates ESLint's
  // per-rule machinery from the plugin's analysis.
  const noop = { meta: { type: "problem", schema: [] }, create: () => ({}) };
  const ruleNames = Object.keys(plugin.configs.recommended.rules);
  const noopRules = eslintWith(dir, {
    plugins: { noop: { rules: Object.fromEntries(ruleNames.map((r) => [r.replace("@dtcheck/", ""), noop])) } },
    rules: Object.fromEntries(ruleNames.map((r) => [r.replace("@dtcheck/", "noop/"), "error"])),
  });
  // A single rule that does nothing: what any plugin pays for ESLint to traverse at all (with no
  // rule configured ESLint skips the traversal, scope and code-path analysis that any rule turns on).
  const oneNoop = eslintWith(dir, { plugins: { noop: { rules: { only: noop } } }, rules: { "noop/only": "error" } });
  // Warm-up: JIT, module loading, parser caches.
  await timeLint(parseOnly);
  await timeLint(withPlugin);
  await timeLint(noopRules);
  await timeLint(oneNoop);
  const base = [];
  const plug = [];
  const noops = [];
  const ones = [];
  let last;
  for (let r = 0; r < ROUNDS; r++) {
    // Rotate the order so no configuration always runs right after another one.
    const order = [0, 1, 2, 3].map((i) => (i + r) % 4);
    for (const which of order) {
      if (which === 0) base.push(await timeLint(parseOnly));
      else if (which === 1) plug.push((last = await timeLint(withPlugin)));
      else if (which === 2) noops.push(await timeLint(noopRules));
      else ones.push(await timeLint(oneNoop));
    }
  }
  if (last.fatal > 0) throw new Error(`${last.fatal} files failed to parse`);
  const withStats = await timeLint(eslintWith(dir, plugin.configs.recommended, true));
  const { total: pluginRulesMs, byRule } = ruleTime(withStats.results);

  const wallBase = median(base.map((b) => b.ms));
  const wallPlug = median(plug.map((p) => p.ms));
  const cpuBase = median(base.map((b) => b.cpuMs));
  const cpuPlug = median(plug.map((p) => p.cpuMs));
  console.log(`parse only (typescript-eslint parser, no rules): wall ${wallBase.toFixed(0)} ms, cpu ${cpuBase.toFixed(0)} ms (median of ${ROUNDS}; wall rounds ${fmt(base.map((b) => b.ms))})`);
  console.log(`@dtcheck recommended (${Object.keys(plugin.configs.recommended.rules).length} rules):         wall ${wallPlug.toFixed(0)} ms, cpu ${cpuPlug.toFixed(0)} ms (median of ${ROUNDS}; wall rounds ${fmt(plug.map((p) => p.ms))}; ${last.findings} findings)`);
  console.log(`ratio (wall, medians): ${(wallPlug / wallBase).toFixed(3)}  -> plugin adds ${((wallPlug / wallBase - 1) * 100).toFixed(1)}% (target <= 10%)`);
  console.log(`ratio (cpu, medians):  ${(cpuPlug / cpuBase).toFixed(3)}  -> plugin adds ${((cpuPlug / cpuBase - 1) * 100).toFixed(1)}%`);
  const wallNoop = median(noops.map((n) => n.ms));
  const cpuNoop = median(noops.map((n) => n.cpuMs));
  console.log(`same number of no-op rules (ESLint's own per-rule cost): wall ${wallNoop.toFixed(0)} ms (${((wallNoop / wallBase - 1) * 100).toFixed(1)}%), cpu ${cpuNoop.toFixed(0)} ms (${((cpuNoop / cpuBase - 1) * 100).toFixed(1)}%)`);
  const wallOne = median(ones.map((n) => n.ms));
  const cpuOne = median(ones.map((n) => n.cpuMs));
  console.log(`one no-op rule (the cost of ESLint traversing at all): wall ${wallOne.toFixed(0)} ms (${((wallOne / wallBase - 1) * 100).toFixed(1)}%), cpu ${cpuOne.toFixed(0)} ms (${((cpuOne / cpuBase - 1) * 100).toFixed(1)}%)`);
  console.log(`plugin over one no-op rule (wall): +${((wallPlug / wallOne - 1) * 100).toFixed(1)}%`);
  console.log(`time ESLint attributes to @dtcheck rules (stats): ${pluginRulesMs.toFixed(0)} ms = ${((pluginRulesMs / wallBase) * 100).toFixed(1)}% of the parse-only wall time`);
  const top = [...byRule].sort((a, b) => b[1] - a[1]).slice(0, 5);
  console.log(`  by rule: ${top.map(([id, ms]) => `${id.replace("@dtcheck/", "")} ${ms.toFixed(0)} ms`).join(", ")}`);
}

/** Type-aware: projectService parse only vs recommended-type-checked, then editor re-lint latency. */
async function typedBench(dir) {
  const { "recommended-type-checked": typedConfig } = plugin.configs;
  const parseOnly = eslintWith(dir, {}, false, true);
  const withPlugin = eslintWith(dir, typedConfig, false, true);
  const noop = { meta: { type: "problem", schema: [] }, create: () => ({}) };
  const oneNoop = eslintWith(dir, { plugins: { noop: { rules: { only: noop } } }, rules: { "noop/only": "error" } }, false, true);
  await timeLint(parseOnly); // warm-up: builds the project service's program
  await timeLint(withPlugin);
  await timeLint(oneNoop);
  const base = [];
  const plug = [];
  const ones = [];
  let last;
  for (let r = 0; r < TYPED_ROUNDS; r++) {
    base.push(await timeLint(parseOnly));
    last = await timeLint(withPlugin);
    plug.push(last);
    ones.push(await timeLint(oneNoop));
  }
  const wallBase = median(base.map((b) => b.ms));
  const wallPlug = median(plug.map((p) => p.ms));
  const wallOne = median(ones.map((p) => p.ms));
  console.log(`typed parse only (projectService, no rules):    wall ${wallBase.toFixed(0)} ms (median of ${TYPED_ROUNDS}; rounds ${fmt(base.map((b) => b.ms))})`);
  console.log(`@dtcheck recommended-type-checked:               wall ${wallPlug.toFixed(0)} ms (median of ${TYPED_ROUNDS}; rounds ${fmt(plug.map((p) => p.ms))}; ${last.findings} findings)`);
  console.log(`typed ratio (wall, medians): ${(wallPlug / wallBase).toFixed(3)}  -> plugin adds ${((wallPlug / wallBase - 1) * 100).toFixed(1)}% (target <= 20%)`);
  console.log(`typed, one no-op rule: wall ${wallOne.toFixed(0)} ms (${((wallOne / wallBase - 1) * 100).toFixed(1)}%); plugin over one no-op rule: +${((wallPlug / wallOne - 1) * 100).toFixed(1)}%`);
}

/** Editor latency: a warm typed program, one 500-line orchestrator file re-linted after each edit. */
async function editorLatency(dir) {
  const { "recommended-type-checked": typedConfig } = plugin.configs;
  const file = path.join(dir, "module0", "editor-orchestrator.ts");
  writeFileSync(file, bigOrchestrator(0));
  const editor = eslintWith(dir, typedConfig, false, true);
  const editorBase = eslintWith(dir, {}, false, true);
  const lines = readFileSync(file, "utf8").split("\n").length;
  const relint = async (eslint, n) => {
    const times = [];
    for (let i = 1; i <= n; i++) {
      const text = bigOrchestrator(i); // each edit changes a string literal inside the orchestrator
      const start = performance.now();
      await eslint.lintText(text, { filePath: file });
      times.push(performance.now() - start);
    }
    return times;
  };
  await relint(editor, 3);
  await relint(editorBase, 3);
  const tPlug = await relint(editor, 20);
  const tBase = await relint(editorBase, 20);
  console.log(`editor re-lint of a ${lines}-line orchestrator (warm typed program, 20 edits): median ${median(tPlug).toFixed(1)} ms with recommended-type-checked, ${median(tBase).toFixed(1)} ms typed parse only (target <= 50 ms)`);
}

/** A ~500-line durabletask orchestrator calling helpers in other files; `edit` varies one literal. */
function bigOrchestrator(edit) {
  const steps = [];
  for (let s = 0; s < 122; s++) {
    steps.push(`  const r${s}: string = yield ctx.callActivity("step${s}", { n: ${s}, note: "edit ${edit}" });`);
    steps.push(`  if (r${s}.length > ${s}) {`);
    steps.push(`    log.push(pure(r${s}) + audit("step${s}"));`);
    steps.push(`  }`);
  }
  return `import { OrchestrationContext, TaskHubGrpcWorker } from "@microsoft/durabletask-js";
import { audit } from "../shared/audit.js";
import { pure } from "../shared/stamp.js";

export async function* editorOrchestrator(ctx: OrchestrationContext, input: { id: string }): any {
  const log: string[] = [];
${steps.join("\n")}
  return log;
}

new TaskHubGrpcWorker({ hostAddress: "localhost:4001" }).addOrchestrator(editorOrchestrator);
`;
}


/**
 * One `dtcheck lint` process in `cwd` (JSON report to a file): wall, CPU (user + system, every
 * thread) and peak RSS, and the report's findings without their per-file times. Exit 1 (findings)
 * is a normal run; anything else fails the bench.
 */
function dtcheckLint(cwd, args) {
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), "dtcheck-lint-out-")), "report.json");
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ["-r", CPU_AT_EXIT, "-r", RSS_AT_EXIT, DTCHECK, "lint", ".", "--format", "json", "--output", out, ...args], { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  // The preloads run in every worker thread too (--workers): the main thread's lines, printed at
  // the process's exit, come last.
  const cpu = [...child.stderr.matchAll(/bench-cpu-us (\d+)/g)].at(-1);
  const rss = [...child.stderr.matchAll(/bench-max-rss-kb (\d+)/g)].at(-1);
  if ((child.status !== 0 && child.status !== 1) || !cpu || !rss) throw new Error(`dtcheck lint ${args.join(" ")} failed (exit ${child.status}): ${child.stderr.slice(0, 2000)}`);
  const report = JSON.parse(readFileSync(out, "utf8"));
  rmSync(path.dirname(out), { recursive: true, force: true });
  const findings = JSON.stringify(report.findings) + JSON.stringify(report.cases.map(({ durationMs: _time, ...c }) => c));
  return { wall, cpu: Number(cpu[1]) / 1e6, rssMb: Number(rss[1]) / 1024, exit: child.status, findings, summary: report.summary };
}

/** Files of `dir` whose text lets the pre-filter skip their parse (the CLI's own decision function). */
function skippable(dir, typed) {
  let files = 0;
  let skipped = 0;
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.name === "node_modules") continue;
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".ts")) {
        files++;
        if (!needsParse(readFileSync(full, "utf8"), full, typed)) skipped++;
      }
    }
  };
  walk(dir);
  return { files, skipped };
}

/**
 * What the pre-filter saves a user: whole `dtcheck lint` processes on the corpus (90% ordinary
 * modules), with it and with --no-prefilter, untyped and typed, CPU and wall, medians of >= 5
 * interleaved rounds (the order alternating each round); the two must report the same findings.
 */
async function prefilterBench(dir) {
  const modes = process.env.LINT_BENCH_OVER_MODES?.split(",") ?? ["untyped", ...(TYPED ? ["typed"] : [])];
  for (const mode of modes) {
    const typedArgs = mode === "typed" ? [] : ["--no-types"];
    const { files, skipped } = skippable(dir, mode === "typed");
    console.log(`dtcheck lint pre-filter, ${mode}: ${skipped} of ${files} files need no parse; ${PREFILTER_ROUNDS} interleaved rounds, one process each; ${loadLine("before")}`);
    const on = [];
    const off = [];
    for (let r = 0; r < PREFILTER_ROUNDS; r++) {
      const order = r % 2 === 0 ? [on, off] : [off, on];
      for (const samples of order) samples.push(dtcheckLint(dir, samples === on ? typedArgs : [...typedArgs, "--no-prefilter"]));
    }
    const same = on.every((x) => x.findings === off[0].findings) && off.every((x) => x.findings === off[0].findings);
    if (!same) throw new Error(`dtcheck lint ${mode}: the pre-filter changed the report`);
    const figure = (samples) => ({ wall: exactMedian(samples.map((x) => x.wall)), cpu: exactMedian(samples.map((x) => x.cpu)), rss: exactMedian(samples.map((x) => x.rssMb)) });
    const a = figure(on);
    const b = figure(off);
    const rounds = (samples, key) => samples.map((x) => x[key].toFixed(2)).join(", ");
    console.log(`  with the pre-filter:    cpu ${a.cpu.toFixed(2)} s, wall ${a.wall.toFixed(2)} s, peak RSS ${a.rss.toFixed(0)} MB (medians; cpu rounds ${rounds(on, "cpu")}; wall rounds ${rounds(on, "wall")})`);
    console.log(`  --no-prefilter:         cpu ${b.cpu.toFixed(2)} s, wall ${b.wall.toFixed(2)} s, peak RSS ${b.rss.toFixed(0)} MB (medians; cpu rounds ${rounds(off, "cpu")}; wall rounds ${rounds(off, "wall")})`);
    console.log(`  pre-filter saves cpu ${((1 - a.cpu / b.cpu) * 100).toFixed(1)}% (${(b.cpu / a.cpu).toFixed(2)}x), wall ${((1 - a.wall / b.wall) * 100).toFixed(1)}% (${(b.wall / a.wall).toFixed(2)}x); identical reports (${on[0].summary}); ${loadLine("after")}`);
  }
}

/**
 * What `--workers 2` (ESLint's worker threads) does for a user on this corpus: whole `dtcheck lint`
 * processes with --workers 1 and 2, untyped and typed, CPU (every thread) and wall, medians of >= 5
 * interleaved rounds (the order alternating each round); both must report the same findings. Each
 * worker loads typescript-eslint and dtcheck's plugin, warms up its own JIT and, typed, builds its
 * own TypeScript program, and with the pre-filter most files cost little to lint: the start-up of
 * the second thread is weighed against the half of the work it takes over.
 */
function workersBench(dir) {
  const modes = process.env.LINT_BENCH_OVER_MODES?.split(",") ?? ["untyped", ...(TYPED ? ["typed"] : [])];
  for (const mode of modes) {
    const typedArgs = mode === "typed" ? [] : ["--no-types"];
    console.log(`dtcheck lint --workers 2 against --workers 1, ${mode}: ${WORKERS_ROUNDS} interleaved rounds, one process each, ${os.availableParallelism()} cores; ${loadLine("before")}`);
    const one = [];
    const two = [];
    for (let r = 0; r < WORKERS_ROUNDS; r++) {
      const order = r % 2 === 0 ? [one, two] : [two, one];
      for (const samples of order) samples.push(dtcheckLint(dir, [...typedArgs, "--workers", samples === one ? "1" : "2"]));
    }
    if (![...one, ...two].every((x) => x.findings === one[0].findings)) throw new Error(`dtcheck lint ${mode}: --workers 2 changed the report`);
    const figure = (samples) => ({ wall: exactMedian(samples.map((x) => x.wall)), cpu: exactMedian(samples.map((x) => x.cpu)), rss: exactMedian(samples.map((x) => x.rssMb)) });
    const a = figure(one);
    const b = figure(two);
    const rounds = (samples, key) => samples.map((x) => x[key].toFixed(2)).join(", ");
    console.log(`  --workers 1:  cpu ${a.cpu.toFixed(2)} s, wall ${a.wall.toFixed(2)} s, peak RSS ${a.rss.toFixed(0)} MB (medians; cpu rounds ${rounds(one, "cpu")}; wall rounds ${rounds(one, "wall")})`);
    console.log(`  --workers 2:  cpu ${b.cpu.toFixed(2)} s, wall ${b.wall.toFixed(2)} s, peak RSS ${b.rss.toFixed(0)} MB (medians; cpu rounds ${rounds(two, "cpu")}; wall rounds ${rounds(two, "wall")})`);
    const speedup = a.wall / b.wall;
    console.log(`  --workers 2 is ${speedup.toFixed(2)}x the wall speed of --workers 1 (target >= ${WORKERS_TARGET}x: ${speedup >= WORKERS_TARGET ? "met" : "NOT met"}), at ${(b.cpu / a.cpu).toFixed(2)}x the CPU; identical reports (${one[0].summary}); ${loadLine("after")}`);
  }
}

/**
 * Typed memory: peak RSS of typed `dtcheck lint` processes on a generated 3,000-file project (the
 * corpus above, larger), pre-filter on (the default) and off, medians of 3 interleaved rounds.
 * Target <= 1 GB.
 */
function typedMemoryBench() {
  const big = corpusDir();
  try {
    const orchestrators = generateCorpus(big, MEMORY_FILES);
    console.log(`typed memory: ${MEMORY_FILES} files (${orchestrators} orchestrator files), ${MEMORY_ROUNDS} interleaved rounds, one process each; ${loadLine("before")}`);
    const on = [];
    const off = [];
    for (let r = 0; r < MEMORY_ROUNDS; r++) {
      const order = r % 2 === 0 ? [on, off] : [off, on];
      for (const samples of order) samples.push(dtcheckLint(big, samples === on ? [] : ["--no-prefilter"]));
    }
    if (![...on, ...off].every((x) => x.findings === on[0].findings)) throw new Error("typed memory corpus: the pre-filter changed the report");
    const verdict = (mb) => (mb <= MEMORY_TARGET_MB ? "met" : "NOT met");
    // Peak RSS depends on when V8 collects, so it varies from run to run: every round is shown.
    const line = (samples, label) => {
      const rss = exactMedian(samples.map((x) => x.rssMb));
      return `  ${label} peak RSS ${rss.toFixed(0)} MB (median; rounds ${samples.map((x) => x.rssMb.toFixed(0)).join(", ")}), cpu ${exactMedian(samples.map((x) => x.cpu)).toFixed(1)} s, wall ${exactMedian(samples.map((x) => x.wall)).toFixed(1)} s; target <= ${MEMORY_TARGET_MB} MB: ${verdict(rss)}`;
    };
    console.log(line(on, "with the pre-filter:"));
    console.log(line(off, "--no-prefilter:     "));
    console.log(`  ${on[0].summary}; ${loadLine("after")}`);
  } finally {
    rmSync(big, { recursive: true, force: true });
  }
}
