import { InputError } from "@dtcheck/replay-tester/errors";
import type { Finding, Report, RuleInfo, TestCase } from "./report.js";

/** One report read back from a shard's `--format json` output. */
export interface ReportFile {
  file: string;
  report: Report;
}

const TOOLS: readonly Report["tool"][] = ["lint", "replay", "fuzz", "drift", "record", "convert"];

/** A dtcheck JSON report, checked for the fields merging relies on; anything else is one line naming the file. */
export function parseReport(text: string, file: string): Report {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("<")) {
    throw new InputError("is XML (JUnit?); merge-reports reads the --format json reports of the shards and writes any format: run each shard with --format json", { file });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError(`is not JSON (${error instanceof Error ? error.message : String(error)}); write each shard's report with --format json`, { file });
  }
  const record = value as Partial<Record<keyof Report, unknown>> & { runs?: unknown; version?: unknown };
  if (record && typeof record === "object" && Array.isArray(record.runs)) {
    throw new InputError("is a SARIF log; merge-reports reads the --format json reports of the shards (it writes SARIF with --format sarif): run each shard with --format json", { file });
  }
  const valid =
    record !== null &&
    typeof record === "object" &&
    TOOLS.includes(record.tool as Report["tool"]) &&
    Array.isArray(record.rules) &&
    Array.isArray(record.findings) &&
    Array.isArray(record.cases) &&
    typeof record.summary === "string";
  if (!valid) throw new InputError("is not a dtcheck JSON report (expected tool, rules, findings, cases and summary); write each shard's report with dtcheck ... --format json", { file });
  const shard = record.shard as Report["shard"];
  if (shard !== undefined && !(Number.isInteger(shard?.index) && Number.isInteger(shard?.count) && shard.index >= 1 && shard.index <= shard.count)) {
    throw new InputError(`has a malformed "shard" (${JSON.stringify(shard)}); expected { "index": i, "count": n } with 1 <= i <= n`, { file });
  }
  return value as Report;
}

/** Every shard of 1..n exactly once, or none marked at all (reports of separate runs). */
function checkShards(inputs: readonly ReportFile[]): void {
  const marked = inputs.filter((input) => input.report.shard);
  if (marked.length === 0) return;
  const unmarked = inputs.find((input) => !input.report.shard);
  if (unmarked) throw new InputError(`is not a shard's report but ${marked[0]!.file} is; merge the reports of one sharded run (every --shard i/n)`, { file: unmarked.file });
  const count = marked[0]!.report.shard!.count;
  const other = marked.find((input) => input.report.shard!.count !== count);
  if (other) throw new InputError(`is shard ${other.report.shard!.index}/${other.report.shard!.count} but ${marked[0]!.file} is one of ${count}; merge the reports of one sharded run`, { file: other.file });
  const seen = new Map<number, string>();
  for (const input of marked) {
    const index = input.report.shard!.index;
    const first = seen.get(index);
    if (first) throw new InputError(`is shard ${index}/${count} again (so is ${first}); give each shard's report once`, { file: input.file });
    seen.set(index, input.file);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((index) => !seen.has(index));
  if (missing.length) {
    throw new InputError(`shard${missing.length > 1 ? "s" : ""} ${missing.map((i) => `${i}/${count}`).join(", ")} missing: a merged report without ${missing.length > 1 ? "them" : "it"} would pass what was never checked; add ${missing.length > 1 ? "their" : "its"} --format json report`);
  }
}

const byText = (a: string | undefined, b: string | undefined) => ((a ?? "") < (b ?? "") ? -1 : (a ?? "") > (b ?? "") ? 1 : 0);

function compareFindings(a: Finding, b: Finding): number {
  return (
    byText(a.location?.file, b.location?.file) ||
    (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
    (a.location?.column ?? 0) - (b.location?.column ?? 0) ||
    byText(a.ruleId, b.ruleId) ||
    byText(a.message, b.message)
  );
}

function compareCases(a: TestCase, b: TestCase): number {
  return byText(a.suite, b.suite) || byText(a.name, b.name) || byText(a.status, b.status);
}

function countsLine(cases: readonly TestCase[]): string {
  const count = (status: TestCase["status"]) => cases.filter((c) => c.status === status).length;
  return `${count("passed")} passed, ${count("failed")} failed, ${count("error")} errors, ${count("skipped")} skipped`;
}

/**
 * The reports of one run's shards as one report: rules by id, findings and cases of every shard in
 * a stable order (whatever the order of the files), each shard's summary as a note. Fails with one
 * line when the reports are of different commands or a shard is missing or given twice.
 */
export function mergeReports(inputs: readonly ReportFile[]): Report {
  if (inputs.length === 0) throw new InputError("no reports given: pass the --format json report of every shard");
  const tool = inputs[0]!.report.tool;
  const otherTool = inputs.find((input) => input.report.tool !== tool);
  if (otherTool) throw new InputError(`is a ${otherTool.report.tool} report but ${inputs[0]!.file} is a ${tool} report; merge the reports of one command`, { file: otherTool.file });
  checkShards(inputs);
  const ordered = [...inputs].sort((a, b) => (a.report.shard?.index ?? 0) - (b.report.shard?.index ?? 0));
  const rules = new Map<string, RuleInfo>();
  for (const { report } of ordered) for (const rule of report.rules) if (!rules.has(rule.id)) rules.set(rule.id, rule);
  const cases = ordered.flatMap(({ report }) => report.cases).sort(compareCases);
  const findings = ordered.flatMap(({ report }) => report.findings).sort(compareFindings);
  const coverage = ordered.flatMap(({ report }) => report.coverage ?? []);
  const unreachedSites = ordered.reduce((sum, { report }) => sum + (report.unreachedSites ?? 0), 0);
  const sharded = ordered[0]!.report.shard !== undefined;
  const parts = sharded ? `${ordered.length} shards` : `${ordered.length} reports`;
  // The shard's own notes minus "holds nothing": together the shards hold everything.
  const notes = ordered.flatMap(({ report }) => (report.notes ?? []).filter((note) => !/^shard \d+\/\d+ holds nothing to check/.test(note)));
  const summaries = ordered.map(({ file, report }) => (report.shard ? `  ${report.summary}` : `  ${file}: ${report.summary}`));
  return {
    tool,
    rules: [...rules.values()],
    findings,
    cases,
    summary: `${tool}, ${parts} merged: ${countsLine(cases)}`,
    notes: [...new Set(notes), ...summaries],
    ...(coverage.length ? { coverage } : {}),
    ...(unreachedSites ? { unreachedSites } : {}),
  };
}
