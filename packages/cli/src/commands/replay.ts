import path from "node:path";
import { runContainedReplayStream, type ReplayCounts } from "@dtcheck/replay-tester/contain";
import { InputError } from "@dtcheck/replay-tester/errors";
import { renderResult, shardEntries, streamHistoryInputs, type ReplayResult, type ReplaySummary } from "@dtcheck/replay-tester/replay";
import type { CaseSpool } from "../output/case-spool.js";
import { shownPath } from "../output/paths.js";
import { inShard, type Finding, type Report, type RuleInfo, type ShardInfo, type TestCase } from "../output/report.js";
import { caseSpoolFor } from "../output/write.js";
import { progress } from "../progress.js";
import { commandContext, containment, finish, type ContainmentFlags, type OutputFlags } from "./context.js";

interface ReplayFlags extends OutputFlags, ContainmentFlags {
  module?: string;
  orchestrator?: string;
  strict?: boolean;
  failFast?: boolean;
  shard?: ShardInfo;
  workers?: number;
}

export const REPLAY_RULE: RuleInfo = {
  id: "dtcheck/replay-divergence",
  description: "A recorded history no longer replays on the current orchestrator code (non-determinism or version drift).",
  helpUri: "https://github.com/dtcheck/dtcheck/blob/main/docs/cli.md#replay",
  defaultLevel: "error",
};
export const REPLAY_ERROR_RULE: RuleInfo = {
  id: "dtcheck/replay-error",
  description: "A history could not be read, or its orchestrator could not be loaded.",
  helpUri: "https://github.com/dtcheck/dtcheck/blob/main/docs/cli.md#replay",
  defaultLevel: "error",
};

function caseFor(result: ReplayResult, cwd: string): TestCase {
  const name = result.file ? shownPath(cwd, result.file) : "(history)";
  const status = result.status === "ok" ? "passed" : result.status === "diverged" ? "failed" : "error";
  const message = result.status === "ok" ? undefined : result.divergence?.message ?? result.error;
  const where = result.divergence?.produced?.location;
  return {
    name,
    suite: "replay",
    status,
    message,
    detail: status === "passed" ? undefined : renderResult(result, { cwd, codeFrame: false }),
    durationMs: result.durationMs,
    // The code line that made the diverging call, else the history itself.
    ...(where ? { file: where.file, line: where.line } : result.file ? { file: result.file } : {}),
    ...(status === "failed" ? { ruleId: REPLAY_RULE.id } : status === "error" ? { ruleId: REPLAY_ERROR_RULE.id } : {}),
  };
}

/** A divergence points at the line of orchestrator code that made the produced call, else at the history file. */
function findingFor(result: ReplayResult, cwd: string): Finding | undefined {
  if (result.status === "ok") return undefined;
  const historyFile = result.file ?? "(history)";
  const text = renderResult(result, { cwd });
  const firstLine = text.split("\n")[0]!;
  // The first two lines (verdict, "episode N, history event #M: message") are the finding's own message.
  const detail = text.split("\n").slice(2).map((l) => l.replace(/^ {2}/, "")).join("\n");
  if (result.status !== "diverged") {
    return { ruleId: REPLAY_ERROR_RULE.id, level: "error", message: result.error ?? firstLine, location: { file: historyFile } };
  }
  const d = result.divergence!;
  const where = d.produced?.location;
  const history = { message: `history event #${d.eventIndex} (episode ${d.episode})`, location: { file: historyFile } };
  return {
    ruleId: REPLAY_RULE.id,
    level: "error",
    message: `${shownPath(cwd, historyFile)}, episode ${d.episode}, event #${d.eventIndex}: ${d.message}`,
    location: where ? { file: where.file, line: where.line, column: where.column } : { file: historyFile },
    related: where ? [history] : undefined,
    detail,
  };
}

/** A clean replay of a rebuilt (df-http) history rests on guesses too: say so, once per file (a divergence says it in its finding). */
function rebuiltNote(result: ReplayResult, cwd: string): string | undefined {
  if (result.status !== "ok" || !result.rebuilt) return undefined;
  return `${result.file ? shownPath(cwd, result.file) : "history"}: replayed ok, but ${result.rebuilt} of its ${result.events} events were rebuilt from a lossy format (ids, episode boundaries, the order of calls scheduled together, payloads the HTTP API does not show); a lossless export (friendly, protobuf-json, df-wire) gives a verdict that rests on no guess`;
}

/**
 * A replay report built one result at a time: findings and notes for what did not pass (and for
 * rebuilt histories), every case into `cases`, or into a spool when one is given (a directory
 * replay, which may hold a million histories).
 */
export class ReplayReportBuilder {
  private readonly findings: Finding[] = [];
  private readonly cases: TestCase[] = [];
  private readonly notes: string[] = [];

  constructor(
    private readonly cwd: string,
    private readonly spool?: CaseSpool,
  ) {}

  add(result: ReplayResult): void {
    const finding = findingFor(result, this.cwd);
    if (finding) this.findings.push(finding);
    const testCase = caseFor(result, this.cwd);
    if (this.spool) this.spool.add(testCase);
    else this.cases.push(testCase);
    const note = rebuiltNote(result, this.cwd);
    if (note) this.notes.push(note);
  }

  report(counts: Omit<ReplaySummary, "results">): Report {
    const total = this.spool?.total ?? this.cases.length;
    const parts = [`${counts.ok} ok`, `${counts.diverged} diverged`];
    if (counts.failed) parts.push(`${counts.failed} unreadable`);
    if (counts.loadErrors) parts.push(`${counts.loadErrors} not loadable`);
    return {
      tool: "replay",
      rules: [REPLAY_RULE, REPLAY_ERROR_RULE],
      findings: this.findings,
      cases: this.spool ? this.spool.kept : this.cases,
      summary: `${total} ${total === 1 ? "history" : "histories"} replayed: ${parts.join(", ")}${counts.stoppedEarly ? " (stopped at the first failure)" : ""}`,
      ...(this.notes.length > 0 ? { notes: this.notes } : {}),
      ...(this.spool ? { spool: this.spool } : {}),
    };
  }
}

export function replayReport(summary: ReplaySummary, cwd: string): Report {
  const builder = new ReplayReportBuilder(cwd);
  for (const result of summary.results) builder.add(result);
  return builder.report(summary);
}

export async function runReplay(histories: string[], flags: ReplayFlags): Promise<void> {
  const ctx = await commandContext(flags);
  const module = ctx.modulePath(flags.module);
  if (!module) throw new InputError("no orchestrator module: pass --module <path> (a file, or a function app folder), or set \"module\" in dtcheck.config");
  const inputs = histories.length ? histories : ctx.config.histories ? [ctx.configPath(ctx.config.histories)!] : [];
  if (!inputs.length) throw new InputError("no histories given: pass files, directories or globs, or set \"histories\" in dtcheck.config");
  // The histories are streamed, never listed whole: a million of them cost what a window of them does.
  const entries = () => shardEntries(streamHistoryInputs(inputs, ctx.cwd), flags.shard, ctx.cwd);
  const bar = progress(undefined, { quiet: flags.quiet });
  // Only a progress line needs the total up front: then the inputs are walked twice.
  if (bar.enabled) {
    let total = 0;
    for await (const _entry of entries()) total++;
    bar.total(total);
  }
  const builder = new ReplayReportBuilder(ctx.cwd, caseSpoolFor(flags.format, ctx.cwd));
  const counts: ReplayCounts = await runContainedReplayStream(
    {
      kind: "replay",
      module: path.resolve(module),
      orchestrator: flags.orchestrator ?? ctx.config.orchestrator,
      strict: flags.strict ?? ctx.config.strict,
      failFast: flags.failFast,
      cwd: ctx.cwd,
    },
    entries(),
    {
      ...containment(flags, ctx.cwd),
      workers: flags.workers,
      onResult: (result) => {
        builder.add(result);
        bar.tick(result.file ? shownPath(ctx.cwd, result.file) : "");
      },
    },
  );
  bar.done();
  finish(inShard(builder.report(counts), flags.shard), flags, ctx.cwd);
}
