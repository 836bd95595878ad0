import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectionCounter, runCliWatched, type Run } from "../contained-cli.js";
import { oneErrorLine, REPO } from "../run-cli.js";

/*
 * dtcheck.config.{mjs,ts} is user code: it is imported in a contained thread, never in the CLI's
 * process. A config that exits, hangs, throws, allocates, prints or connects is handled like a
 * module that does: one line naming the config, exit 2, nothing on stdout, no socket, no file changed.
 */

const HISTORY = join(REPO, "fixtures/histories/durabletask/recorded/chain.protobuf-json.json");
const LINKED = ["@microsoft/durabletask-js", "fast-check"];

const WORKER = `
export async function* chain(ctx, city) {
  const a = yield ctx.callActivity("greet", city);
  const b = yield ctx.callActivity("shout", a);
  return yield ctx.callActivity("sign", b);
}
`;

let listener: Awaited<ReturnType<typeof connectionCounter>>;
const projects: string[] = [];

beforeAll(async () => {
  listener = await connectionCounter();
});

afterAll(async () => {
  await listener.close();
  for (const dir of projects) rmSync(dir, { recursive: true, force: true });
});

const dtcheck = (args: string[], cwd: string): Promise<Run> => runCliWatched(args, cwd);

/** A project with the worker and one config file, its node_modules linking what the config and worker import. */
function project(configName: string, config: string): string {
  const dir = mkdtempSync(join(tmpdir(), "dtcheck-config-contained-"));
  projects.push(dir);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "user-project", version: "1.0.0", type: "module" }));
  for (const name of LINKED) {
    mkdirSync(dirname(join(dir, "node_modules", name)), { recursive: true });
    symlinkSync(join(REPO, "node_modules", name), join(dir, "node_modules", name), "dir");
  }
  writeFileSync(join(dir, "worker.mjs"), WORKER);
  writeFileSync(join(dir, configName), config);
  return dir;
}

/** Every file of the project (node_modules aside) with its size and modification time. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const visit = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      if (entry.name === "node_modules") continue;
      const file = join(at, entry.name);
      if (entry.isDirectory()) visit(file);
      else files[relative(dir, file)] = `${statSync(file).size} ${statSync(file).mtimeMs} ${readFileSync(file, "utf8").length}`;
    }
  };
  visit(dir);
  return files;
}

const SETTINGS = 'export default { module: "worker.mjs" };\n';

describe("a dtcheck config that misbehaves while being imported is one line naming it, exit 2", () => {
  const cases: [string, string, string[], string][] = [
    [
      "calls process.exit(0)",
      `console.log("config says bye");\nprocess.exit(0);\n${SETTINGS}`,
      [],
      "dtcheck: dtcheck.config.mjs: calls process.exit(0) while being loaded; a dtcheck config only exports its settings: remove the call",
    ],
    [
      "calls process.abort()",
      `process.abort();\n${SETTINGS}`,
      [],
      "dtcheck: dtcheck.config.mjs: calls process.abort() while being loaded; a dtcheck config only exports its settings: remove the call",
    ],
    [
      "awaits a promise that never settles, with nothing left to run",
      `await new Promise(() => {});\n${SETTINGS}`,
      [],
      "dtcheck: dtcheck.config.mjs: never finishes loading; a top-level await waits for something that never happens (nothing is left to run); settle or remove it",
    ],
    [
      "awaits a promise that never settles while an interval keeps it alive, stopped by --load-timeout",
      `setInterval(() => {}, 1000);\nawait new Promise(() => {});\n${SETTINGS}`,
      ["--load-timeout", "1s"],
      "dtcheck: dtcheck.config.mjs: did not finish loading within 1 s; a top-level await that never settles, or an endless loop at import? a dtcheck config only exports its settings; or raise --load-timeout",
    ],
    [
      "loops without end, stopped by --load-timeout",
      `for (;;) {}\n${SETTINGS}`,
      ["--load-timeout", "1s"],
      "dtcheck: dtcheck.config.mjs: did not finish loading within 1 s; a top-level await that never settles, or an endless loop at import? a dtcheck config only exports its settings; or raise --load-timeout",
    ],
    ["throws", `throw new Error("no settings today\\nsecond line");\n`, [], "dtcheck: dtcheck.config.mjs: could not be loaded: no settings today"],
    [
      "allocates without bound, stopped by --memory-limit",
      `const kept = [];\nfor (;;) kept.push(new Array(100000).fill(kept.length));\n`,
      ["--memory-limit", "64"],
      "dtcheck: dtcheck.config.mjs: ran out of memory (over 64 MB) while being loaded; look for an allocation without bound, or raise --memory-limit",
    ],
    [
      "exports something that is not an object",
      "export default 42;\n",
      [],
      "dtcheck: dtcheck.config.mjs: the dtcheck configuration must be an object; export default { module: ..., ... }",
    ],
  ];

  it.each(cases)("%s: replay --format json", async (_case, config, flags, line) => {
    const dir = project("dtcheck.config.mjs", config);
    const before = snapshot(dir);
    expect(oneErrorLine(await dtcheck(["replay", HISTORY, "--format", "json", ...flags], dir))).toBe(line);
    expect(snapshot(dir)).toEqual(before);
  });

  it("the same line for record, which would otherwise write --out, and the file is not written", async () => {
    const dir = project("dtcheck.config.mjs", `process.exit(3);\n${SETTINGS}`);
    const before = snapshot(dir);
    expect(oneErrorLine(await dtcheck(["record", "--out", "golden.json"], dir))).toBe(
      "dtcheck: dtcheck.config.mjs: calls process.exit(3) while being loaded; a dtcheck config only exports its settings: remove the call",
    );
    expect(snapshot(dir)).toEqual(before);
  });

  it("names an explicit --config in a TypeScript file the same way", async () => {
    const dir = project("ci.config.ts", `const code: number = 0;\nprocess.exit(code);\n${SETTINGS}`);
    expect(oneErrorLine(await dtcheck(["fuzz", "--config", "ci.config.ts", "--runs", "1", "--format", "sarif"], dir))).toBe(
      "dtcheck: ci.config.ts: calls process.exit(0) while being loaded; a dtcheck config only exports its settings: remove the call",
    );
  });
});

describe("a dtcheck config that prints or connects does not stop the check", () => {
  it("what it prints never reaches a json report on stdout", async () => {
    const dir = project("dtcheck.config.mjs", `console.log("loading the config");\nconsole.error("config warning");\n${SETTINGS}`);
    const run = await dtcheck(["replay", HISTORY, "--format", "json"], dir);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { summary: string }).summary).toBe("1 history replayed: 1 ok, 0 diverged");
    expect(run.stdout).not.toContain("loading the config");
    expect(run.stderr).toBe("");
  });

  it("in text output it is shown on stderr, marked as the config's", async () => {
    const dir = project("dtcheck.config.mjs", `console.log("loading the config");\n${SETTINGS}`);
    const run = await dtcheck(["replay", HISTORY], dir);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe("[dtcheck.config.mjs] loading the config\n");
    expect(run.stdout).not.toContain("loading the config");
  });

  it("a connection is refused before anything is sent, one warning line, and the check goes on", async () => {
    const dir = project("dtcheck.config.mjs", `import net from "node:net";\nnet.connect(${listener.port}, "127.0.0.1").on("error", () => {});\n${SETTINGS}`);
    const before = listener.connections();
    const run = await dtcheck(["replay", HISTORY, "--format", "sarif"], dir);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { version: string }).version).toBe("2.1.0");
    expect(run.stderr).toBe(
      `dtcheck: warning: dtcheck.config.mjs connects to 127.0.0.1:${listener.port} while being loaded; dtcheck never starts workers or clients, so the connection was refused before anything was sent. The check goes on; to silence this, connect only when the file is run as a program\n`,
    );
    expect(listener.connections()).toBe(before);
  });
});

describe("settings that are not plain data", () => {
  it("a fast-check arbitrary in fuzz reaches the fuzzer intact (read again in its contained thread, not cloned into a plain object)", async () => {
    const worker = `
export async function* typed(ctx, input) {
  if (typeof input === "number") {
    yield ctx.callActivity("gotNumber", input);
  } else {
    yield ctx.callActivity("gotSomethingElse", input);
  }
}
`;
    const dir = project("dtcheck.config.ts", `import fc from "fast-check";\nexport default { module: "worker.mjs", fuzz: { input: fc.integer({ min: 1, max: 9 }) } };\n`);
    writeFileSync(join(dir, "worker.mjs"), worker);
    const run = await dtcheck(["fuzz", "--runs", "5", "--seed", "1", "--format", "json"], dir);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { coverage: unknown[] };
    expect(report.coverage).toEqual([
      { orchestrator: "typed", reached: 1, total: 2, unreached: [{ file: "worker.mjs", line: 6, method: "callActivity", name: "gotSomethingElse" }] },
    ]);
  });
});
