import path from "node:path";
import { shownPath } from "./paths.js";
import type { Report, TestCase } from "./report.js";

// XML 1.0 forbids most control characters even when escaped; drop them.
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

function seconds(ms: number | undefined): string {
  return ((ms ?? 0) / 1000).toFixed(3);
}

/** A case's <properties> (e.g. dtcheck.coverage), indented inside its <testcase>; empty when it has none. */
function propertiesXml(testCase: TestCase): string {
  const entries = Object.entries(testCase.properties ?? {});
  if (entries.length === 0) return "";
  const items = entries.map(([name, value]) => `        <property name="${escapeXml(name)}" value="${escapeXml(value)}"/>`);
  return `\n      <properties>\n${items.join("\n")}\n      </properties>`;
}

function attributes(pairs: [string, string | number | undefined][]): string {
  return pairs
    .filter((pair): pair is [string, string | number] => pair[1] !== undefined)
    .map(([name, value]) => ` ${name}="${escapeXml(String(value))}"`)
    .join("");
}

/** Forward slashes and relative to the root, as GitLab and the GitHub JUnit annotators resolve it. */
function shownFile(file: string, root: string): string {
  return shownPath(root, file).split(path.sep).join("/");
}

/**
 * One <testcase>. Children in the order the Jenkins/Ant schema requires (skipped, error, failure,
 * system-out). `file` and `line` are the de-facto extension GitLab, pytest's xunit1 family and the
 * GitHub JUnit annotators read; Jenkins and Azure DevOps ignore them.
 */
export function testCaseXml(testCase: TestCase, root: string): string {
  const open = `    <testcase${attributes([
    ["name", testCase.name],
    ["classname", `dtcheck.${testCase.suite}`],
    ["time", seconds(testCase.durationMs)],
    ["file", testCase.file === undefined ? undefined : shownFile(testCase.file, root)],
    ["line", testCase.line],
  ])}`;
  // Coverage ("3 of 4 durable call sites") first; the Jenkins schema has no <properties> in a case, Surefire and GitLab read them.
  const children: string[] = [];
  const properties = propertiesXml(testCase);
  if (properties) children.push(properties.replace(/^\n/, ""));
  const message = testCase.message ?? "";
  const body = escapeXml(testCase.detail ?? testCase.message ?? "");
  const type = testCase.ruleId ?? (testCase.status === "error" ? "dtcheck/input-error" : `dtcheck/${testCase.suite}`);
  if (testCase.status === "skipped") children.push(`      <skipped${attributes([["message", message]])}/>`);
  if (testCase.status === "error") children.push(`      <error${attributes([["message", message], ["type", type]])}>${body}</error>`);
  if (testCase.status === "failed") children.push(`      <failure${attributes([["message", message], ["type", type]])}>${body}</failure>`);
  // Jenkins, GitLab and Azure DevOps all show a case's system-out; a warning kept there never fails the case.
  if (testCase.output) children.push(`      <system-out>${escapeXml(testCase.output)}</system-out>`);
  return children.length ? `${open}>\n${children.join("\n")}\n    </testcase>` : `${open}/>`;
}

function counts(cases: TestCase[]) {
  const count = (status: TestCase["status"]) => cases.filter((c) => c.status === status).length;
  return {
    tests: cases.length,
    failures: count("failed"),
    errors: count("error"),
    skipped: count("skipped"),
    time: seconds(cases.reduce((sum, c) => sum + (c.durationMs ?? 0), 0)),
  };
}

/** JUnit XML (the Jenkins/Ant schema) with one <testsuite> per suite name and one <testcase> per case. */
export function toJUnit(report: Report, options: { root: string } = { root: process.cwd() }): string {
  return [...junitPieces(report, options)].join("");
}

/** One spool separator: the cases of a spooled report are rendered one per line, as toJUnit joins them. */
export const JUNIT_CASE_SEPARATOR = "\n";

/** toJUnit in pieces: a spooled report's cases are copied from its spool, never all held at once. */
export function* junitPieces(report: Report, options: { root: string }): Generator<string | Buffer> {
  const spool = report.spool;
  if (spool) {
    const time = seconds(spool.durationMs);
    yield [
      `<?xml version="1.0" encoding="UTF-8"?>`,
      `<testsuites${attributes([["name", `dtcheck ${report.tool}`], ["tests", spool.total], ["failures", spool.failures], ["errors", spool.errors], ["time", time]])}>`,
      "",
    ].join("\n");
    if (spool.suite !== undefined) {
      yield `  <testsuite${attributes([["name", spool.suite], ["tests", spool.total], ["failures", spool.failures], ["errors", spool.errors], ["skipped", spool.skipped], ["time", time]])}>\n`;
      yield* spool.rendered();
      yield `\n  </testsuite>\n`;
    }
    yield `</testsuites>\n`;
    return;
  }
  const suites = new Map<string, TestCase[]>();
  for (const testCase of report.cases) {
    const cases = suites.get(testCase.suite) ?? [];
    cases.push(testCase);
    suites.set(testCase.suite, cases);
  }
  const all = counts(report.cases);
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    // The schema has no skipped count on <testsuites>; each <testsuite> carries its own.
    `<testsuites${attributes([["name", `dtcheck ${report.tool}`], ["tests", all.tests], ["failures", all.failures], ["errors", all.errors], ["time", all.time]])}>`,
  ];
  for (const [suite, cases] of suites) {
    const c = counts(cases);
    lines.push(
      `  <testsuite${attributes([["name", suite], ["tests", c.tests], ["failures", c.failures], ["errors", c.errors], ["skipped", c.skipped], ["time", c.time]])}>`,
      ...cases.map((testCase) => testCaseXml(testCase, options.root)),
      `  </testsuite>`,
    );
  }
  lines.push(`</testsuites>`, "");
  yield lines.join("\n");
}
