import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectOneLineError, REPO, runCli } from "../run-cli.js";
import { sarifValidator } from "../output/sarif-schema.js";

const fixtures = path.join(REPO, "fixtures/histories/durabletask");
const v1 = path.join(fixtures, "v1.ts");
let dir: string;
let chain: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "dtcheck-cli-"));
  chain = path.join(dir, "chain.json");
  const run = runCli(["record", "-m", v1, "--orchestrator", "chain", "--input", '"Tokyo"', "--stubs", path.join(fixtures, "stubs.json"), "--out", chain]);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stderr).toMatch(/^recorded \d+ events to .*chain\.json \(protobuf-json\); orchestration completed\n$/);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("dtcheck record", () => {
  it("a recording whose orchestration failed says why, and that no --input was given", () => {
    // Its own folder: other tests here replay every history in `dir`.
    const own = mkdtempSync(path.join(tmpdir(), "dtcheck-cli-record-"));
    const out = path.join(own, "no-input.json");
    const run = runCli(["record", "-m", path.join(REPO, "fixtures/explore/durabletask/typed-param/v1.ts"), "--orchestrator", "order", "--out", out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe(`recorded 4 events to ${out} (protobuf-json); orchestration failed (TypeError: Cannot read properties of undefined (reading 'id')); no --input was given\n`);
    rmSync(own, { recursive: true, force: true });
  });

  it("writes a protobuf-JSON history that starts with the orchestration and ends completed", () => {
    const events = JSON.parse(readFileSync(chain, "utf8")) as Record<string, unknown>[];
    expect(Object.keys(events[1]!)).toContain("executionStarted");
    expect(events.filter((e) => "taskScheduled" in e).map((e) => (e.taskScheduled as { name: string }).name)).toEqual(["greet", "shout", "sign"]);
    const completed = events.find((e) => "executionCompleted" in e)?.executionCompleted as { orchestrationStatus: string };
    expect(completed.orchestrationStatus).toBe("ORCHESTRATION_STATUS_COMPLETED");
  });

  it("creates the output folder", () => {
    const out = path.join(dir, "golden", "nested", "chain.json");
    const run = runCli(["record", "-m", v1, "--orchestrator", "chain", "--input", '"Oslo"', "--stubs", path.join(fixtures, "stubs.json"), "--out", out]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(readFileSync(out, "utf8"))).toBeInstanceOf(Array);
  });

  it("rejects an input that is not JSON in one line", () => {
    const line = expectOneLineError(runCli(["record", "-m", v1, "--input", "{nope", "--out", path.join(dir, "x.json")]));
    expect(line).toMatch(/^dtcheck: --input: is not valid JSON \(.+\); quote it for the shell or use @file\.json$/);
    // From a file, quoting is no help: the file is what to fix.
    // In a folder of its own: other tests replay every *.json in the shared one.
    const own = mkdtempSync(path.join(tmpdir(), "dtcheck-bad-input-"));
    try {
      writeFileSync(path.join(own, "bad-input.json"), '{"a":');
      const fromFile = expectOneLineError(runCli(["record", "-m", v1, "--input", "@bad-input.json", "--out", path.join(own, "x.json")], { cwd: own }));
      expect(fromFile).toBe("dtcheck: bad-input.json: is not valid JSON (Unexpected end of JSON input); fix the file's JSON");
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });
});

describe("dtcheck replay", () => {
  it("exits 0 when the history replays on the code that recorded it", () => {
    const run = runCli(["replay", chain, "-m", v1], { cwd: dir });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toBe("✔ 1 history replayed: 1 ok, 0 diverged\n");
  });

  it("exits 1 on drift and reports the exact divergence as JSON", () => {
    const run = runCli(["replay", chain, "-m", path.join(fixtures, "drift-renamed-activity.ts"), "--format", "json"], { cwd: dir });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { findings: { ruleId: string; message: string; location: { file: string; line: number } }[]; cases: { status: string }[] };
    expect(report.cases.map((c) => c.status)).toEqual(["failed"]);
    const [finding] = report.findings;
    expect(finding!.ruleId).toBe("dtcheck/replay-divergence");
    expect(finding!.message).toBe('chain.json, episode 1, event #6: the history recorded activity "shout" with id 2, but the code now makes activity "yell"');
    expect(finding!.location).toMatchObject({ file: path.join(fixtures, "drift-renamed-activity.ts"), line: 6 });
  });

  it("shows the divergence with a code frame in text output", () => {
    const run = runCli(["replay", chain, "-m", path.join(fixtures, "drift-renamed-activity.ts")], { cwd: dir });
    expect(run.stdout).toContain('expected (history): activity "shout" #2');
    expect(run.stdout).toContain('produced (code):    activity "yell" #2');
    expect(run.stdout).toMatch(/> 6 \| +const b = yield ctx\.callActivity\("yell", a\);/);
    expect(run.stdout.trimEnd().split("\n").at(-1)).toBe("✖ 1 history replayed: 0 ok, 1 diverged");
  });

  it("writes SARIF that validates against the official schema and points at the orchestrator line", () => {
    const out = path.join(dir, "replay.sarif");
    const run = runCli(["replay", chain, "-m", path.join(fixtures, "drift-renamed-activity.ts"), "--format", "sarif", "--output", out], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    const log = JSON.parse(readFileSync(out, "utf8"));
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    expect(log.runs[0].results[0].locations[0].physicalLocation.region.startLine).toBe(6);
  });

  it("writes one JUnit test case per history", () => {
    const run = runCli(["replay", chain, chain.replace("chain.json", "*.json"), "-m", v1, "--format", "junit"], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('<testsuites name="dtcheck replay" tests="1" failures="0" errors="0"');
    expect(run.stdout).toContain('<testcase name="chain.json" classname="dtcheck.replay"');
  });

  it("exits 2 when one of the histories cannot be read, and names it", () => {
    const empty = path.join(dir, "empty.json");
    writeFileSync(empty, "");
    const run = runCli(["replay", chain, empty, "-m", v1], { cwd: dir });
    expect(run.code).toBe(2);
    // The case is headed by the file's name; its error line says only what is wrong (no absolute path).
    expect(run.stdout).toMatch(/(^|\n)empty\.json\n +error {2}the file is empty;[^\n]*\n/);
    expect(run.stdout).not.toContain(dir);
    expect(run.stdout).toContain("2 histories replayed: 1 ok, 0 diverged, 1 unreadable");
    rmSync(empty);
  });

  it("bad input is one line and exit 2", () => {
    expect(expectOneLineError(runCli(["replay", "missing.json", "-m", v1], { cwd: dir }))).toBe("dtcheck: missing.json: matches no history file; check the path or glob");
    expect(expectOneLineError(runCli(["replay", chain], { cwd: dir }))).toBe('dtcheck: no orchestrator module: pass --module <path> (a file, or a function app folder), or set "module" in dtcheck.config');
    expect(expectOneLineError(runCli(["replay", chain, "-m", path.join(fixtures, "registers-nothing.ts")], { cwd: dir }))).toMatch(/registers-nothing\.ts: registers no orchestrator \(found only activity "greet"\)/);
    expect(expectOneLineError(runCli(["replay", chain, "-m", path.join(dir, "nope.ts")], { cwd: dir }))).toMatch(/nope\.ts/);
  });

  it("takes the module from dtcheck.config.json", () => {
    const cfgDir = mkdtempSync(path.join(tmpdir(), "dtcheck-cfg-"));
    writeFileSync(path.join(cfgDir, "dtcheck.config.json"), JSON.stringify({ module: v1 }));
    const run = runCli(["replay", chain], { cwd: cfgDir });
    expect(run.code, run.stderr).toBe(0);
    rmSync(cfgDir, { recursive: true, force: true });
  });
});

describe("dtcheck convert", () => {
  it("converts to every format and back without losing the replay verdict", () => {
    for (const format of ["friendly", "df-wire", "protobuf-json"]) {
      const out = path.join(dir, `chain.${format}.json`);
      const run = runCli(["convert", chain, "--to", format, "--out", out], { cwd: dir });
      expect(run.code, run.stderr).toBe(0);
      expect(runCli(["replay", out, "-m", v1], { cwd: dir }).code).toBe(0);
    }
    // Six CLI processes: on a loaded 2-core machine that alone can pass the 30 s default.
  }, 120_000);

  it("says on stderr that df-http is lossy, and still converts", () => {
    const out = path.join(dir, "chain.http.json");
    const run = runCli(["convert", chain, "--to", "df-http", "--out", out], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^dtcheck: note: df-http is lossy \(no event ids/);
    // df-http is Durable Functions' format (ids rebuilt from 0), so it is read back but not replayed on durabletask-js here.
    // What the Durable extension's HTTP status shows of the chain: no scheduling events, only the start, the results and the end.
    const shown = (JSON.parse(readFileSync(out, "utf8")) as { historyEvents: { EventType: string }[] }).historyEvents.map((e) => e.EventType);
    expect(shown).toEqual(["ExecutionStarted", "TaskCompleted", "TaskCompleted", "TaskCompleted", "ExecutionCompleted"]);
  });

  it("rejects an unknown format through commander with exit 2", () => {
    const run = runCli(["convert", chain, "--to", "xml"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("argument 'xml' is invalid");
  });

  it("names a missing input file", () => {
    expect(expectOneLineError(runCli(["convert", "nope.json", "--to", "friendly"], { cwd: dir }))).toBe("dtcheck: nope.json: no such file; check the path");
  });
});
