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

function testCaseXml(testCase: TestCase): string {
  const open = `    <testcase name="${escapeXml(testCase.name)}" classname="dtcheck.${escapeXml(testCase.suite)}" time="${seconds(testCase.durationMs)}"`;
  const body = escapeXml(testCase.detail ?? testCase.message ?? "");
  const message = escapeXml(testCase.message ?? "");
  const properties = propertiesXml(testCase);
  switch (testCase.status) {
    case "passed":
      return properties ? `${open}>${properties}\n    </testcase>` : `${open}/>`;
    case "skipped":
      return `${open}>${properties}\n      <skipped message="${message}"/>\n    </testcase>`;
    case "failed":
      return `${open}>${properties}\n      <failure message="${message}">${body}</failure>\n    </testcase>`;
    case "error":
      return `${open}>${properties}\n      <error message="${message}">${body}</error>\n    </testcase>`;
  }
}

/** JUnit XML with one <testsuite> per suite name and one <testcase> per case. */
export function toJUnit(report: Report): string {
  const suites = new Map<string, TestCase[]>();
  for (const testCase of report.cases) {
    const cases = suites.get(testCase.suite) ?? [];
    cases.push(testCase);
    suites.set(testCase.suite, cases);
  }
  const count = (cases: TestCase[], status: TestCase["status"]) => cases.filter((c) => c.status === status).length;
  const totalTime = report.cases.reduce((sum, c) => sum + (c.durationMs ?? 0), 0);
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="dtcheck ${report.tool}" tests="${report.cases.length}" failures="${count(report.cases, "failed")}" errors="${count(report.cases, "error")}" skipped="${count(report.cases, "skipped")}" time="${seconds(totalTime)}">`,
  ];
  for (const [suite, cases] of suites) {
    const time = cases.reduce((sum, c) => sum + (c.durationMs ?? 0), 0);
    lines.push(
      `  <testsuite name="${escapeXml(suite)}" tests="${cases.length}" failures="${count(cases, "failed")}" errors="${count(cases, "error")}" skipped="${count(cases, "skipped")}" time="${seconds(time)}">`,
      ...cases.map(testCaseXml),
      `  </testsuite>`,
    );
  }
  lines.push(`</testsuites>`, "");
  return lines.join("\n");
}
