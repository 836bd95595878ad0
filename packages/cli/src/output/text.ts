import type { Paint } from "./colors.js";
import { shownPath } from "./paths.js";
import { caseCount, type Finding, type Report } from "./report.js";


function location(finding: Finding): string {
  const loc = finding.location;
  if (!loc?.line) return "";
  return `${loc.line}:${loc.column ?? 1}`;
}

/** Human output: findings grouped by file, each with its detail (a code frame), then cases that failed, then the summary. */
export function toText(report: Report, options: { root: string; paint: Paint }): string {
  const { paint, root } = options;
  const out: string[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const finding of report.findings) {
    const file = finding.location ? shownPath(root, finding.location.file) : "(no file)";
    const list = byFile.get(file) ?? [];
    list.push(finding);
    byFile.set(file, list);
  }
  for (const [file, findings] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
    out.push(paint("underline", file));
    for (const finding of findings) {
      const level = finding.level === "error" ? paint("red", "error") : finding.level === "warning" ? paint("yellow", "warning") : paint("blue", "note");
      out.push(`  ${paint("dim", location(finding).padEnd(7))} ${level}  ${finding.message}  ${paint("dim", finding.ruleId)}`);
      for (const related of finding.related ?? []) {
        const rel = related.location;
        out.push(`      ${paint("dim", "→")} ${related.message} ${paint("dim", `(${shownPath(root, rel.file)}${rel.line ? `:${rel.line}` : ""})`)}`);
      }
      if (finding.detail) out.push(...finding.detail.split("\n").map((line) => `      ${line}`));
    }
    out.push("");
  }
  const failed = report.cases.filter((c) => c.status === "failed" || c.status === "error");
  const findingsCoverCases = report.findings.length > 0;
  if (!findingsCoverCases) {
    for (const testCase of failed) {
      out.push(`${paint("red", testCase.status === "error" ? "error" : "fail")}  ${testCase.name}: ${testCase.message ?? ""}`);
      if (testCase.detail) out.push(...testCase.detail.split("\n").map((line) => `      ${line}`));
    }
    if (failed.length) out.push("");
  }
  const clean = failed.length === 0 && !report.findings.some((f) => f.level === "error");
  // A skipped case was not checked (an allowed inconclusive verdict): never a ✔ for it. Nor for a
  // shard that held nothing to check, nor for checks that passed without reaching all their code.
  const unchecked = report.cases.some((c) => c.status === "skipped") || (report.shard !== undefined && caseCount(report) === 0) || (report.unreachedSites ?? 0) > 0;
  out.push(!clean ? paint("red", `✖ ${report.summary}`) : unchecked ? paint("yellow", `! ${report.summary}`) : paint("green", `✔ ${report.summary}`));
  for (const note of report.notes ?? []) out.push(note);
  return out.join("\n") + "\n";
}
