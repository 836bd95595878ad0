import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkDtcheckArguments, dtcheckArguments, shellCommands } from "../../../../docs/test-helpers/check-cli.js";
import { buildProgram } from "../../src/program.js";
import { ciNodeVersion } from "../../src/init/plan.js";
import { REPO, runCli } from "../run-cli.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "dtcheck-init-wf-"));
  mkdirSync(path.join(dir, "src"));
  writeFileSync(path.join(dir, "src/worker.ts"), `worker.addNamedOrchestrator("orders", processOrder);\n`);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The real installed SDK, as a project's node_modules holds it. */
function installSdk(name: string): void {
  const target = path.join(dir, "node_modules", ...name.split("/"));
  mkdirSync(path.dirname(target), { recursive: true });
  symlinkSync(path.join(REPO, "node_modules", ...name.split("/")), target);
}

function fakePackage(name: string, engines?: string, version = "1.0.0"): void {
  const target = path.join(dir, "node_modules", ...name.split("/"));
  mkdirSync(target, { recursive: true });
  writeFileSync(path.join(target, "package.json"), JSON.stringify({ name, version, ...(engines ? { engines: { node: engines } } : {}) }));
}

function writtenWorkflow(): string {
  const run = runCli(["init", "--yes"], { cwd: dir });
  expect(run.code, run.stderr).toBe(0);
  return readFileSync(path.join(dir, ".github/workflows/dtcheck.yml"), "utf8");
}

function notes(stdout: string): string[] {
  return stdout.split("\n").filter((line) => line.startsWith("note: "));
}

// Each test spawns the CLI a few times: on a loaded 2-core machine one spawn can take 5-10 s.
describe("the CI workflow dtcheck init writes", { timeout: 120_000 }, () => {
  it("is the one docs/ci.md shows, verbatim, for a durabletask-js project", () => {
    installSdk("@microsoft/durabletask-js");
    const docs = readFileSync(path.join(REPO, "docs/ci.md"), "utf8");
    const block = /```yaml\n([\s\S]*?)```/.exec(docs)![1];
    expect(writtenWorkflow()).toBe(block);
  });

  it("runs on the Node version the installed SDK's engines require", () => {
    installSdk("@microsoft/durabletask-js");
    expect(JSON.parse(readFileSync(path.join(dir, "node_modules/@microsoft/durabletask-js/package.json"), "utf8")).engines.node).toBe(">=22.0.0");
    expect(writtenWorkflow()).toContain("          node-version: 22     # what the installed SDKs' engines require\n");
  });

  it("moves to a newer Node line when an installed package needs it", () => {
    fakePackage("durable-functions", ">=24");
    expect(writtenWorkflow()).toContain("          node-version: 24     #");
    expect(ciNodeVersion([{ name: "a", node: ">=18" }, { name: "b", node: "^22 || ^24" }])).toBe(22);
    expect(ciNodeVersion([{ name: "a", node: ">=20.19" }, { name: "b" }, { name: "c", node: "not a range" }])).toBe(22);
  });

  it("passes on a first pull request: no histories yet, the worker not yet on the base branch", () => {
    const workflow = writtenWorkflow();
    const steps = workflow.split("\n      - ");
    const replay = steps.find((s) => s.startsWith("name: Replay saved histories"))!;
    expect(replay).toContain("if: hashFiles('test/histories/**') != ''");
    const drift = steps.find((s) => s.startsWith("name: Version drift"))!;
    expect(drift).toContain("if: steps.base.outputs.deployed == 'true'");
    // Run the guard step as Actions would, in a repository whose base branch has no worker yet, then with one.
    const base = steps.find((s) => s.startsWith("name: Is the worker on the base branch yet?"))!;
    const script = /run: (.+)/.exec(base)![1]!.replaceAll("${{ github.base_ref }}", "main");
    const git = (...args: string[]) => execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { cwd: dir, stdio: "pipe" });
    git("init", "-q", "-b", "main");
    writeFileSync(path.join(dir, "README.md"), "x\n");
    git("add", "README.md");
    git("commit", "-qm", "first");
    git("update-ref", "refs/remotes/origin/main", "HEAD");
    const output = path.join(dir, "github-output");
    const guard = () => {
      writeFileSync(output, "");
      execFileSync("bash", ["-e", "-c", script], { cwd: dir, env: { ...process.env, GITHUB_OUTPUT: output } });
      return readFileSync(output, "utf8");
    };
    expect(guard()).toBe("deployed=false\n");
    git("add", "src/worker.ts");
    git("commit", "-qm", "worker");
    git("update-ref", "refs/remotes/origin/main", "HEAD");
    expect(guard()).toBe("deployed=true\n");
  });

  it("has dtcheck steps the real CLI accepts", async () => {
    const commands = shellCommands(writtenWorkflow().split("\n").map((line) => /^\s*(?:-\s*)?run:\s*(.+)$/.exec(line)?.[1] ?? "").join("\n"));
    const dtcheck = commands.map(dtcheckArguments).filter((args): args is string[] => args !== undefined);
    expect(dtcheck.map((args) => args[0])).toEqual(["lint", "replay", "drift"]);
    for (const args of dtcheck) expect(await checkDtcheckArguments(buildProgram, args)).toBeUndefined();
  });
});

// Each test spawns the CLI a few times: on a loaded 2-core machine one spawn can take 5-10 s.
describe("what dtcheck init says to install", { timeout: 120_000 }, () => {
  it("nothing when the project already has the packages", () => {
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ devDependencies: { "@dtcheck/cli": "^0.1.0", "@dtcheck/eslint-plugin": "^0.1.0" } }));
    writeFileSync(path.join(dir, "eslint.config.js"), `export default [\n  { ignores: ["dist"] },\n];\n`);
    const run = runCli(["init", "--dry-run"], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(notes(run.stdout)).toEqual([]);
  });

  it("only what is missing: installed counts as much as declared, and a new ESLint config needs typescript-eslint", () => {
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ devDependencies: { "@dtcheck/cli": "^0.1.0" } }));
    fakePackage("@dtcheck/eslint-plugin");
    expect(notes(runCli(["init", "--dry-run"], { cwd: dir }).stdout)).toEqual(["note: install the packages: npm install --save-dev typescript-eslint"]);
  });

  it("beside TypeScript 7, no ESLint config that could not load (typescript-eslint cannot be installed there), and what to do instead", () => {
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ devDependencies: { "@dtcheck/cli": "^0.1.0", "@dtcheck/eslint-plugin": "^0.1.0", typescript: "^7.0.0" } }));
    fakePackage("typescript", undefined, "7.0.2");
    const run = runCli(["init", "--dry-run"], { cwd: dir });
    expect(notes(run.stdout)).toEqual([
      'note: no ESLint config written: it would import typescript-eslint, which cannot be installed beside TypeScript 7.0.2 (it supports TypeScript up to 6.0); dtcheck lint needs none. For dtcheck\'s rules in your own eslint and editor, keep "typescript" at 6.0 and build with 7 under an alias (docs/getting-started.md#typescript-7), then run dtcheck init again',
    ]);
    expect(run.stdout).not.toContain("eslint.config");
  });

  it("in a pnpm project, a workflow that installs and runs with pnpm (npm ci needs a package-lock.json)", () => {
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ packageManager: "pnpm@10.0.0" }));
    writeFileSync(path.join(dir, "pnpm-lock.yaml"), "lockfileVersion: '9.0'\n");
    const run = runCli(["init", "--dry-run"], { cwd: dir });
    expect(notes(run.stdout)).toEqual(["note: install the packages: pnpm add --save-dev @dtcheck/cli @dtcheck/eslint-plugin typescript-eslint"]);
    const steps = run.stdout.split("\n").filter((line) => /^\+\s+(?:- uses: pnpm|cache:|- run:|run: pnpm exec dtcheck)/.test(line)).map((line) => line.slice(1).trim());
    expect(steps).toEqual([
      "- uses: pnpm/action-setup@v4   # the version in package.json's packageManager",
      "cache: pnpm",
      "- run: pnpm install --frozen-lockfile",
      "run: pnpm exec dtcheck lint --format sarif --output dtcheck.sarif",
      "run: pnpm exec dtcheck replay test/histories --module src/worker.ts",
      expect.stringMatching(/^run: pnpm exec dtcheck drift --baseline git:origin\/\$\{\{ github\.base_ref \}\}:src\/worker\.ts /),
    ]);
  });

  it("everything in a project that has none of it", () => {
    expect(notes(runCli(["init", "--dry-run"], { cwd: dir }).stdout)).toEqual(["note: install the packages: npm install --save-dev @dtcheck/cli @dtcheck/eslint-plugin typescript-eslint"]);
  });
});
