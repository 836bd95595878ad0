import path from "node:path";
import { InputError, runContainedFuzz, type HistoryFormat } from "@dtcheck/replay-tester";
import { parseInputs, rerunInputArgs, valueNotes } from "../input.js";
import { shownPath } from "../output/paths.js";
import { inShard, type Finding, type Report, type ShardInfo, type TestCase } from "../output/report.js";
import { progress, worldProgress } from "../progress.js";
import { commandContext, containment, finish, type ContainmentFlags, type OutputFlags } from "./context.js";
import { fuzzSource } from "./fuzz-source.js";
import { coverageEntries, coverageNotes, unreachedSitesOf, fuzzCase, fuzzFinding, NONDETERMINISM_RULE, reproduceNotes, stoppedCase, stoppedFinding, VERDICT_RULES, verdictFinding } from "./fuzz-report.js";

interface FuzzFlags extends OutputFlags, ContainmentFlags {
  shard?: ShardInfo;
  workers?: number;
  module?: string;
  orchestrator?: string[];
  runs?: number;
  seed?: number;
  timeLimit?: number;
  outDir: string;
  historyFormat: HistoryFormat;
  input?: string[];
  histories?: string[];
  inferTypes: boolean;
  path?: string;
  allowInconclusive?: boolean;
}

export async function runFuzz(flags: FuzzFlags): Promise<void> {
  const ctx = await commandContext(flags);
  const module = ctx.modulePath(flags.module);
  if (!module) throw new InputError("no orchestrator module: pass --module <path> (a file, or a function app folder), or set \"module\" in dtcheck.config");
  const runs = flags.runs ?? ctx.config.runs ?? 100;
  const bar = progress(undefined, { quiet: flags.quiet });
  const { seed, results, stopped } = await runContainedFuzz(
    {
      kind: "fuzz",
      module: path.resolve(module),
      orchestrators: flags.orchestrator ?? (ctx.config.orchestrator ? [ctx.config.orchestrator] : undefined),
      runs,
      seed: flags.seed ?? ctx.config.seed,
      path: flags.path,
      timeLimitMs: flags.timeLimit,
      fuzz: fuzzSource(ctx, parseInputs(flags.input)),
      seedHistories: flags.histories ?? ctx.optionalConfigHistories(flags),
      inferTypes: flags.inferTypes,
      outDir: path.resolve(flags.outDir),
      format: flags.historyFormat,
      shard: flags.shard,
      cwd: ctx.cwd,
    },
    { ...containment(flags, ctx.cwd), ...worldProgress(bar, runs), workers: flags.workers },
  );
  bar.done();
  const verdict = { allowInconclusive: flags.allowInconclusive };
  const inconclusive = results.filter((r) => !r.failure && !r.unfinished && r.inconclusive).length;
  const unfinished = results.filter((r) => !r.failure && r.unfinished).length;
  const failed = results.filter((r) => r.failure).length + stopped.length;
  const total = results.length + stopped.length;
  // The same run, as a command line: what a reproduce command starts from.
  // Inline JSON is printed compact (the same value) so the command stays on one line.
  const input = rerunInputArgs(flags.input);
  const rerun = ["dtcheck", "fuzz", "--module", shownPath(ctx.cwd, module), ...input, ...(flags.config ? ["--config", flags.config] : [])];
  const worlds = results.reduce((n, r) => n + r.runs, 0);
  const counts = [`${total - failed - inconclusive - unfinished} deterministic`, `${failed} not`];
  if (unfinished > 0) counts.push(`${unfinished} never finished`);
  if (inconclusive > 0) counts.push(`${inconclusive} inconclusive`);
  const report: Report = {
    tool: "fuzz",
    rules: [NONDETERMINISM_RULE, ...VERDICT_RULES],
    findings: [
      ...results.flatMap((r) => [fuzzFinding(r, NONDETERMINISM_RULE, ctx.cwd, rerun), verdictFinding(r, verdict)]).filter((f): f is Finding => f !== undefined),
      ...stopped.map((unit) => stoppedFinding(unit, NONDETERMINISM_RULE, path.resolve(module))),
    ],
    cases: [
      ...results.map((r): TestCase => fuzzCase(r, "determinism", ctx.cwd, NONDETERMINISM_RULE, rerun, verdict)),
      ...stopped.map((unit) => stoppedCase(unit, "determinism")),
    ],
    summary: `${total} ${total === 1 ? "orchestrator" : "orchestrators"} fuzzed (${worlds} ${worlds === 1 ? "world" : "worlds"}, seed ${seed}): ${counts.join(", ")}`,
    notes: [...coverageNotes(results, ctx.cwd), ...valueNotes(results), ...reproduceNotes(results, ctx.cwd, rerun)],
    coverage: results.flatMap((r) => coverageEntries(r, ctx.cwd)),
    ...unreachedSitesOf(results),
  };
  finish(inShard(report, flags.shard), flags, ctx.cwd);
}
