import path from "node:path";
import { runContainedReplayParallel } from "@dtcheck/replay-tester/contain";
import { InputError } from "@dtcheck/replay-tester/errors";
import { collectHistoryInputs, renderResult, shardInputs, type ReplayResult, type ReplaySummary } from "@dtcheck/replay-tester/replay";
import { shownPath } from "../output/paths.js";
import { inShard, type Finding, type Report, type RuleInfo, type ShardInfo, type TestCase } from "../output/report.js";
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
  const name = result.file ? path.relative(cwd, result.file) : "(history)";
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
    message: `${path.relative(cwd, historyFile)}, episode ${d.episode}, event #${d.eventIndex}: ${d.message}`,
    location: where ? { file: where.file, line: where.line, column: where.column } : { file: historyFile },
    related: where ? [history] : undefined,
    detail,
  };
}

/** A clean replay of a rebuilt (df-http) history rests on guesses too: say so, once per file (a divergence says it in its finding). */
function rebuiltNotes(results: readonly ReplayResult[], cwd: string): string[] {
  return results
    .filter((r) => r.status === "ok" && r.rebuilt)
    .map((r) => `${r.file ? shownPath(cwd, r.file) : "history"}: replayed ok, but ${r.rebuilt} of its ${r.events} events were rebuilt from a lossy format (ids, episode boundaries, the order of calls scheduled together, payloads the HTTP API does not show); a lossless export (friendly, protobuf-json, df-wire) gives a verdict that rests on no guess`);
}

export function replayReport(summary: ReplaySummary, cwd: string): Report {
  const total = summary.results.length;
  const notes = rebuiltNotes(summary.results, cwd);
  const parts = [`${summary.ok} ok`, `${summary.diverged} diverged`];
  if (summary.failed) parts.push(`${summary.failed} unreadable`);
  if (summary.loadErrors) parts.push(`${summary.loadErrors} not loadable`);
  return {
    tool: "replay",
    rules: [REPLAY_RULE, REPLAY_ERROR_RULE],
    findings: summary.results.map((r) => findingFor(r, cwd)).filter((f): f is Finding => f !== undefined),
    cases: summary.results.map((r) => caseFor(r, cwd)),
    summary: `${total} ${total === 1 ? "history" : "histories"} replayed: ${parts.join(", ")}${summary.stoppedEarly ? " (stopped at the first failure)" : ""}`,
    ...(notes.length > 0 ? { notes } : {}),
  };
}

export async function runReplay(histories: string[], flags: ReplayFlags): Promise<void> {
  const ctx = await commandContext(flags);
  const module = ctx.modulePath(flags.module);
  if (!module) throw new InputError("no orchestrator module: pass --module <path> (a file, or a function app folder), or set \"module\" in dtcheck.config");
  const inputs = histories.length ? histories : ctx.config.histories ? [ctx.configPath(ctx.config.histories)!] : [];
  if (!inputs.length) throw new InputError("no histories given: pass files, directories or globs, or set \"histories\" in dtcheck.config");
  const { files, unreadable } = shardInputs(await collectHistoryInputs(inputs, ctx.cwd), flags.shard, ctx.cwd);
  const bar = progress(unreadable.length + files.length, { quiet: flags.quiet });
  const summary = await runContainedReplayParallel(
    {
      kind: "replay",
      module: path.resolve(module),
      files,
      unreadable,
      orchestrator: flags.orchestrator ?? ctx.config.orchestrator,
      strict: flags.strict ?? ctx.config.strict,
      failFast: flags.failFast,
      cwd: ctx.cwd,
    },
    { ...containment(flags, ctx.cwd), workers: flags.workers, onResult: (r) => bar.tick(r.file ? path.relative(ctx.cwd, r.file) : "") },
  );
  bar.done();
  finish(inShard(replayReport(summary, ctx.cwd), flags.shard), flags, ctx.cwd);
}
