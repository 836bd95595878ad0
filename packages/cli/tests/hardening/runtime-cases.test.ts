import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliWatched } from "../contained-cli.js";
import { oneErrorLine, REPO, runCli, type CliRun } from "../run-cli.js";

/*
 * The cases of issue 12 that had a library test but none against the built CLI: histories the
 * runtime rejects, a module that ends the process in record, fuzz and drift, an orchestrator that
 * allocates without bound or never lets a recording finish, and lint output with thousands of
 * findings. Each asserts the exit code, the exact line and that no file in the project changed.
 */

const CHAIN_MODULE = `export async function* chain(ctx, city) {
  const a = yield ctx.callActivity("greet", city);
  const b = yield ctx.callActivity("shout", a);
  return yield ctx.callActivity("sign", b);
}
`;

interface JsonReport {
  findings: { ruleId: string; message: string }[];
  summary: string;
}

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "dtcheck-runtime-cases-"));
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "user-project", version: "1.0.0", type: "module" }));
  for (const name of ["@microsoft/durabletask-js", "durable-functions", "@azure/functions"]) {
    mkdirSync(path.dirname(path.join(dir, "node_modules", name)), { recursive: true });
    symlinkSync(path.join(REPO, "node_modules", name), path.join(dir, "node_modules", name), "dir");
  }
  writeFileSync(path.join(dir, "worker.mjs"), CHAIN_MODULE);
  writeFileSync(path.join(dir, "exits.mjs"), `${CHAIN_MODULE}process.exit(0);\n`);
  writeFileSync(path.join(dir, "hog.mjs"), `export async function* chain(ctx, city) {\n  const kept = [];\n  for (;;) kept.push(new Array(100000).fill(kept.length));\n}\n`);
  writeFileSync(path.join(dir, "polls.mjs"), `export async function* poller(ctx) {\n  for (;;) yield ctx.callActivity("poll");\n}\n`);
  writeFileSync(path.join(dir, "stubs.json"), JSON.stringify({ activities: { poll: "not yet" } }));

  const protobuf = JSON.parse(readFileSync(path.join(REPO, "fixtures/histories/durabletask/recorded/chain.protobuf-json.json"), "utf8")) as Record<string, unknown>[];
  writeFileSync(path.join(dir, "appended-twice.json"), JSON.stringify([...protobuf, ...protobuf]));
  const completed = protobuf.findIndex((event) => "executionCompleted" in event);
  writeFileSync(path.join(dir, "completed-twice.json"), JSON.stringify([...protobuf.slice(0, completed + 1), protobuf[completed], ...protobuf.slice(completed + 1)]));
  // Episode 4-7 becomes orchestratorStarted, taskScheduled 2, taskCompleted 1 (the result call 2 needs), orchestratorCompleted.
  const friendly = readFileSync(path.join(REPO, "fixtures/histories/durabletask/recorded/chain.friendly.jsonl"), "utf8").trim().split("\n");
  writeFileSync(path.join(dir, "moved.friendly.jsonl"), [...friendly.slice(0, 5), friendly[6], friendly[5], ...friendly.slice(7)].join("\n") + "\n");
  const wire = JSON.parse(readFileSync(path.join(REPO, "fixtures/apps/durable-functions/chaining/histories/onboardUser.df-wire.json"), "utf8")) as unknown[];
  writeFileSync(path.join(dir, "moved.df-wire.json"), JSON.stringify([...wire.slice(0, 5), wire[6], wire[5], ...wire.slice(7)]));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every file of the project (node_modules aside) with its size, modification time and content. */
function snapshot(): Record<string, string> {
  const files: Record<string, string> = {};
  const visit = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      if (entry.name === "node_modules") continue;
      const file = path.join(at, entry.name);
      if (entry.isDirectory()) visit(file);
      else files[path.relative(dir, file)] = `${statSync(file).size} ${statSync(file).mtimeMs} ${readFileSync(file, "utf8")}`;
    }
  };
  visit(dir);
  return files;
}

/** Runs the CLI in the project and checks that it changed no file there. */
function unchanged(args: string[]): CliRun {
  const before = snapshot();
  const run = runCli(args, { cwd: dir });
  expect(snapshot()).toEqual(before);
  return run;
}

function findings(run: CliRun): string[] {
  return (JSON.parse(run.stdout) as JsonReport).findings.map((f) => `${f.ruleId}: ${f.message}`);
}

describe("histories the runtime rejects are never ok, with --strict or without", () => {
  const REORDERED =
    "event 6: taskCompleted comes after the orchestrator's actions (event 5) in the episode of events 4-7; the runtime delivers an episode's events before the orchestrator acts on them, so the events were reordered: export the history again";
  it.each([
    [
      "a history appended twice",
      "appended-twice.json",
      "worker.mjs",
      'event 17: a second executionStarted (event 1 already started this execution); a history holds one execution, and the runtime rejects this one ("Multiple ExecutionStartedEvent found, potential corruption in state storage"): the history was appended twice or two executions were joined, keep one',
    ],
    [
      "a duplicated executionCompleted",
      "completed-twice.json",
      "worker.mjs",
      'event 15: a second executionCompleted (event 14 already completed this execution); an execution completes once, and the runtime rejects this one ("Multiple ExecutionCompletedEvent found, potential corruption in state storage"): the history was appended twice or edited, keep one',
    ],
    ["a task result moved after the call that needs it (friendly JSONL)", "moved.friendly.jsonl", "worker.mjs", REORDERED],
    ["the same for Durable Functions, checked in history order (df-wire)", "moved.df-wire.json", path.join(REPO, "fixtures/apps/durable-functions/chaining/index.ts"), REORDERED],
  ])("%s: exit 2, the offending event named", (_case, file, module, message) => {
    for (const strict of [[], ["--strict"]]) {
      const run = unchanged(["replay", file, "-m", module, "--format", "json", ...strict]);
      expect(run.code, run.stderr).toBe(2);
      expect(findings(run)).toEqual([`dtcheck/replay-error: ${message}`]);
      expect((JSON.parse(run.stdout) as JsonReport).summary).toBe("1 history replayed: 0 ok, 0 diverged, 1 unreadable");
    }
  });
});

describe("a module that ends the process at import: record, fuzz and drift say so (they printed nothing and exited 0)", () => {
  const line = "dtcheck: exits.mjs: calls process.exit(0) while being loaded; dtcheck cannot check code that ends the process: do that only when the file is run as a program";

  it("record writes no --out file", () => {
    expect(oneErrorLine(unchanged(["record", "-m", "exits.mjs", "--input", '"Tokyo"', "--out", "golden.json"]))).toBe(line);
  });

  it("fuzz, json on stdout", () => {
    expect(oneErrorLine(unchanged(["fuzz", "-m", "exits.mjs", "--runs", "2", "--format", "json"]))).toBe(line);
  });

  it("drift, as the candidate and as the baseline; no report file is written with -o", () => {
    expect(oneErrorLine(unchanged(["drift", "--baseline", "worker.mjs", "--candidate", "exits.mjs", "--runs", "2", "-o", "report.json"]))).toBe(line);
    expect(oneErrorLine(unchanged(["drift", "--baseline", "exits.mjs", "--candidate", "worker.mjs", "--runs", "2", "--format", "sarif"]))).toBe(line);
  });
});

describe("an orchestrator that allocates without bound, or never lets a recording finish", () => {
  it("replay: the history is an error naming the module and the limit, exit 2", () => {
    const run = unchanged(["replay", path.join(REPO, "fixtures/histories/durabletask/recorded/chain.protobuf-json.json"), "-m", "hog.mjs", "--memory-limit", "64", "--format", "json"]);
    expect(run.code, run.stderr).toBe(2);
    expect(findings(run)).toEqual(["dtcheck/replay-error: replaying it on hog.mjs ran out of memory (over 64 MB); look for an allocation without bound, or raise --memory-limit"]);
  });

  it("fuzz: a finding about the orchestrator, exit 1, no world counted as checked", () => {
    const run = unchanged(["fuzz", "-m", "hog.mjs", "--memory-limit", "64", "--runs", "2", "--seed", "1", "--format", "json"]);
    expect(run.code, run.stderr).toBe(1);
    expect(findings(run)).toEqual(["dtcheck/nondeterminism: chain: ran out of memory (over 64 MB); look for an allocation without bound, or raise --memory-limit"]);
    expect((JSON.parse(run.stdout) as JsonReport).summary).toBe("1 orchestrator fuzzed (0 worlds, seed 1): 0 deterministic, 1 not");
  });

  it("record of an orchestrator that polls forever is stopped by --history-timeout, and writes nothing", () => {
    expect(oneErrorLine(unchanged(["record", "-m", "polls.mjs", "--stubs", "stubs.json", "--out", "golden.json", "--history-timeout", "2s"]))).toBe(
      "dtcheck: polls.mjs: recording the orchestrator did not finish the history within 2 s; does the orchestrator loop without end? or raise --history-timeout",
    );
  });
});

describe("an orchestrator that never finishes is a finding, never a pass (fuzz counted it deterministic)", () => {
  const NEVER = "dtcheck/does-not-finish: poller: does not finish within 12 episodes: all 5 generated instances were still running when the world stopped, so the orchestrator may loop forever";
  let project: string;
  beforeAll(() => {
    // The loop: every failure swallowed, no exit; fuzz.maxEpisodes keeps the worlds short.
    project = path.join(dir, "never-finishes");
    mkdirSync(project);
    writeFileSync(path.join(project, "dtcheck.config.json"), JSON.stringify({ fuzz: { maxEpisodes: 12 } }));
    writeFileSync(path.join(project, "poller.mjs"), `export async function* poller(ctx) {\n  for (;;) {\n    try {\n      yield ctx.callActivity("poll");\n    } catch {\n      // retried on the next iteration\n    }\n  }\n}\n`);
  });

  it("fuzz: exit 1, no world counted as deterministic", () => {
    const run = runCli(["fuzz", "-m", "poller.mjs", "--runs", "5", "--seed", "1", "--format", "json"], { cwd: project });
    expect(run.code, run.stderr).toBe(1);
    expect(findings(run)).toEqual([NEVER]);
    expect((JSON.parse(run.stdout) as JsonReport).summary).toBe("1 orchestrator fuzzed (5 worlds, seed 1): 0 deterministic, 0 not, 1 never finished");
  });

  it("most worlds cut short at the default 60 episodes: inconclusive, exit 1, never a pass", () => {
    // (run from the parent folder, whose project has no fuzz.maxEpisodes: the default 60 applies)
    const run = runCli(["fuzz", "-m", "never-finishes/poller.mjs", "--runs", "5", "--seed", "1", "--format", "json"], { cwd: dir });
    expect(run.code, run.stderr).toBe(1);
    expect(findings(run)).toEqual([
      "dtcheck/inconclusive: poller: inconclusive: 3 of 5 generated instances were still running after 60 episodes and were cut short, so only 2 ran to the end and were checked",
    ]);
    expect((JSON.parse(run.stdout) as JsonReport).summary).toBe("1 orchestrator fuzzed (5 worlds, seed 1): 0 deterministic, 0 not, 1 inconclusive");
  });

  it("a few worlds cut short are not counted as checked, and the report says how many", () => {
    const run = runCli(["fuzz", "-m", "never-finishes/poller.mjs", "--runs", "5", "--seed", "5", "--format", "json"], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { notes: string[] }).notes).toEqual([
      "poller: 1 of 1 durable call site reached",
      "warning (poller): 1 of 5 generated histories were still running after 60 episodes and were cut short; they are not counted as checked (raise fuzz.maxEpisodes if the orchestrator legitimately needs more)",
    ]);
  });

  it("drift: exit 1, not compatible", () => {
    const run = runCli(["drift", "--baseline", "poller.mjs", "--candidate", "poller.mjs", "--runs", "5", "--seed", "1", "--format", "json"], { cwd: project });
    expect(run.code, run.stderr).toBe(1);
    expect(findings(run)).toEqual([NEVER]);
    expect((JSON.parse(run.stdout) as JsonReport).summary).toBe("1 orchestrator checked poller.mjs → poller.mjs (5 worlds, seed 1): 0 compatible, 0 drifted, 1 never finished");
  });
});

describe("counterexample files of orchestrators whose names sanitise alike", () => {
  it("are two files, each holding its own orchestrator's history", () => {
    const project = path.join(dir, "alike");
    mkdirSync(project);
    // Every run schedules a different activity than the one before: never deterministic, whatever the seed.
    writeFileSync(
      path.join(project, "names.mjs"),
      `import { TaskHubGrpcWorker } from "@microsoft/durabletask-js";\nlet runs = 0;\nconst flaky = (name) => async function* (ctx) {\n  yield ctx.callActivity(runs++ % 2 === 0 ? \`\${name}-a\` : \`\${name}-b\`);\n};\nconst worker = new TaskHubGrpcWorker({ hostAddress: "localhost:4001" });\nworker.addNamedOrchestrator("send mail", flaky("one"));\nworker.addNamedOrchestrator("send-mail", flaky("two"));\n`,
    );
    const run = runCli(["fuzz", "-m", "names.mjs", "--runs", "5", "--seed", "1", "--out-dir", "failures", "--format", "json"], { cwd: project });
    expect(run.code, run.stderr).toBe(1);
    expect((JSON.parse(run.stdout) as JsonReport).summary).toBe("2 orchestrators fuzzed (2 worlds, seed 1): 0 deterministic, 2 not");
    const written = Object.fromEntries(
      readdirSync(path.join(project, "failures")).map((file) => {
        const events = JSON.parse(readFileSync(path.join(project, "failures", file), "utf8")) as { executionStarted?: { name: string } }[];
        return [file, events.find((event) => event.executionStarted)?.executionStarted?.name];
      }),
    );
    expect(written).toEqual({ "self-replay-send-mail-seed1.protobuf-json.json": "send-mail", "self-replay-send-mail-7fe0a52b-seed1.protobuf-json.json": "send mail" });
  });
});

describe("lint output scales to thousands of findings", () => {
  it("a 1,500-file helper chain and a 5,000-helper file never overflow the stack: one finding at each orchestrator's call", async () => {
    const lintDir = mkdtempSync(path.join(tmpdir(), "dtcheck-lint-chain-"));
    try {
      mkdirSync(path.join(lintDir, "chain"));
      const files = 1500;
      for (let i = 0; i < files; i++) {
        const body =
          i === files - 1
            ? `export function step${i}(): string {\n  return crypto.randomUUID();\n}\n`
            : `import { step${i + 1} } from "./step${i + 1}.js";\nexport function step${i}(): string {\n  return step${i + 1}();\n}\n`;
        writeFileSync(path.join(lintDir, "chain", `step${i}.ts`), body);
      }
      writeFileSync(path.join(lintDir, "orchestrator.ts"), `import { step0 } from "./chain/step0.js";\n\nexport async function* fromTheTop(ctx) {\n  yield ctx.callActivity("store", step0());\n}\n`);
      const helpers = Array.from({ length: 5000 }, (_, i) => (i === 4999 ? `function h${i}() { return Date.now(); }` : `function h${i}() { return h${i + 1}(); }`));
      writeFileSync(path.join(lintDir, "one-file.ts"), `${helpers.join("\n")}\nexport async function* local(ctx) { yield ctx.createTimer(h0()); }\n`);
      const json = await runCliWatched(["lint", "--format", "json"], lintDir);
      expect(json.code, json.stderr).toBe(1);
      const report = JSON.parse(json.stdout) as { summary: string; findings: { ruleId: string; message: string; location: { file: string; line: number } }[] };
      expect(report.summary).toBe("1502 files linted: 2 errors, 0 warnings");
      expect(report.findings.map((f) => `${path.relative(lintDir, f.location.file)}:${f.location.line} ${f.ruleId} ${f.message.split(" → ").length} hops`)).toEqual([
        "one-file.ts:5001 @dtcheck/no-wall-clock 5000 hops",
        "orchestrator.ts:4 @dtcheck/no-random 1500 hops",
      ]);
    } finally {
      rmSync(lintDir, { recursive: true, force: true });
    }
  });

  // (spawned asynchronously: the reports are larger than spawnSync's output buffer)
  it("a 230 KB one-line file with 2,000 findings is reported in full in every format", async () => {
    const lintDir = mkdtempSync(path.join(tmpdir(), "dtcheck-lint-flood-"));
    try {
      const values = Array.from({ length: 2000 }, (_, i) => `Math.random() * ${i} + ${JSON.stringify("x".repeat(80))}.length`).join(", ");
      writeFileSync(path.join(lintDir, "flood.js"), `export async function* flood(ctx) { yield ctx.callActivity("many", [${values}]); }\n`);
      expect(statSync(path.join(lintDir, "flood.js")).size).toBeGreaterThan(200_000);
      const text = await runCliWatched(["lint"], lintDir);
      expect(text.code, text.stderr).toBe(1);
      expect(text.stdout.endsWith("\n✖ 1 file linted: 2000 errors, 0 warnings\n")).toBe(true);
      const json = await runCliWatched(["lint", "--format", "json"], lintDir);
      expect(json.code, json.stderr).toBe(1);
      const report = JSON.parse(json.stdout) as JsonReport;
      expect(report.findings.length).toBe(2000);
      expect(new Set(report.findings.map((f) => f.ruleId))).toEqual(new Set(["@dtcheck/no-random"]));
      const sarif = await runCliWatched(["lint", "--format", "sarif"], lintDir);
      expect((JSON.parse(sarif.stdout) as { runs: { results: unknown[] }[] }).runs[0]!.results.length).toBe(2000);
      const junit = await runCliWatched(["lint", "--format", "junit"], lintDir);
      expect(junit.code, junit.stderr).toBe(1);
      // One test case per file, its failure listing every finding.
      expect(junit.stdout).toContain('<failure message="2000 determinism errors (@dtcheck/no-random)" type="@dtcheck/no-random">');
      expect(junit.stdout.match(/flood\.js:1:\d+ Math\.random\(\) returns a new value on replay/g)?.length).toBe(2000);
    } finally {
      rmSync(lintDir, { recursive: true, force: true });
    }
  });
});
