import path from "node:path";
import { renderFuzzResult, type DriftResult, type FuzzResult } from "@dtcheck/replay-tester";
import type { Finding, RuleInfo, TestCase } from "../output/report.js";

export const NONDETERMINISM_RULE: RuleInfo = {
  id: "dtcheck/nondeterminism",
  description: "An orchestrator produced different durable calls when the same history was replayed (in a changed environment or on its own history).",
  helpUri: "https://github.com/dtcheck/dtcheck/blob/main/docs/cli.md#fuzz",
  defaultLevel: "error",
};
export const DRIFT_RULE: RuleInfo = {
  id: "dtcheck/version-drift",
  description: "A history started by the deployed version no longer replays on the new version: in-flight instances would fail after the deploy.",
  helpUri: "https://github.com/dtcheck/dtcheck/blob/main/docs/cli.md#drift",
  defaultLevel: "error",
};

/** The finding for a fuzz or drift failure: at the orchestrator line that made the differing call, with the minimal history beside it. */
export function fuzzFinding(result: FuzzResult | DriftResult, rule: RuleInfo, cwd: string): Finding | undefined {
  const failure = result.failure;
  if (!failure) return undefined;
  const where = failure.divergence?.produced?.location ?? failure.difference?.location;
  const history = failure.historyFile ? { message: `minimal history (${failure.history.events.length} events)`, location: { file: failure.historyFile } } : undefined;
  const text = renderFuzzResult(result, { cwd });
  return {
    ruleId: rule.id,
    level: "error",
    message: `${result.orchestrator}: ${failure.message}`,
    location: where ? { file: where.file, line: where.line, column: where.column } : history?.location,
    related: history && where ? [history] : undefined,
    detail: text.split("\n").slice(2).map((line) => line.replace(/^ {2}/, "")).join("\n"),
  };
}

export function fuzzCase(result: FuzzResult | DriftResult, suite: string, cwd: string): TestCase {
  return {
    name: result.orchestrator,
    suite,
    status: result.ok ? "passed" : "failed",
    message: result.failure?.message,
    detail: result.ok ? undefined : renderFuzzResult(result, { cwd }),
    durationMs: result.durationMs,
  };
}

/**
 * One command per failure that reproduces it: `dtcheck replay <minimal history>` when replaying the
 * file shows it (drift), else the same fuzz run jumping straight to the failing world.
 */
export function reproduceNotes(results: (FuzzResult | DriftResult)[], cwd: string, rerun: string): string[] {
  const notes: string[] = [];
  for (const result of results) {
    const f = result.failure;
    if (!f) continue;
    if (f.command?.startsWith("dtcheck ")) notes.push(`reproduce ${result.orchestrator}: ${f.command}`);
    else {
      const pathArg = f.counterexamplePath ? ` --path ${f.counterexamplePath}` : "";
      notes.push(`reproduce ${result.orchestrator}: ${rerun} --orchestrator ${result.orchestrator} --seed ${f.seed}${pathArg}`);
    }
    if (f.historyFile) notes.push(`minimal history: ${path.relative(cwd, f.historyFile)}`);
  }
  for (const result of results) for (const warning of result.warnings) notes.push(`warning (${result.orchestrator}): ${warning}`);
  return notes;
}
