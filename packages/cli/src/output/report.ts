/**
 * The one shape every command hands to the output writers: lint findings, replay divergences,
 * fuzz and drift failures all become findings (for SARIF and text) and cases (for JUnit).
 */

export type Level = "error" | "warning" | "note";

export interface SourceLocation {
  /** Path as given to or found by the command; writers make it relative where they need to. */
  file: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
}

export interface RuleInfo {
  id: string;
  description: string;
  helpUri?: string;
  defaultLevel: Level;
}

export interface Finding {
  ruleId: string;
  level: Level;
  message: string;
  location?: SourceLocation;
  /** Extra locations that explain the finding (a helper's hazard, the history file of a divergence). */
  related?: { message: string; location: SourceLocation }[];
  /** A small code frame or divergence rendering for the text output. */
  detail?: string;
}

export type CaseStatus = "passed" | "failed" | "error" | "skipped";

export interface TestCase {
  /** e.g. the history file or the property name. */
  name: string;
  /** e.g. "replay", "lint", "drift". */
  suite: string;
  status: CaseStatus;
  message?: string;
  detail?: string;
  durationMs?: number;
  /** Name/value pairs about the case (JUnit <properties>), e.g. dtcheck.coverage = "3 of 4". */
  properties?: Record<string, string>;
}

/** Which durable call sites of one orchestrator (one version of it, for drift) a fuzz or drift run reached. */
export interface CoverageEntry {
  orchestrator: string;
  version?: "baseline" | "candidate";
  reached: number;
  /** null when the orchestrator's function was not found in its source. */
  total: number | null;
  unreached: { file: string; line: number; method: string; name?: string }[];
}

export interface Report {
  tool: "lint" | "replay" | "fuzz" | "drift" | "record" | "convert";
  rules: RuleInfo[];
  findings: Finding[];
  cases: TestCase[];
  /** One line, e.g. "12 histories: 11 ok, 1 diverged". */
  summary: string;
  /** Lines printed under the summary in text output (e.g. a reproduce command). */
  notes?: string[];
  /** fuzz and drift: durable call sites reached, per orchestrator (SARIF run properties). */
  coverage?: CoverageEntry[];
}

/**
 * 0 clean, 1 findings or failures, 2 when some input could not be read at all (a case with status
 * "error"): an unreadable input must never look like a mere finding, let alone a pass.
 */
export function exitCodeFor(report: Report): number {
  if (report.cases.some((c) => c.status === "error")) return 2;
  const failedCase = report.cases.some((c) => c.status === "failed");
  const errorFinding = report.findings.some((f) => f.level === "error");
  return failedCase || errorFinding ? 1 : 0;
}
