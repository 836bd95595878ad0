/**
 * The one shape every command hands to the output writers: lint findings, replay divergences,
 * fuzz and drift failures all become findings (for SARIF and text) and cases (for JUnit).
 */

import type { CaseSpool } from "./case-spool.js";

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
  /** One line (SARIF shortDescription). */
  description: string;
  helpUri?: string;
  defaultLevel: Level;
}

export interface RelatedLocation {
  message: string;
  location: SourceLocation;
  /**
   * A file this run wrote (a minimal history under .dtcheck/failures): not part of the repository,
   * so viewers that link into the repository (code scanning) get it as a property, not a link.
   */
  generated?: boolean;
}

export interface Finding {
  ruleId: string;
  level: Level;
  message: string;
  location?: SourceLocation;
  /** Extra locations that explain the finding (a helper's hazard, the history file of a divergence). */
  related?: RelatedLocation[];
  /** A small code frame or divergence rendering for the text output. */
  detail?: string;
  /**
   * With the code at the location, what tells this finding apart from others of its rule in the
   * same file across runs (e.g. the orchestrator and the property it broke, when the message holds
   * values that change with the seed). Default: the message with line numbers removed.
   */
  identity?: string;
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
  /** The source file (and line) the case is about, for reporters that link to code. */
  file?: string;
  line?: number;
  /** The rule the failure is about (JUnit failure type). */
  ruleId?: string;
  /** Reported but not failing (lint warnings): kept as the case's output. */
  output?: string;
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
  /**
   * fuzz and drift: call sites of the checked code that checks which passed never reached (named
   * in the notes). Nothing there was checked, so text output never shows such a run with a ✔.
   */
  unreachedSites?: number;
  /**
   * The run in another tool's own output format, for formats dtcheck passes through unchanged
   * (`eslint-json`: what ESLint's json formatter prints for the same results). Never part of `json`.
   */
  native?: { "eslint-json"?: string };
  /** The part of a run split between CI jobs (`--shard index/count`) that this report covers. */
  shard?: ShardInfo;
  /**
   * A run with more cases than are worth holding (a directory replay): `cases` then holds only the
   * cases that did not pass, and the spool counts every case and holds them, rendered, for the
   * formats that print them all.
   */
  spool?: CaseSpool;
}

/** How many cases the report is about, spooled ones included. */
export function caseCount(report: Report): number {
  return report.spool?.total ?? report.cases.length;
}

export interface ShardInfo {
  index: number;
  count: number;
}

/** Marks a report as one shard's: the summary says so, and a shard that held nothing says that rather than passing. */
export function inShard(report: Report, shard: ShardInfo | undefined): Report {
  if (!shard) return report;
  const label = `shard ${shard.index}/${shard.count}`;
  const empty = caseCount(report) === 0 && report.findings.length === 0;
  return {
    ...report,
    shard,
    summary: `${report.summary} (${label})`,
    notes: empty ? [...(report.notes ?? []), `${label} holds nothing to check: the other shards hold the rest (merge their --format json reports with dtcheck merge-reports)`] : report.notes,
  };
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
