import path from "node:path";
import { InputError, runContainedDrift, type HistoryFormat } from "@dtcheck/replay-tester";
import { parseInputs, rerunInputArgs, valueNotes } from "../input.js";
import { shownPath } from "../output/paths.js";
import { inShard, type Finding, type Report, type ShardInfo, type TestCase } from "../output/report.js";
import { progress, worldProgress } from "../progress.js";
import { commandContext, containment, finish, type ContainmentFlags, type OutputFlags } from "./context.js";
import { fuzzSource } from "./fuzz-source.js";
import { coverageEntries, coverageNotes, unreachedSitesOf, DRIFT_RULE, fuzzCase, fuzzFinding, reproduceNotes, stoppedCase, stoppedFinding, VERDICT_RULES, verdictFinding } from "./fuzz-report.js";
import { REPLAY_ERROR_RULE, REPLAY_RULE, replayReport } from "./replay.js";

interface DriftFlags extends OutputFlags, ContainmentFlags {
  shard?: ShardInfo;
  workers?: number;
  baseline?: string;
  candidate?: string;
  histories?: string[];
  orchestrator?: string[];
  baselineVersion?: string;
  runs?: number;
  seed?: number;
  timeLimit?: number;
  strict?: boolean;
  outDir: string;
  historyFormat: HistoryFormat;
  input?: string[];
  inferTypes: boolean;
  allowInconclusive?: boolean;
}

export async function runDrift(flags: DriftFlags): Promise<void> {
  const ctx = await commandContext(flags);
  // Paths from the config are resolved against its folder: shown (summary, rerun command) as from here.
  const fromHere = (file: string | undefined) => file && shownPath(ctx.cwd, file);
  const baseline = flags.baseline ?? (ctx.config.baseline?.startsWith("git:") ? ctx.config.baseline : fromHere(ctx.configPath(ctx.config.baseline)));
  const candidate = flags.candidate ?? fromHere(ctx.configPath(ctx.config.candidate) ?? ctx.modulePath(undefined));
  if (!baseline) throw new InputError("no baseline: pass --baseline <path|git:ref:path> (the code deployed today)");
  if (!candidate) throw new InputError("no candidate: pass --candidate <path> (the code about to be deployed) or set \"module\" in dtcheck.config");
  const fromConfig = flags.histories ? undefined : ctx.optionalConfigHistories(flags);
  const histories = flags.histories ?? (fromConfig ? [fromConfig] : undefined);
  const runs = flags.runs ?? ctx.config.runs ?? 100;
  const bar = progress(undefined, { quiet: flags.quiet });
  const drift = await runContainedDrift(
    {
      kind: "drift",
      baseline,
      candidate,
      orchestrators: flags.orchestrator,
      histories,
      baselineVersion: flags.baselineVersion,
      runs,
      seed: flags.seed ?? ctx.config.seed,
      timeLimitMs: flags.timeLimit,
      strict: flags.strict ?? ctx.config.strict,
      fuzz: fuzzSource(ctx, parseInputs(flags.input)),
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
  const rerun = ["dtcheck", "drift", "--baseline", baseline, "--candidate", candidate, ...rerunInputArgs(flags.input), ...(flags.config ? ["--config", flags.config] : [])];
  const findings: Finding[] = drift.results.flatMap((r) => [fuzzFinding(r, DRIFT_RULE, ctx.cwd, rerun), verdictFinding(r, verdict)]).filter((f) => f !== undefined);
  const cases: TestCase[] = drift.results.map((r) => fuzzCase(r, "drift", ctx.cwd, DRIFT_RULE, rerun, verdict));
  for (const name of drift.removed) {
    const message = `orchestrator "${name}" is registered by the baseline but not by the candidate: its in-flight instances cannot finish after the deploy; keep registering it until they have drained`;
    findings.push({ ruleId: DRIFT_RULE.id, level: "error", message, location: { file: candidate } });
    cases.push({ name, suite: "drift", status: "failed", message, file: candidate, ruleId: DRIFT_RULE.id });
  }
  for (const unit of drift.stopped) {
    findings.push(stoppedFinding(unit, DRIFT_RULE, candidate));
    cases.push(stoppedCase(unit, "drift"));
  }
  const saved = drift.saved ? replayReport(drift.saved, ctx.cwd) : undefined;
  const inconclusive = drift.results.filter((r) => !r.failure && !r.unfinished && r.inconclusive).length;
  const unfinished = drift.results.filter((r) => !r.failure && r.unfinished).length;
  const failed = cases.filter((c) => c.status !== "passed").length - inconclusive - unfinished;
  const worlds = drift.results.reduce((n, r) => n + r.runs, 0);
  const counts = [`${cases.length - failed - inconclusive - unfinished} compatible`, `${failed} drifted`];
  if (unfinished > 0) counts.push(`${unfinished} never finished`);
  if (inconclusive > 0) counts.push(`${inconclusive} inconclusive`);
  const parts = [`${cases.length} ${cases.length === 1 ? "orchestrator" : "orchestrators"} checked ${baseline} → ${candidate} (${worlds} ${worlds === 1 ? "world" : "worlds"}, seed ${drift.seed}): ${counts.join(", ")}`];
  if (saved) parts.push(saved.summary.replace(/ replayed:/, " saved, replayed on the candidate:"));
  const report: Report = {
    tool: "drift",
    rules: [DRIFT_RULE, ...VERDICT_RULES, ...(saved ? [REPLAY_RULE, REPLAY_ERROR_RULE] : [])],
    findings: [...findings, ...(saved?.findings ?? [])],
    cases: [...cases, ...(saved?.cases ?? [])],
    summary: parts.join("; "),
    notes: [...coverageNotes(drift.results, ctx.cwd), ...valueNotes(drift.results), ...reproduceNotes(drift.results, ctx.cwd, rerun), ...(saved?.notes ?? [])],
    coverage: drift.results.flatMap((r) => coverageEntries(r, ctx.cwd)),
    ...unreachedSitesOf(drift.results),
  };
  finish(inShard(report, flags.shard), flags, ctx.cwd);
}
