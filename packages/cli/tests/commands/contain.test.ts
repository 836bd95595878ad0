import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectionCounter, runCliWatched, type Run } from "../contained-cli.js";
import { REPO } from "../run-cli.js";

/*
 * User code that exits, aborts, hangs, leaks handles, allocates without bound, logs and connects,
 * run through the built CLI. Every module lives in a fresh temporary project whose node_modules
 * links the SDKs installed for dtcheck's own tests, as a user's project would have them.
 */

const HISTORY = join(REPO, "fixtures/histories/durabletask/recorded/chain.protobuf-json.json");
const SDKS = ["@microsoft/durabletask-js", "@dapr/dapr", "durable-functions", "@azure/functions"];

let listener: Awaited<ReturnType<typeof connectionCounter>>;

const dtcheck = (args: string[], cwd: string): Promise<Run> => runCliWatched(args, cwd, { DTCHECK_TEST_PORT: String(listener.port) });

function project(type: "commonjs" | "module", files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "dtcheck-contain-"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "user-project", version: "1.0.0", type }));
  for (const name of SDKS) {
    mkdirSync(dirname(join(dir, "node_modules", name)), { recursive: true });
    symlinkSync(join(REPO, "node_modules", name), join(dir, "node_modules", name), "dir");
  }
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

const projects: string[] = [];
function tracked(dir: string): string {
  projects.push(dir);
  return dir;
}

beforeAll(async () => {
  listener = await connectionCounter();
});

afterAll(async () => {
  await listener.close();
  for (const dir of projects) rmSync(dir, { recursive: true, force: true });
});

const CHAIN = `
export async function* chain(ctx, city) {
  const a = yield ctx.callActivity("greet", city);
  const b = yield ctx.callActivity("shout", a);
  return yield ctx.callActivity("sign", b);
}
`;

/** One line on stderr, exit 2, no stack trace. */
function oneLine(run: Run): string {
  expect(run.code, run.stderr).toBe(2);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  const lines = run.stderr.trim().split("\n");
  expect(lines, run.stderr).toHaveLength(1);
  return lines[0]!;
}

const ENDS = "dtcheck cannot check code that ends the process: do that only when the file is run as a program";

describe("a module that misbehaves while being loaded is one line, exit 2", () => {
  let dir: string;
  beforeAll(() => {
    dir = tracked(
      project("module", {
        "exit.mjs": `${CHAIN}\nconsole.log("bye");\nprocess.exit(0);\n`,
        "abort.mjs": `${CHAIN}\nprocess.abort();\n`,
        "spin.mjs": `${CHAIN}\nfor (;;) {}\n`,
        "tla.mjs": `${CHAIN}\nawait new Promise(() => {});\n`,
        "tla-handle.mjs": `${CHAIN}\nsetInterval(() => {}, 1000);\nawait new Promise(() => {});\n`,
        "hog.mjs": `${CHAIN}\nconst kept = [];\nfor (;;) kept.push(new Array(100000).fill(kept.length));\n`,
      }),
    );
  });

  it("process.exit(0) at import", async () => {
    expect(oneLine(await dtcheck(["replay", HISTORY, "-m", "exit.mjs", "--format", "json"], dir))).toBe(`dtcheck: exit.mjs: calls process.exit(0) while being loaded; ${ENDS}`);
  });

  it("process.abort() at import", async () => {
    expect(oneLine(await dtcheck(["fuzz", "-m", "abort.mjs", "--runs", "1"], dir))).toBe(`dtcheck: abort.mjs: calls process.abort() while being loaded; ${ENDS}`);
  });

  it("a synchronous endless loop at import, stopped by --load-timeout", async () => {
    expect(oneLine(await dtcheck(["replay", HISTORY, "-m", "spin.mjs", "--load-timeout", "1s"], dir))).toBe(
      "dtcheck: spin.mjs: did not finish loading within 1 s; a top-level await that never settles, or an endless loop at import? dtcheck only needs the registrations; or raise --load-timeout",
    );
  });

  it("a top-level await that never settles, with nothing left to run", async () => {
    expect(oneLine(await dtcheck(["replay", HISTORY, "-m", "tla.mjs"], dir))).toBe(
      "dtcheck: tla.mjs: never finishes loading; a top-level await waits for something that never happens (nothing is left to run); settle or remove it",
    );
  });

  it("a top-level await that never settles while an interval keeps the module alive", async () => {
    expect(oneLine(await dtcheck(["record", "-m", "tla-handle.mjs", "--out", join(dir, "out.json"), "--load-timeout", "1500ms"], dir))).toBe(
      "dtcheck: tla-handle.mjs: did not finish loading within 1.5 s; a top-level await that never settles, or an endless loop at import? dtcheck only needs the registrations; or raise --load-timeout",
    );
  });

  it("allocation without bound, stopped by --memory-limit", async () => {
    expect(oneLine(await dtcheck(["replay", HISTORY, "-m", "hog.mjs", "--memory-limit", "64"], dir))).toBe(
      "dtcheck: hog.mjs: ran out of memory (over 64 MB) while being loaded; look for an allocation without bound, or raise --memory-limit",
    );
  });
});

describe("an orchestrator that hangs is reported against it", () => {
  let dir: string;
  beforeAll(() => {
    dir = tracked(project("module", { "loop.mjs": `export async function* chain(ctx, city) {\n  yield ctx.callActivity("greet", city);\n  for (;;) {}\n}\n` }));
  });

  it("replay: the history that hangs is an error naming it and the module, exit 2", async () => {
    const run = await dtcheck(["replay", HISTORY, "-m", "loop.mjs", "--episode-timeout", "1s", "--format", "json"], dir);
    expect(run.code, run.stderr).toBe(2);
    const report = JSON.parse(run.stdout) as { findings: { message: string }[]; summary: string };
    expect(report.findings.map((f) => f.message)).toEqual([
      "replaying it on loop.mjs did not finish an episode within 1 s; an endless loop in the orchestrator? every loop must yield a durable task or end; or raise --episode-timeout",
    ]);
    expect(report.summary).toBe("1 history replayed: 0 ok, 0 diverged, 1 unreadable");
  });

  it("fuzz: a finding about that orchestrator, exit 1, though --time-limit alone could not stop it", async () => {
    const run = await dtcheck(["fuzz", "-m", "loop.mjs", "--runs", "5", "--seed", "1", "--time-limit", "1s", "--episode-timeout", "1s", "--format", "json"], dir);
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as { findings: { message: string }[]; summary: string };
    expect(report.findings.map((f) => f.message)).toEqual([
      "chain: did not finish an episode within 1 s; an endless loop in the orchestrator? every loop must yield a durable task or end; or raise --episode-timeout",
    ]);
    expect(report.summary).toBe("1 orchestrator fuzzed (0 worlds, seed 1): 0 deterministic, 1 not");
  });
});

describe("a history that hangs among many: the rest replay, in order, whatever the number of threads", () => {
  let dir: string;
  beforeAll(() => {
    const golden = readFileSync(HISTORY, "utf8");
    const histories: Record<string, string> = {};
    // The 26th starts the orchestration with "Loop"; a thread sends results a batch at a time, so
    // those of the histories before it may still be in the thread when it is stopped.
    for (let i = 0; i < 40; i++) histories[`h-${String(i).padStart(2, "0")}.json`] = i === 25 ? golden.replace('"input": "\\"Tokyo\\""', '"input": "\\"Loop\\""') : golden;
    dir = tracked(project("module", { "loops-on.mjs": CHAIN.replace("{\n", '{\n  if (city === "Loop") for (;;) {}\n') }));
    mkdirSync(join(dir, "histories"));
    for (const [name, text] of Object.entries(histories)) writeFileSync(join(dir, "histories", name), text);
  });

  it.each([1, 2])("--workers %i: 39 ok and the one that hangs, named in its place", async (workers) => {
    const run = await dtcheck(["replay", "histories", "-m", "loops-on.mjs", "--episode-timeout", "1s", "--workers", String(workers), "--format", "json"], dir);
    expect(run.code, run.stderr).toBe(2);
    const report = JSON.parse(run.stdout) as { cases: { name: string; status: string; message?: string }[]; summary: string };
    expect(report.summary).toBe("40 histories replayed: 39 ok, 0 diverged, 1 unreadable");
    expect(report.cases.map((c) => c.name)).toEqual(Array.from({ length: 40 }, (_, i) => `histories/h-${String(i).padStart(2, "0")}.json`));
    expect(report.cases.filter((c) => c.status !== "passed").map((c) => [c.name, c.message])).toEqual([
      ["histories/h-25.json", "replaying it on loops-on.mjs did not finish an episode within 1 s; an endless loop in the orchestrator? every loop must yield a durable task or end; or raise --episode-timeout"],
    ]);
  });
});

describe("what a module leaves running, prints and connects to never reaches the report", () => {
  let dir: string;
  beforeAll(() => {
    dir = tracked(
      project("module", {
        "leaky.mjs": `import { createServer } from "node:http";\n${CHAIN}\nsetInterval(() => {}, 50);\ncreateServer(() => {}).listen(0, "127.0.0.1");\nconsole.log("starting the worker");\nconsole.error("warming up");\n`,
        "v1.mjs": `${CHAIN.replace("const a = yield", "console.log('v1 at step 1');\n  const a = yield")}console.log("v1 loading");\n`,
        "v2.mjs": `${CHAIN.replace("const a = yield", "console.log('v2 at step 1');\n  const a = yield")}console.log("v2 loading");\n`,
        "chatty.mjs": `${CHAIN.replace("const a = yield", "console.log('at step 1');\n  const a = yield")}for (let i = 1; i <= 30; i++) console.log("loading part " + i);\n`,
        "connects.mjs": `import net from "node:net";\nimport http from "node:http";\n${CHAIN}
const port = Number(process.env.DTCHECK_TEST_PORT);
net.connect(port, "127.0.0.1").on("error", () => {});
http.get({ host: "127.0.0.1", port, path: "/" }).on("error", () => {});
fetch("http://127.0.0.1:" + port + "/health").catch(() => {});
`,
      }),
    );
  });

  it("an interval and a listening server do not keep dtcheck alive; json stdout parses, the module's output is not in it", async () => {
    const run = await dtcheck(["replay", HISTORY, "-m", "leaky.mjs", "--format", "json"], dir);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { summary: string }).summary).toBe("1 history replayed: 1 ok, 0 diverged");
    expect(run.stdout).not.toContain("starting the worker");
    expect(run.stderr).toBe("");
  });

  it("sarif stdout parses too", async () => {
    const run = await dtcheck(["fuzz", "-m", "leaky.mjs", "--runs", "2", "--seed", "3", "--format", "sarif"], dir);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { version: string }).version).toBe("2.1.0");
  });

  it("text output shows the module's output on stderr, marked with the module", async () => {
    const run = await dtcheck(["replay", HISTORY, "-m", "leaky.mjs"], dir);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe("✔ 1 history replayed: 1 ok, 0 diverged\n");
    expect(run.stderr.split("\n").filter((l) => l.startsWith("[")).sort()).toEqual(["[leaky.mjs] starting the worker", "[leaky.mjs] warming up"]);
  });

  it("record shows the module's output and what it recorded on stderr, and -q neither", async () => {
    writeFileSync(join(dir, "chain-stubs.json"), JSON.stringify({ greet: "hi", shout: "HI", sign: "HI!" }));
    const shown = await dtcheck(["record", "-m", "leaky.mjs", "--stubs", "chain-stubs.json", "--out", join(dir, "recorded-shown.json")], dir);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stderr.split("\n").filter((l) => l.startsWith("[")).sort()).toEqual(["[leaky.mjs] starting the worker", "[leaky.mjs] warming up"]);
    expect(shown.stderr).toMatch(/^recorded \d+ events to .*recorded-shown\.json \(protobuf-json\); orchestration /m);
    const quiet = await dtcheck(["record", "-m", "leaky.mjs", "--stubs", "chain-stubs.json", "--out", join(dir, "recorded-quiet.json"), "-q"], dir);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect([quiet.stdout, quiet.stderr]).toEqual(["", ""]);
    expect(readFileSync(join(dir, "recorded-quiet.json"), "utf8")).toBe(readFileSync(join(dir, "recorded-shown.json"), "utf8"));
  });

  it("drift: each line of output is marked with the module that printed it, baseline or candidate", async () => {
    const run = await dtcheck(["drift", "--baseline", "v1.mjs", "--candidate", "v2.mjs", "--runs", "5", "--seed", "3"], dir);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stderr.trim().split("\n");
    // Loading (candidate first), then the baseline's code generating each world and the candidate's replaying it.
    expect(lines.slice(0, 2)).toEqual(["[v2.mjs] v2 loading", "[v1.mjs] v1 loading"]);
    expect(new Set(lines.slice(2, 20))).toEqual(new Set(["[v1.mjs] v1 at step 1", "[v2.mjs] v2 at step 1"]));
    expect(lines.slice(20)).toEqual(["[v2.mjs, v1.mjs] … and 12 more lines of output not shown (a log in an orchestrator prints on every replay; -q hides it all)"]);
  });

  it("text output shows at most 20 lines of the module's output, then one line counting the rest", async () => {
    const run = await dtcheck(["fuzz", "-m", "chatty.mjs", "--runs", "5", "--seed", "3"], dir);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.split("\n")[0]).toBe("✔ 1 orchestrator fuzzed (5 worlds, seed 3): 1 deterministic, 0 not");
    const lines = run.stderr.trim().split("\n");
    expect(lines.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, i) => `[chatty.mjs] loading part ${i + 1}`));
    expect(lines.slice(20)).toHaveLength(1);
    // The 10 other lines printed at import and the orchestrator's log, once per world as generated (one
    // execution) and on every episode of its replay (30 with this seed), all of it: the thread's last
    // output arrives before the answer is taken.
    expect(lines[20]).toBe("[chatty.mjs] … and 40 more lines of output not shown (a log in an orchestrator prints on every replay; -q hides it all)");
  });

  it("connections at import (net, http, fetch) are refused before they leave: one warning each, the check passes", async () => {
    const before = listener.connections();
    const run = await dtcheck(["replay", HISTORY, "-m", "connects.mjs", "--format", "json"], dir);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { summary: string }).summary).toBe("1 history replayed: 1 ok, 0 diverged");
    const tail = "while being loaded; dtcheck never starts workers or clients, so the connection was refused before anything was sent. The check goes on; to silence this, connect only when the file is run as a program";
    expect(run.stderr.trim().split("\n").sort()).toEqual([
      `dtcheck: warning: connects.mjs connects to 127.0.0.1:${listener.port} ${tail}`,
      `dtcheck: warning: connects.mjs connects to http://127.0.0.1:${listener.port}/health ${tail}`,
    ]);
    expect(listener.connections() - before).toBe(0);
  });
});

/* Workers written as each SDK's README shows them: a worker object, a registration, start() in an async IIFE, a log line. */
const durableTaskTs = (hostVar: string) => `import { TaskHubGrpcWorker, OrchestrationContext, ActivityContext, TOrchestrator } from "@microsoft/durabletask-js";
const hello = async (_: ActivityContext, name: string): Promise<string> => \`Hello \${name}!\`;
const sequence: TOrchestrator = async function* (ctx: OrchestrationContext): any {
  const cities: string[] = [];
  cities.push(yield ctx.callActivity(hello, "Tokyo"));
  cities.push(yield ctx.callActivity(hello, "Seattle"));
  return cities;
};
console.log("starting the worker");
const worker = new TaskHubGrpcWorker({ hostAddress: ${hostVar} });
worker.addOrchestrator(sequence);
worker.addActivity(hello);
(async () => { await worker.start(); })();
`;
const durableTaskRequire = (hostVar: string, exportLine: string) => `const { TaskHubGrpcWorker } = require("@microsoft/durabletask-js");
const hello = async (_ctx, name) => \`Hello \${name}!\`;
const sequence = async function* (ctx) {
  const cities = [];
  cities.push(yield ctx.callActivity(hello, "Tokyo"));
  cities.push(yield ctx.callActivity(hello, "Seattle"));
  return cities;
};
console.log("starting the worker");
const worker = new TaskHubGrpcWorker({ hostAddress: ${hostVar} });
worker.addOrchestrator(sequence);
worker.addActivity(hello);
(async () => { await worker.start(); })();
${exportLine}
`;
const HOST = "`127.0.0.1:${process.env.DTCHECK_TEST_PORT}`";
const daprTs = `import { WorkflowRuntime, WorkflowContext, WorkflowActivityContext, TWorkflow } from "@dapr/dapr";
const hello = async (_: WorkflowActivityContext, name: string) => \`Hello \${name}!\`;
const sequence: TWorkflow = async function* (ctx: WorkflowContext): any {
  const cities: string[] = [];
  cities.push(yield ctx.callActivity(hello, "Tokyo"));
  return cities;
};
console.log("starting the workflow runtime");
const workflowRuntime = new WorkflowRuntime({ daprHost: "127.0.0.1", daprPort: process.env.DTCHECK_TEST_PORT });
workflowRuntime.registerWorkflow(sequence).registerActivity(hello);
(async () => { await workflowRuntime.start(); })();
`;
const durableFunctionsTs = `import * as df from "durable-functions";
import { app, HttpHandler, HttpRequest, HttpResponse, InvocationContext } from "@azure/functions";
df.app.orchestration("helloOrchestrator", function* (context) {
  const outputs = [];
  outputs.push(yield context.df.callActivity("hello", "Tokyo"));
  outputs.push(yield context.df.callActivity("hello", "Seattle"));
  return outputs;
});
df.app.activity("hello", { handler: (input: string) => \`Hello, \${input}\` });
const httpStart: HttpHandler = async (request: HttpRequest, context: InvocationContext): Promise<HttpResponse> => {
  const client = df.getClient(context);
  const instanceId: string = await client.startNew(request.params.orchestratorName, { input: await request.text() });
  return client.createCheckStatusResponse(request, instanceId);
};
app.http("httpStart", { route: "orchestrators/{orchestratorName}", extraInputs: [df.input.durableClient()], handler: httpStart });
console.log("functions registered");
`;

describe("README-style workers are captured in CommonJS and ESM projects, and never connect", () => {
  const layouts: { type: "commonjs" | "module"; files: Record<string, string>; expected: Record<string, string> }[] = [
    {
      type: "commonjs",
      files: {
        "worker.ts": durableTaskTs(HOST),
        "worker.cts": durableTaskTs(HOST).replace("(async () =>", "export = sequence;\n(async () =>"),
        "worker.mts": durableTaskTs(HOST),
        "worker.js": durableTaskRequire(HOST, "module.exports = { sequence };"),
        "worker.cjs": durableTaskRequire(HOST, ""),
        "worker.mjs": durableTaskRequire(HOST, "").replace(`const { TaskHubGrpcWorker } = require("@microsoft/durabletask-js");`, `import { TaskHubGrpcWorker } from "@microsoft/durabletask-js";`),
        "dapr.ts": daprTs,
        "functions.ts": durableFunctionsTs,
      },
      expected: { "dapr.ts": "sequence", "functions.ts": "helloOrchestrator" },
    },
    {
      type: "module",
      files: {
        "worker.ts": durableTaskTs(HOST),
        "worker.cts": durableTaskRequire(HOST, "module.exports = sequence;"),
        "worker.js": durableTaskRequire(HOST, "").replace(`const { TaskHubGrpcWorker } = require("@microsoft/durabletask-js");`, `import { TaskHubGrpcWorker } from "@microsoft/durabletask-js";`),
        "worker.cjs": durableTaskRequire(HOST, ""),
        "dapr.ts": daprTs,
        "functions.ts": durableFunctionsTs,
      },
      expected: { "dapr.ts": "sequence", "functions.ts": "helloOrchestrator" },
    },
  ];

  for (const layout of layouts) {
    describe(`"type": "${layout.type}"`, () => {
      let dir: string;
      beforeAll(() => {
        dir = tracked(project(layout.type, layout.files));
      });
      it("worker.ts: drift against its own git commit (a checkout whose node_modules links the project's) captures sequence on both sides, nothing connects", async () => {
        const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" } });
        if (!existsSync(join(dir, ".git"))) {
          git("init", "-q");
          writeFileSync(join(dir, ".gitignore"), "node_modules\n");
          git("add", ".");
          git("commit", "-qm", "v1");
        }
        const before = listener.connections();
        const run = await dtcheck(["drift", "--baseline", "git:HEAD:worker.ts", "--candidate", "worker.ts", "--runs", "2", "--seed", "7", "--format", "json"], dir);
        expect(run.stderr).toBe("");
        expect(run.code).toBe(0);
        const report = JSON.parse(run.stdout) as { summary: string; cases: { name: string }[] };
        expect(report.cases.map((c) => c.name)).toEqual(["sequence"]);
        expect(report.summary).toBe("1 orchestrator checked git:HEAD:worker.ts → worker.ts (2 worlds, seed 7): 1 compatible, 0 drifted");
        // The baseline's files are named as the user named them, not by the temporary checkout, which is gone.
        expect(run.stdout).not.toContain("dtcheck-baseline-");
        expect(run.stdout.match(/git:HEAD:[^"]+/g)).toEqual(["git:HEAD:worker.ts → worker.ts (2 worlds, seed 7): 1 compatible, 0 drifted"]);
        expect(listener.connections() - before).toBe(0);
      });
      for (const file of Object.keys(layout.files)) {
        it(`${file}: fuzz --format json captures ${layout.expected[file] ?? "sequence"}, stdout parses, nothing connects`, async () => {
          const before = listener.connections();
          const run = await dtcheck(["fuzz", "-m", file, "--runs", "1", "--seed", "7", "--format", "json"], dir);
          expect(run.stderr).toBe("");
          expect(run.code).toBe(0);
          const report = JSON.parse(run.stdout) as { summary: string; cases: { name: string }[]; coverage: { reached: number; total: number; unreached: unknown[] }[] };
          expect(report.cases.map((c) => c.name)).toEqual([layout.expected[file] ?? "sequence"]);
          expect(report.summary).toBe("1 orchestrator fuzzed (1 world, seed 7): 1 deterministic, 0 not");
          // Every call site is found at run time at its line in this file: a frame that named some
          // other place (tsx once ran CommonJS TypeScript from a data: URL) counts as one more site, unreached ones stay.
          const sites = file === "dapr.ts" ? 1 : 2;
          expect(report.coverage.map(({ reached, total, unreached }) => ({ reached, total, unreached }))).toEqual([{ reached: sites, total: sites, unreached: [] }]);
          expect(listener.connections() - before).toBe(0);
        });
      }
    });
  }
});
