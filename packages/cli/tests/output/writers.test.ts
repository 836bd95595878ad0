import path from "node:path";
import { describe, expect, it } from "vitest";
import { toSarif } from "../../src/output/sarif.js";
import { toJUnit } from "../../src/output/junit.js";
import { toText } from "../../src/output/text.js";
import { painter } from "../../src/output/colors.js";
import { exitCodeFor, type Report } from "../../src/output/report.js";
import { sarifValidator } from "./sarif-schema.js";

const root = path.resolve("/repo");

const report: Report = {
  tool: "lint",
  rules: [
    { id: "@dtcheck/no-wall-clock", description: "Disallow wall-clock reads in orchestrators", helpUri: "https://example.test/no-wall-clock", defaultLevel: "error" },
    { id: "@dtcheck/replay-safe-logging", description: "Log only when not replaying", defaultLevel: "warning" },
  ],
  findings: [
    {
      ruleId: "@dtcheck/no-wall-clock",
      level: "error",
      message: "Date.now() returns a new value on replay; use ctx.currentUtcDateTime.getTime()",
      location: { file: "/repo/src/orders & co/orchestrator.ts", line: 12, column: 5, endLine: 12, endColumn: 15 },
      related: [{ message: "Date.now() in helper", location: { file: "/repo/src/time.ts", line: 3 } }],
    },
    { ruleId: "@dtcheck/replay-safe-logging", level: "warning", message: "console.log runs again on every replay", location: { file: "src/a.ts", line: 2 } },
  ],
  cases: [
    { name: "histories/ok.json", suite: "replay", status: "passed", durationMs: 3 },
    { name: "histories/bad <1>.json", suite: "replay", status: "failed", message: "expected callActivity(\"a\") got \"b\"", detail: "episode 2, event 7\u0001", durationMs: 4 },
    { name: "histories/broken.json", suite: "replay", status: "error", message: "malformed JSON at 1:7" },
  ],
  summary: "3 histories: 1 ok, 1 diverged, 1 unreadable",
};

describe("SARIF output", () => {
  it("validates against the official SARIF 2.1.0 schema", () => {
    const log = toSarif(report, { root, version: "0.1.0" });
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
  });

  it("uses relative, percent-encoded URIs under %SRCROOT% and indexes rules", () => {
    const log = toSarif(report, { root, version: "0.1.0" });
    const [first, second] = log.runs[0]!.results;
    expect(first!.locations![0]!.physicalLocation.artifactLocation).toEqual({ uri: "src/orders%20%26%20co/orchestrator.ts", uriBaseId: "%SRCROOT%" });
    expect(first!.ruleIndex).toBe(0);
    expect(first!.relatedLocations![0]!.physicalLocation.artifactLocation.uri).toBe("src/time.ts");
    expect(second!.level).toBe("warning");
    expect(log.runs[0]!.originalUriBaseIds["%SRCROOT%"].uri).toBe("file:///repo/");
  });

  it("rejects a log the schema forbids (the validator is not a rubber stamp)", () => {
    const log = toSarif(report, { root, version: "0.1.0" }) as unknown as { runs: { results: { level: string }[] }[] };
    log.runs[0]!.results[0]!.level = "fatal";
    expect(sarifValidator()(log)).toBe(false);
  });
});

describe("JUnit output", () => {
  const xml = toJUnit(report);

  it("has one testcase per case with failure and error elements", () => {
    expect(xml.match(/<testcase /g)).toHaveLength(3);
    expect(xml).toContain('<testsuites name="dtcheck lint" tests="3" failures="1" errors="1" skipped="0"');
    expect(xml).toContain('<testcase name="histories/bad &lt;1&gt;.json" classname="dtcheck.replay"');
    expect(xml).toContain('<failure message="expected callActivity(&quot;a&quot;) got &quot;b&quot;">episode 2, event 7</failure>');
    expect(xml).toContain('<error message="malformed JSON at 1:7">');
  });

  it("drops characters XML 1.0 cannot carry", () => {
    expect(xml).not.toContain("\u0001");
  });
});

describe("text output", () => {
  it("groups findings by file relative to the root and ends with the summary", () => {
    const text = toText(report, { root, paint: painter(false) });
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toBe(path.join("src", "a.ts"));
    expect(text).toContain("12:5");
    expect(text).toContain("→ Date.now() in helper (src/time.ts:3)");
    expect(lines.at(-1)).toBe("✖ 3 histories: 1 ok, 1 diverged, 1 unreadable");
    expect(text).not.toContain("\u001b[");
  });

  it("paints only when asked", () => {
    expect(toText(report, { root, paint: painter(true) })).toContain("\u001b[");
  });
});

describe("exit codes", () => {
  it("is 2 when an input could not be read, 1 with failures or error findings, 0 when only warnings", () => {
    expect(exitCodeFor(report)).toBe(2);
    expect(exitCodeFor({ ...report, cases: report.cases.slice(0, 2) })).toBe(1);
    expect(exitCodeFor({ ...report, cases: [], findings: [report.findings[0]!] })).toBe(1);
    expect(exitCodeFor({ ...report, cases: [], findings: [report.findings[1]!] })).toBe(0);
  });
});
