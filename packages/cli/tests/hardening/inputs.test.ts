import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { BIN, expectOneLineError, REPO, runCli, type CliRun } from "../run-cli.js";
import { treeHash } from "./tree.js";

/*
 * Hostile and empty inputs against the built CLI: every case is exit 2 with one line naming the
 * file and what to do, or, inside a folder, a reported case while the rest still replays. No
 * input is ever changed (tree hash before and after).
 */
const app = path.join(REPO, "fixtures/apps/durabletask/versioned/v1");
const worker = path.join(app, "worker.ts");
const goldens = readdirSync(path.join(app, "histories")).sort();
let dir: string;

interface JsonReport {
  findings: { ruleId: string; message: string; location?: { file: string } }[];
  summary: string;
}

// Each test spawns the CLI several times; a loaded 2-core machine can take 30 s for that alone.
vi.setConfig({ testTimeout: 120_000 });

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "dtcheck-inputs-"));
  // Readable by the unprivileged user the permission cases run as when the suite runs as root.
  chmodSync(dir, 0o755);
});
afterAll(() => {
  for (const locked of ["locked", "mixed/locked"]) {
    try {
      chmodSync(path.join(dir, locked), 0o755);
    } catch {
      // not created by the test that failed early
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

function folder(name: string, files: Record<string, string> = {}): string {
  const target = path.join(dir, name);
  mkdirSync(target, { recursive: true });
  for (const [file, golden] of Object.entries(files)) copyFileSync(path.join(app, "histories", golden), path.join(target, file));
  return target;
}

/** Runs the CLI unprivileged when the suite runs as root, so that mode 000 really means unreadable. */
function runUnprivileged(args: string[], cwd: string): CliRun {
  const asRoot = process.getuid?.() === 0;
  const run = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, HOME: dir },
    ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The run leaves every input as it was. */
function unchanged<T>(target: string, run: () => T): T {
  const before = treeHash(target);
  const result = run();
  expect(treeHash(target)).toBe(before);
  return result;
}

describe("no vacuous pass: zero histories found is exit 2 with what was searched", () => {
  const searched = "has no history files: searched it and its subfolders for *.json, *.jsonl, *.json.gz and *.jsonl.gz files, in any letter case; record or export histories into it, or check the path";

  it("a folder with no history files (other files do not count)", () => {
    const empty = folder("empty");
    writeFileSync(path.join(empty, "notes.txt"), "not a history");
    const run = unchanged(dir, () => runCli(["replay", "empty", "-m", worker], { cwd: dir }));
    expect(expectOneLineError(run)).toBe(`dtcheck: empty: ${searched}`);
    expect(run.stdout).toBe("");
  });

  it("a config whose histories folder is empty", () => {
    const project = folder("configured");
    mkdirSync(path.join(project, "test/histories"), { recursive: true });
    writeFileSync(path.join(project, "dtcheck.config.json"), JSON.stringify({ module: worker, histories: "test/histories" }));
    const run = unchanged(dir, () => runCli(["replay"], { cwd: project }));
    expect(expectOneLineError(run)).toBe(`dtcheck: test/histories: ${searched}`);
  });

  it("upper-case extensions are history files: .JSON, .Json and .JSON.GZ replay", () => {
    const upper = folder("upper", { "A.JSON": goldens[0]!, "b.Json": goldens[1]! });
    writeFileSync(path.join(upper, "C.JSON.GZ"), gzipSync(readFileSync(path.join(app, "histories", goldens[2]!))));
    const run = unchanged(dir, () => runCli(["replay", "upper", "-m", worker, "--format", "json"], { cwd: dir }));
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as JsonReport).summary).toBe("3 histories replayed: 3 ok, 0 diverged");
  });

  it("an unreadable folder is one line, not an empty pass", () => {
    const locked = folder("locked", { "a.json": goldens[0]! });
    chmodSync(locked, 0o000);
    const run = unchanged(dir, () => runUnprivileged(["replay", "locked", "-m", worker], dir));
    chmodSync(locked, 0o755);
    expect(expectOneLineError(run)).toBe("dtcheck: locked: cannot be read (permission denied); check its permissions");
  });
});

describe("bounded inputs: only regular files, size limits, one bad file never aborts the folder", () => {
  it("a folder holding a FIFO, an unreadable subfolder and a huge sparse file: each is reported by name, the rest replays, exit 2", () => {
    const mixed = folder("mixed", { "good.json": goldens[0]! });
    expect(spawnSync("mkfifo", [path.join(mixed, "pipe.json")]).status).toBe(0);
    writeFileSync(path.join(mixed, "huge.json"), "");
    truncateSync(path.join(mixed, "huge.json"), 10 * 1024 ** 3);
    const locked = folder("mixed/locked", { "inner.json": goldens[1]! });
    chmodSync(locked, 0o000);
    const run = unchanged(dir, () => runUnprivileged(["replay", "mixed", "-m", worker, "--format", "json"], dir));
    chmodSync(locked, 0o755);
    expect(run.code, run.stderr).toBe(2);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.summary).toBe("4 histories replayed: 1 ok, 0 diverged, 3 unreadable");
    // Each finding's location names its file; the message says only what is wrong with it.
    expect(report.findings.map((f) => `${f.location?.file}: ${f.message}`).sort()).toEqual([
      `${path.join(mixed, "huge.json")}: is 10.0 GiB, over the 256.0 MiB limit for one history file; split it, or raise the limit with DTCHECK_MAX_HISTORY_MB=<megabytes>`,
      `${locked}: the directory cannot be read (permission denied), so the histories in it were not replayed; check its permissions`,
      `${path.join(mixed, "pipe.json")}: is a FIFO (named pipe), not a regular file; save the history file to a regular file and pass that`,
    ]);
    expect(report.findings.every((f) => f.ruleId === "dtcheck/replay-error")).toBe(true);
  });

  it.each([
    ["/dev/zero", "is a character device, not a regular file; save the history file to a regular file and pass that"],
    ["/dev/null", "is a character device, not a regular file; save the history file to a regular file and pass that"],
  ])("%s given directly is refused without reading it", (device, message) => {
    const run = runCli(["replay", device, "-m", worker, "--format", "json"], { cwd: dir });
    expect(run.code).toBe(2);
    expect((JSON.parse(run.stdout) as JsonReport).findings.map((f) => f.message)).toEqual([message]);
  });

  it("DTCHECK_MAX_HISTORY_MB lowers the limit, and a gzip file is limited by what it decompresses to", () => {
    const small = folder("small");
    writeFileSync(path.join(small, "bomb.json.gz"), gzipSync(Buffer.alloc(3 * 1024 * 1024, 0x20)));
    copyFileSync(path.join(app, "histories", goldens[0]!), path.join(small, "good.json"));
    const run = unchanged(dir, () => runCli(["replay", "small", "-m", worker, "--format", "json"], { cwd: dir, env: { DTCHECK_MAX_HISTORY_MB: "1" } }));
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.summary).toBe("2 histories replayed: 1 ok, 0 diverged, 1 unreadable");
    expect(report.findings.map((f) => f.message)).toEqual([
      `is gzip-compressed and decompresses to more than the 1.0 MiB limit for one history file; split it, or raise the limit with DTCHECK_MAX_HISTORY_MB=<megabytes>`,
    ]);
    expect(expectOneLineError(runCli(["replay", "small", "-m", worker], { cwd: dir, env: { DTCHECK_MAX_HISTORY_MB: "lots" } }))).toBe(
      "dtcheck: DTCHECK_MAX_HISTORY_MB=lots is not a positive number of megabytes; set it to e.g. 512, or unset it for the default of 256",
    );
  });

  it("convert, --input @file and --stubs refuse FIFOs and devices in one line", () => {
    const fifo = path.join(dir, "in.fifo");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    // Named relative to the working directory (dir), as typed.
    const refused = (file: string, what: string) => `dtcheck: ${path.relative(dir, file)}: is a FIFO (named pipe), not a regular file; save the ${what} to a regular file and pass that`;
    expect(expectOneLineError(unchanged(dir, () => runCli(["convert", fifo, "--to", "friendly"], { cwd: dir })))).toBe(refused(fifo, "history file"));
    expect(expectOneLineError(runCli(["record", "-m", worker, "--input", `@${fifo}`, "--out", path.join(dir, "never.json")], { cwd: dir }))).toBe(refused(fifo, "input file"));
    expect(expectOneLineError(runCli(["record", "-m", worker, "--stubs", fifo, "--out", path.join(dir, "never.json")], { cwd: dir }))).toBe(refused(fifo, "stubs module"));
    const jsonFifo = path.join(dir, "stubs.json");
    expect(spawnSync("mkfifo", [jsonFifo]).status).toBe(0);
    expect(expectOneLineError(runCli(["record", "-m", worker, "--stubs", jsonFifo, "--out", path.join(dir, "never.json")], { cwd: dir }))).toBe(refused(jsonFifo, "stubs file"));
    expect(expectOneLineError(runCli(["convert", "/dev/zero", "--to", "friendly"], { cwd: dir }))).toBe(
      "dtcheck: /dev/zero: is a character device, not a regular file; save the history file to a regular file and pass that",
    );
    // A module that is a FIFO would block the import in a system call that no time limit interrupts.
    expect(expectOneLineError(runCli(["replay", path.join(REPO, "fixtures/apps/durabletask/chaining/histories/onboardUser.protobuf-json.json"), "-m", fifo], { cwd: dir }))).toBe(
      `dtcheck: ${path.relative(dir, fifo)}: is a FIFO (named pipe), not a regular file; pass the module's source or compiled file (or a function app folder)`,
    );
    expect(readdirSync(dir)).not.toContain("never.json");
    // Six CLI processes (record's start a contained thread each): on a loaded 2-core machine that alone can pass the 30 s default.
  }, 120_000);
});

describe("a module that does not compile is one line naming it once, relative to where dtcheck runs", () => {
  it("a syntax error in the module itself gives its position; one in a file it imports names that file", () => {
    const project = folder("syntax");
    writeFileSync(path.join(project, "bad.ts"), "export const x = ;\n");
    writeFileSync(path.join(project, "imports-bad.ts"), 'import "./bad";\nexport const y = 1;\n');
    expect(expectOneLineError(runCli(["fuzz", "-m", "bad.ts"], { cwd: project }))).toBe('dtcheck: bad.ts: could not be loaded: line 1, column 18: Unexpected ";"');
    expect(expectOneLineError(runCli(["fuzz", "-m", path.join(project, "imports-bad.ts")], { cwd: project }))).toBe('dtcheck: imports-bad.ts: could not be loaded: bad.ts:1:18: Unexpected ";"');
    // No package.json with "type": "module" above it: TypeScript runs as CommonJS, where a README-style `await worker.start()` cannot be.
    writeFileSync(path.join(project, "tla.ts"), "const worker = { start: async () => {} };\nawait worker.start();\n");
    expect(expectOneLineError(runCli(["fuzz", "-m", "tla.ts"], { cwd: project }))).toBe(
      'dtcheck: tla.ts: could not be loaded: line 2, column 1: Top-level await is currently not supported with the "cjs" output format; the file is compiled as CommonJS: add "type": "module" to the package.json beside it, or rename it to .mts',
    );
    // Outside the working directory a path stays absolute.
    expect(expectOneLineError(runCli(["fuzz", "-m", path.join(project, "bad.ts")], { cwd: folder("elsewhere") }))).toBe(`dtcheck: ${path.join(project, "bad.ts")}: could not be loaded: line 1, column 18: Unexpected ";"`);
    // JavaScript, which Node parses itself: its SyntaxError has no position in its message, only in its stack.
    writeFileSync(path.join(project, "bad.mjs"), 'const x = 1;\nexport function* o(ctx) {\n  yield ctx.callActivity("a";\n}\n');
    // CommonJS: Node's stack says where (the column of its caret).
    writeFileSync(path.join(project, "bad.cjs"), 'const x = 1;\nfunction* o(ctx) {\n  yield ctx.callActivity("a";\n}\nmodule.exports = { o };\n');
    expect(expectOneLineError(runCli(["fuzz", "-m", "bad.cjs"], { cwd: project }))).toBe("dtcheck: bad.cjs: could not be loaded: line 3, column 26: missing ) after argument list");
    // An ES module: Node keeps the position to itself, and the parser finds the line.
    expect(expectOneLineError(runCli(["fuzz", "-m", "bad.mjs"], { cwd: project }))).toBe("dtcheck: bad.mjs: could not be loaded: line 3: missing ) after argument list");
  });
});
