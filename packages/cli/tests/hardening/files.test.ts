import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { expectOneLineError, REPO, runCli } from "../run-cli.js";
import { treeHash } from "./tree.js";

/*
 * Files are sacred: record, convert and init never replace a file unless it is a history and
 * --force is given; source files, project files, other JSON and lossless histories (by a lossy
 * format) never. Every refusal is one line, exit 2, and the tree hash shows nothing changed.
 */
const app = path.join(REPO, "fixtures/apps/durabletask/versioned/v1");
const worker = path.join(app, "worker.ts");
const golden = path.join(app, "histories/processOrder.protobuf-json.json");
let dir: string;

// Each test spawns the CLI several times; a loaded 2-core machine can take 30 s for that alone.
vi.setConfig({ testTimeout: 120_000 });

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "dtcheck-files-"));
  writeFileSync(path.join(dir, "worker.ts"), "export const untouched = true;\n");
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "shop" }));
  writeFileSync(path.join(dir, "notes.json"), JSON.stringify({ todo: ["not a history"] }));
  copyFileSync(golden, path.join(dir, "golden.json"));
  mkdirSync(path.join(dir, "out"));
  expect(spawnSync("mkfifo", [path.join(dir, "pipe.json")]).status).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function refusedUnchanged(args: string[]): string {
  const before = treeHash(dir);
  const line = expectOneLineError(runCli(args, { cwd: dir }));
  expect(treeHash(dir)).toBe(before);
  return line;
}

const record = (out: string, ...more: string[]) => ["record", "-m", worker, "--input", `@${path.join(app, "input.json")}`, "--stubs", path.join(app, "stubs.json"), "--out", out, ...more];

describe("--out never loses a file", () => {
  it.each([
    ["worker.ts", "dtcheck: worker.ts: already exists and is a source or project file; dtcheck never overwrites it, so choose another --out path (e.g. histories/x.json)"],
    ["package.json", "dtcheck: package.json: already exists and is a source or project file; dtcheck never overwrites it, so choose another --out path (e.g. histories/x.json)"],
    ["notes.json", "dtcheck: notes.json: already exists and is not a history; dtcheck overwrites only histories (with --force), so choose another --out path"],
    ["out", "dtcheck: out: is a directory; --out writes a new history file and never replaces anything else, so choose another path"],
    ["pipe.json", "dtcheck: pipe.json: is a FIFO (named pipe); --out writes a new history file and never replaces anything else, so choose another path"],
  ])("record --out %s --force is refused", (out, message) => {
    expect(refusedUnchanged(record(out, "--force"))).toBe(message);
  });

  it("an existing history is replaced only with --force, and never a lossless one by df-http", () => {
    expect(refusedUnchanged(["convert", golden, "--to", "friendly", "--out", "golden.json"])).toBe(
      "dtcheck: golden.json: already exists (a protobuf-json history); pass --force to replace it, or choose another --out path",
    );
    expect(refusedUnchanged(["convert", golden, "--to", "df-http", "--out", "golden.json", "--force"])).toBe(
      "dtcheck: golden.json: already holds a lossless protobuf-json history; writing lossy df-http over it would lose events, so choose another --out path",
    );
    expect(refusedUnchanged(["convert", golden, "--to", "friendly", "--out", "worker.ts", "--force"])).toBe(
      "dtcheck: worker.ts: already exists and is a source or project file; dtcheck never overwrites it, so choose another --out path (e.g. histories/x.json)",
    );
    const forced = runCli(["convert", golden, "--to", "friendly", "--out", "golden.json", "--force"], { cwd: dir });
    expect(forced.code, forced.stderr).toBe(0);
    expect((JSON.parse(readFileSync(path.join(dir, "golden.json"), "utf8")) as { type: string }[])[0]!.type).toBe("OrchestratorStarted");
    // Written through a temporary file and a rename: nothing else is left in the folder.
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("record writes a new file, refuses to replace it, and replaces it with --force", () => {
    const fresh = runCli(record("out/recorded.json"), { cwd: dir });
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(refusedUnchanged(record("out/recorded.json"))).toBe(
      "dtcheck: out/recorded.json: already exists (a protobuf-json history); pass --force to replace it, or choose another --out path",
    );
    const forced = runCli(record("out/recorded.json", "--force", "--format", "friendly"), { cwd: dir });
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).toMatch(/^recorded \d+ events to out\/recorded\.json \(friendly\); orchestration completed\n$/);
  });
});

describe("init never shadows or overwrites a configuration", () => {
  function project(files: Record<string, string>): string {
    const root = mkdtempSync(path.join(dir, "init-"));
    mkdirSync(path.join(root, "src"));
    writeFileSync(path.join(root, "src/worker.ts"), `worker.addNamedOrchestrator("orders", processOrder);\n`);
    for (const [file, text] of Object.entries(files)) writeFileSync(path.join(root, file), text);
    return root;
  }

  it('merges into the "dtcheck" block of package.json instead of writing a dtcheck.config.json that would override it', () => {
    const pkg = `{\n    "name": "shop",\n    "dtcheck": {\n        "histories": "exports"\n    }\n}\n`;
    const root = project({ "package.json": pkg });
    const run = runCli(["init", "--yes"], { cwd: root });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("# package.json: add module, stubs, strict to your \"dtcheck\" block (kept there: a new dtcheck.config.json would override it)");
    expect(existsSync(path.join(root, "dtcheck.config.json"))).toBe(false);
    expect(readFileSync(path.join(root, "package.json"), "utf8")).toBe(
      `{\n    "name": "shop",\n    "dtcheck": {\n        "histories": "exports",\n        "module": "src/worker.ts",\n        "stubs": "test/stubs.json",\n        "strict": false\n    }\n}\n`,
    );
  });

  it("names every configuration a present dtcheck.config shadows, and changes none of them", () => {
    const pkg = JSON.stringify({ name: "shop", dtcheck: { module: "old.ts" } });
    const root = project({ "package.json": pkg, "dtcheck.config.mjs": "export default { module: 'src/worker.ts' };\n", "dtcheck.config.json": "{}\n" });
    const before = treeHash(path.join(root));
    const run = runCli(["init", "--dry-run"], { cwd: root });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("note: dtcheck.config.json: ignored, because dtcheck.config.mjs is read first; merge its settings into dtcheck.config.mjs and delete it\n");
    expect(run.stdout).toContain('note: package.json: its "dtcheck" block is ignored, because dtcheck.config.mjs is read first; merge the block into dtcheck.config.mjs and remove it\n');
    expect(run.stdout).not.toContain("# package.json");
    expect(treeHash(root)).toBe(before);
  });
});

describe("reproduce commands survive the shell", () => {
  it("quotes what the shell would split or expand", async () => {
    const { shellCommand } = await import("@dtcheck/replay-tester");
    const args = ["dtcheck", "fuzz", "--orchestrator", "send mail", "--input", `{"name":"O'Brien","cost":"$5"}`, "--path", "1:2:3", ""];
    const line = shellCommand(args);
    expect(line).toBe(`dtcheck fuzz --orchestrator 'send mail' --input '{"name":"O'\\''Brien","cost":"$5"}' --path 1:2:3 ''`);
    const echoed = spawnSync("sh", ["-c", `printf '%s\\n' ${line}`], { encoding: "utf8" });
    expect(echoed.stdout).toBe(args.map((a) => `${a}\n`).join(""));
  });
});
