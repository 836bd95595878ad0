import { shownPath } from "../errors.js";
import { coverageLine } from "../coverage/summary.js";
import { renderResult } from "../report/render.js";
import type { DriftResult, FuzzResult } from "./result.js";

/**
 * A human rendering of a determinism or drift result: verdict, seed, the minimal failure and how to
 * act on it. `reproduce` replaces the failure's own command (a CLI prints its own command line).
 */
export function renderFuzzResult(result: FuzzResult | DriftResult, options: { cwd?: string; reproduce?: string } = {}): string {
  const cwd = options.cwd ?? process.cwd();
  const what = "candidate" in result ? `drift ${result.baseline} -> ${result.candidate}` : `determinism of ${result.orchestrator}`;
  const counts = `${result.runs} worlds, ${result.histories} histories, ${result.replays} replays, seed ${result.seed}`;
  const lines: string[] = [];
  const unproven = result.failure ? undefined : (result.unfinished ?? result.inconclusive);
  if (unproven) {
    lines.push(`${result.unfinished ? "failed" : "inconclusive"} ${what}: ${counts}`, `  ${unproven.message}`, `  fix: ${unproven.hint}`);
  } else if (!result.failure) {
    lines.push(`${result.ok ? "ok" : "failed"}   ${what}: ${counts}`);
  } else {
    const f = result.failure;
    lines.push(`failed ${what}: ${counts}`, `  ${f.message}`);
    // The minimal history's replay, named by the file it was written to. A divergence's own fix is
    // for a changed deploy; the failure's (a determinism fix for a self-replay failure) says it instead.
    const replayed =
      f.replay && f.replay.status !== "ok"
        ? renderResult({ ...f.replay, file: f.replay.file ?? f.historyFile }, { cwd, unnamed: "(the minimal history)", fix: !f.hint })
        : "";
    if (replayed) lines.push(replayed.replace(/^/gm, "  "));
    lines.push(`  minimal history: ${f.history.events.length} events after ${f.shrinks} shrinks${f.historyFile ? `, written to ${shownPath(f.historyFile, cwd)}` : ""}`);
    const command = options.reproduce ?? f.command;
    if (command) lines.push(`  reproduce: ${command}`);
    lines.push(`  same failure again: seed ${f.seed}${f.counterexamplePath ? `, path "${f.counterexamplePath}"` : ""}`);
    if (f.hint) lines.push(`  fix: ${f.hint}`);
  }
  if ("saved" in result && result.saved) {
    const s = result.saved;
    lines.push(`  saved histories: ${s.ok} ok, ${s.diverged} diverged, ${s.failed} failed, ${s.loadErrors} load errors`);
    for (const r of s.results) if (r.status !== "ok") lines.push(renderResult(r, { cwd }).replace(/^/gm, "    "));
  }
  if ("baselineCoverage" in result && result.baselineCoverage && result.coverage) {
    lines.push(`  coverage: candidate ${coverageLine(result.coverage)}; baseline ${coverageLine(result.baselineCoverage)}`);
  } else if (result.coverage) lines.push(`  coverage: ${coverageLine(result.coverage)}`);
  for (const warning of result.warnings) lines.push(`  warning: ${warning}`);
  return lines.join("\n");
}
