import { coverageLine, describeSite, envSettingsIn, readsClockOrRandomness, renderFuzzResult, shellCommand, type CoverageSummary, type SiteCoverage, type DriftResult, type FuzzResult, type StoppedUnit } from "@dtcheck/replay-tester";
import { shownPath } from "../output/paths.js";
import type { CoverageEntry, Finding, RuleInfo, TestCase } from "../output/report.js";

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

export const INCONCLUSIVE_RULE: RuleInfo = {
  id: "dtcheck/inconclusive",
  description:
    "The fuzz or drift check found nothing but cannot vouch for the orchestrator: a call site the new version changed was never reached, or most generated instances failed at once.",
  helpUri: "https://github.com/dtcheck/dtcheck/blob/main/docs/troubleshooting.md#inconclusive-verdicts",
  defaultLevel: "error",
};
export const UNFINISHED_RULE: RuleInfo = {
  id: "dtcheck/does-not-finish",
  description: "No generated instance of the orchestrator finished within the world's episode limit: it may loop forever.",
  helpUri: "https://github.com/dtcheck/dtcheck/blob/main/docs/troubleshooting.md#does-not-finish-within-n-episodes",
  defaultLevel: "error",
};

/** How the CLI treats an inconclusive check: a failure (exit 1), or with --allow-inconclusive a warning and a skipped case. */
export interface VerdictOptions {
  allowInconclusive?: boolean;
}

/** The rules a fuzz or drift report may use, beside the check's own. */
export const VERDICT_RULES: RuleInfo[] = [INCONCLUSIVE_RULE, UNFINISHED_RULE];

/** Findings for a check that found no failure yet proved nothing: the orchestrator never finishes, or the verdict is inconclusive. */
export function verdictFinding(result: FuzzResult | DriftResult, options: VerdictOptions): Finding | undefined {
  const found = result.unfinished ?? result.inconclusive;
  if (!found || result.failure) return undefined;
  const rule = result.unfinished ? UNFINISHED_RULE : INCONCLUSIVE_RULE;
  const finding: Finding = {
    ruleId: rule.id,
    level: result.unfinished || !options.allowInconclusive ? "error" : "warning",
    message: `${result.orchestrator}: ${found.message}`,
    detail: `fix: ${found.hint}`,
  };
  if (found.location) finding.location = { ...found.location };
  return finding;
}

/** Coverage for the report (JSON `coverage`, SARIF run properties, JUnit case properties). */
export function coverageEntries(result: FuzzResult | DriftResult, cwd: string): CoverageEntry[] {
  const entry = (summary: CoverageSummary, version?: "baseline" | "candidate"): CoverageEntry => ({
    orchestrator: result.orchestrator,
    ...(version ? { version } : {}),
    reached: summary.reached,
    total: summary.fromSource ? summary.total : null,
    unreached: summary.sites.filter((s) => !s.reached).map((s) => ({ file: shownPath(cwd, s.file), line: s.line, method: s.method, ...(s.name !== undefined ? { name: s.name } : {}) })),
  });
  const entries: CoverageEntry[] = [];
  if ("baselineCoverage" in result && result.baselineCoverage) entries.push(entry(result.baselineCoverage, "baseline"));
  if (result.coverage) entries.push(entry(result.coverage, "baseline" in result ? "candidate" : undefined));
  return entries;
}

/**
 * The sites of the checked code (fuzz: the orchestrator's; drift: the candidate's, except those
 * behind a version check, which old instances never reach by design) that a check which passed
 * never reached. A failed or inconclusive check says so in its finding, which names the site that mattered.
 */
export function uncheckedSites(result: FuzzResult | DriftResult): SiteCoverage[] {
  if (!result.ok || !result.coverage?.fromSource) return [];
  return result.coverage.sites.filter((site) => !site.reached && !site.versionGated);
}

/** The report's unreachedSites: present only when some check passed without reaching all its code. */
export function unreachedSitesOf(results: (FuzzResult | DriftResult)[]): { unreachedSites?: number } {
  const count = results.reduce((sum, result) => sum + uncheckedSites(result).length, 0);
  return count ? { unreachedSites: count } : {};
}

/** Unreached sites named in a note, at most: the JSON and SARIF reports list them all. */
const UNREACHED_SHOWN = 3;

/**
 * "processOrder: 3 of 4 durable call sites reached" (both versions for drift), then, when a check
 * passed without reaching some of its code's sites (see uncheckedSites), which ones and how to
 * reach them: nothing there was checked.
 */
export function coverageNotes(results: (FuzzResult | DriftResult)[], cwd: string): string[] {
  const notes: string[] = [];
  for (const result of results) {
    if ("baselineCoverage" in result && result.baselineCoverage && result.coverage) {
      notes.push(`${result.orchestrator}: candidate ${coverageLine(result.coverage)}; baseline ${coverageLine(result.baselineCoverage)}`);
    } else if (result.coverage) notes.push(`${result.orchestrator}: ${coverageLine(result.coverage)}`);
    const unreached = uncheckedSites(result);
    if (unreached.length === 0) continue;
    const shown = unreached.slice(0, UNREACHED_SHOWN).map((site) => `${describeSite(site)} (${shownPath(cwd, site.file)}:${site.line}${site.conditions.length ? `, behind ${site.conditions.join(" and ")}` : ""})`);
    const more = unreached.length > UNREACHED_SHOWN ? ` and ${unreached.length - UNREACHED_SHOWN} more` : "";
    // A call behind a setting read from process.env is reached by setting it, not by an input.
    const settings = [...new Set(unreached.flatMap((site) => site.conditions.flatMap(envSettingsIn).map((setting) => setting.name)))];
    const setting = settings.length ? `, or run with ${settings.join(", ")} set as the code expects (better: pass ${settings.length === 1 ? "that setting" : "those settings"} in the input, since a replay reads whatever the worker has then)` : "";
    // A branch on the clock or randomness is the bug itself: no input reaches it reliably.
    const clock = unreached.some((site) => site.conditions.some(readsClockOrRandomness))
      ? "; a branch on the clock or randomness is itself what makes an orchestrator non-deterministic (dtcheck lint names the fix)"
      : "";
    const them = unreached.length === 1 ? "it" : "them";
    notes.push(
      `${result.orchestrator}: never reached, so not checked: ${shown.join("; ")}${more}; give an input or activity results that reach ${them} (--input, or fuzz.inputs / fuzz.activities in dtcheck.config) or more --runs${setting}${clock}`,
    );
  }
  return notes;
}

function failureLocation(result: FuzzResult | DriftResult) {
  const failure = result.failure;
  return failure?.location ?? failure?.divergence?.produced?.location ?? failure?.difference?.location;
}

/**
 * The `dtcheck ...` command that reproduces a failure: `dtcheck replay <minimal history>` when
 * replaying the file shows it (self-replay, drift), else the same fuzz run (`rerun`, as argv)
 * jumping straight to the failing world. Never a library call: the CLI's user has a shell.
 */
export function reproduceCommand(result: FuzzResult | DriftResult, rerun: string[]): string | undefined {
  const f = result.failure;
  if (!f) return undefined;
  if (f.command?.startsWith("dtcheck ")) return f.command;
  // The settings the code read, as this run had them: without them the same seed finds nothing.
  const settings = Object.entries(f.environment ?? {}).map(([name, value]) => `${name}=${shellCommand([value])} `);
  return settings.join("") + shellCommand([...rerun, "--orchestrator", result.orchestrator, "--seed", String(f.seed), ...(f.counterexamplePath ? ["--path", f.counterexamplePath] : [])]);
}

/** The finding for a fuzz or drift failure: at the orchestrator line that made the differing call, with the minimal history beside it. */
export function fuzzFinding(result: FuzzResult | DriftResult, rule: RuleInfo, cwd: string, rerun: string[]): Finding | undefined {
  const failure = result.failure;
  if (!failure) return undefined;
  const where = failureLocation(result);
  const history = failure.historyFile
    ? { message: `minimal history (${failure.history.events.length} events)`, location: { file: failure.historyFile }, generated: true }
    : undefined;
  const text = renderFuzzResult(result, { cwd, reproduce: reproduceCommand(result, rerun) });
  return {
    ruleId: rule.id,
    level: "error",
    message: `${result.orchestrator}: ${failure.message}`,
    location: where ? { file: where.file, line: where.line, column: where.column } : history?.location,
    related: history && where ? [history] : undefined,
    detail: text.split("\n").slice(2).map((line) => line.replace(/^ {2}/, "")).join("\n"),
    // The message quotes generated values that change with the seed; the property broken does not.
    identity: `${result.orchestrator}\n${failure.property}`,
  };
}

export function fuzzCase(result: FuzzResult | DriftResult, suite: string, cwd: string, rule: RuleInfo, rerun: string[], options: VerdictOptions = {}): TestCase {
  const inconclusiveOnly = !result.failure && !result.unfinished && result.inconclusive !== undefined;
  const where = failureLocation(result);
  const testCase: TestCase = {
    name: result.orchestrator,
    suite,
    // Inconclusive is never "passed": allowed, it is a skipped case (not checked), else a failure.
    status: result.ok ? "passed" : inconclusiveOnly && options.allowInconclusive ? "skipped" : "failed",
    message: result.failure?.message ?? result.unfinished?.message ?? result.inconclusive?.message,
    detail: result.ok ? undefined : renderFuzzResult(result, { cwd, reproduce: reproduceCommand(result, rerun) }),
    durationMs: result.durationMs,
    ...(where ? { file: where.file, line: where.line } : {}),
    ...(result.ok ? {} : { ruleId: result.failure ? rule.id : result.unfinished ? UNFINISHED_RULE.id : INCONCLUSIVE_RULE.id }),
  };
  const properties: Record<string, string> = {};
  for (const entry of coverageEntries(result, cwd)) {
    properties[`dtcheck.coverage${entry.version ? `.${entry.version}` : ""}`] = `${entry.reached} of ${entry.total ?? "?"}`;
  }
  if (Object.keys(properties).length > 0) testCase.properties = properties;
  return testCase;
}

/** One command per failure that reproduces it, the minimal history's path, and the run's warnings. */
export function reproduceNotes(results: (FuzzResult | DriftResult)[], cwd: string, rerun: string[]): string[] {
  const notes: string[] = [];
  for (const result of results) {
    const f = result.failure;
    if (!f) continue;
    notes.push(`reproduce ${result.orchestrator}: ${reproduceCommand(result, rerun)}`);
    if (f.historyFile) notes.push(`minimal history: ${shownPath(cwd, f.historyFile)}`);
  }
  for (const result of results) for (const warning of result.warnings) notes.push(`warning (${result.orchestrator}): ${warning}`);
  return notes;
}

/** An orchestrator whose check the watchdog stopped (a hang, a crash of the thread): a finding about that orchestrator, at its module. */
export function stoppedFinding(unit: StoppedUnit, rule: RuleInfo, module: string): Finding {
  return { ruleId: rule.id, level: "error", message: `${unit.unit}: ${unit.message}`, location: { file: module } };
}

export function stoppedCase(unit: StoppedUnit, suite: string): TestCase {
  return { name: unit.unit, suite, status: "failed", message: unit.message };
}
