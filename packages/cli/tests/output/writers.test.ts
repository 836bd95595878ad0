import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { toSarif } from "../../src/output/sarif.js";
import { toJUnit } from "../../src/output/junit.js";
import { toText } from "../../src/output/text.js";
import { painter } from "../../src/output/colors.js";
import { exitCodeFor, type Report } from "../../src/output/report.js";
import { REPO } from "../run-cli.js";
import { sarifValidator } from "./sarif-schema.js";
import { codeScanningProblems } from "./github-sarif.js";
import { EXTENSION_ATTRIBUTES, validateJUnit } from "./junit-schema.js";

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
    {
      name: "histories/bad <1>.json",
      suite: "replay",
      status: "failed",
      message: "expected callActivity(\"a\") got \"b\"",
      detail: "episode 2, event 7\u0001",
      durationMs: 4,
      file: "/repo/src/orders & co/orchestrator.ts",
      line: 12,
      ruleId: "dtcheck/replay-divergence",
    },
    { name: "histories/broken.json", suite: "replay", status: "error", message: "malformed JSON at 1:7", ruleId: "dtcheck/replay-error" },
    { name: "src/a.ts", suite: "lint", status: "passed", durationMs: 2, file: "src/a.ts", line: 2, output: "1 warning:\nsrc/a.ts:2:1 console.log runs again on every replay" },
  ],
  summary: "3 histories: 1 ok, 1 diverged, 1 unreadable",
};

describe("SARIF output", () => {
  const log = toSarif(report, { root, version: "0.1.0" });

  it("validates against the official SARIF 2.1.0 schema", () => {
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
  });

  it("uses relative, percent-encoded URIs under %SRCROOT% and indexes rules", () => {
    const [first, second] = log.runs[0]!.results;
    expect(first!.locations![0]!.physicalLocation.artifactLocation).toEqual({ uri: "src/orders%20%26%20co/orchestrator.ts", uriBaseId: "%SRCROOT%" });
    expect(first!.ruleIndex).toBe(0);
    expect(first!.relatedLocations![0]!.physicalLocation.artifactLocation.uri).toBe("src/time.ts");
    expect(second!.level).toBe("warning");
    expect(log.runs[0]!.originalUriBaseIds["%SRCROOT%"].uri).toBe("file:///repo/");
  });

  it("takes a plugin rule's full description and help from its documentation page", () => {
    const page = readFileSync(path.join(REPO, "docs/rules/replay-safe-logging.md"), "utf8").trim();
    const [, logging] = log.runs[0]!.tool.driver.rules;
    expect(logging!.shortDescription).toEqual({ text: "Log only when not replaying" });
    expect(logging!.fullDescription).toEqual({ text: page.split("\n\n")[1] });
    expect(logging!.help.markdown).toBe(logging!.help.text);
    expect(logging!.help.markdown.split("\n")[0]).toBe("# replay-safe-logging");
    expect(codeScanningProblems(log)).toEqual([]);
  });

  it("points a page's relative links at the page's URL: from an alert they would lead nowhere", () => {
    const withLinks: Report = { ...report, rules: [{ id: "@dtcheck/no-await", description: "no await", helpUri: "https://example.test/docs/rules/no-await.md", defaultLevel: "error" }] };
    const [rule] = toSarif(withLinks, { root, version: "0.1.0" }).runs[0]!.tool.driver.rules;
    expect(rule!.help.markdown).toContain("see [generator-shape](https://example.test/docs/rules/generator-shape.md).)");
    expect(rule!.help.markdown).not.toMatch(/\]\((?![a-z]+:|#)/);
  });

  it("gives a rule without a page its one line and link as help", () => {
    const replay: Report = { ...report, rules: [{ id: "dtcheck/replay-divergence", description: "A history no longer replays.", helpUri: "https://example.test/cli.md#replay", defaultLevel: "error" }] };
    const [rule] = toSarif(replay, { root, version: "0.1.0" }).runs[0]!.tool.driver.rules;
    expect(rule).toEqual({
      id: "dtcheck/replay-divergence",
      shortDescription: { text: "A history no longer replays." },
      fullDescription: { text: "A history no longer replays." },
      help: { text: "A history no longer replays. See https://example.test/cli.md#replay", markdown: "A history no longer replays. See [the documentation](https://example.test/cli.md#replay)." },
      helpUri: "https://example.test/cli.md#replay",
      defaultConfiguration: { level: "error" },
    });
  });

  it("keeps files the run wrote out of relatedLocations and names them as properties", () => {
    const fuzzReport: Report = {
      ...report,
      findings: [
        {
          ruleId: "dtcheck/nondeterminism",
          level: "error",
          message: "chain: differs in input (2026-12-01T10:00:00.000Z vs 2026-12-08T10:00:00.000Z, then 2026-12-01T10:00:00.000Z again)",
          location: { file: "src/orders & co/orchestrator.ts", line: 4, column: 3 },
          related: [{ message: "minimal history (9 events)", location: { file: "/repo/.dtcheck/failures/a.json" }, generated: true }],
        },
      ],
    };
    const [result] = toSarif(fuzzReport, { root, version: "0.1.0" }).runs[0]!.results;
    expect(result!.relatedLocations).toBeUndefined();
    expect(result!.properties).toEqual({ generatedFiles: [{ description: "minimal history (9 events)", path: ".dtcheck/failures/a.json" }] });
    expect(result!.message.text).toBe("chain: differs in input (<time 1> vs <time 2>, then <time 1> again)");
  });

  it("rejects a log the schema forbids (the validator is not a rubber stamp)", () => {
    const broken = structuredClone(log) as unknown as { runs: { results: { level: string }[] }[] };
    broken.runs[0]!.results[0]!.level = "fatal";
    expect(sarifValidator()(broken)).toBe(false);
  });

  it("the code scanning checks catch what code scanning cannot use", () => {
    const broken = structuredClone(log);
    const result = broken.runs[0]!.results[0]!;
    result.message.text = "at /work/src/a.ts on 2026-12-01";
    (result as { partialFingerprints: Record<string, string> }).partialFingerprints = {};
    (result.locations![0]!.physicalLocation.artifactLocation as { uri: string }).uri = "file:///work/src/a.ts";
    expect(codeScanningProblems(broken)).toEqual([
      "result 0 (@dtcheck/no-wall-clock): absolute path in the message: at /work/src/a.ts on 2026-12-01",
      "result 0 (@dtcheck/no-wall-clock): timestamp in the message: at /work/src/a.ts on 2026-12-01",
      "result 0 (@dtcheck/no-wall-clock): no partialFingerprints",
      "result 0 (@dtcheck/no-wall-clock): location URI not relative to the checkout: file:///work/src/a.ts",
    ]);
  });
});

describe("JUnit output", () => {
  const xml = toJUnit(report, { root });

  it("has one testcase per case with failure and error elements typed by rule", () => {
    expect(xml.match(/<testcase /g)).toHaveLength(4);
    expect(xml).toContain('<testsuites name="dtcheck lint" tests="4" failures="1" errors="1" time="0.009">');
    expect(xml).toContain('<testcase name="histories/bad &lt;1&gt;.json" classname="dtcheck.replay" time="0.004" file="src/orders &amp; co/orchestrator.ts" line="12">');
    expect(xml).toContain('<failure message="expected callActivity(&quot;a&quot;) got &quot;b&quot;" type="dtcheck/replay-divergence">episode 2, event 7</failure>');
    expect(xml).toContain('<error message="malformed JSON at 1:7" type="dtcheck/replay-error">malformed JSON at 1:7</error>');
    expect(xml).toContain('<testcase name="src/a.ts" classname="dtcheck.lint" time="0.002" file="src/a.ts" line="2">\n      <system-out>1 warning:\nsrc/a.ts:2:1 console.log runs again on every replay</system-out>\n    </testcase>');
  });

  it("drops characters XML 1.0 cannot carry", () => {
    expect(xml).not.toContain("\u0001");
  });

  it("is valid against the Jenkins JUnit schema, file and line being the only attributes it does not know", async () => {
    expect(await validateJUnit(xml, { withoutExtensions: true })).toEqual({ valid: true, errors: [] });
    const raw = await validateJUnit(xml);
    expect(raw.valid).toBe(false);
    expect(new Set(raw.errors.map((e) => /attribute '(\w+)': The attribute '\w+' is not allowed/.exec(e)?.[1] ?? e))).toEqual(new Set(EXTENSION_ATTRIBUTES));
  });

  it("the schema check rejects what Jenkins would (not a rubber stamp)", async () => {
    const broken = xml.replace('<testsuite name="replay" tests="3"', '<testsuite name="replay"');
    expect((await validateJUnit(broken, { withoutExtensions: true })).errors).toEqual(["Schemas validity error : Element 'testsuite': The attribute 'tests' is required but missing."]);
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
    expect(exitCodeFor({ ...report, cases: [report.cases[3]!], findings: [report.findings[1]!] })).toBe(0);
    expect(exitCodeFor({ ...report, cases: [], findings: [report.findings[0]!] })).toBe(1);
    expect(exitCodeFor({ ...report, cases: [], findings: [report.findings[1]!] })).toBe(0);
  });
});
