import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { BIN, REPO } from "../run-cli.js";

const RECORD_LOADS = fileURLToPath(new URL("./record-loads.mjs", import.meta.url));

/** The packages a whole dtcheck process loaded (a workspace package by its name), and its exit code. */
function packagesLoaded(args: string[]): { code: number | null; packages: string[]; files: string[] } {
  const dir = mkdtempSync(path.join(tmpdir(), "dtcheck-loads-"));
  const record = path.join(dir, "loaded.txt");
  writeFileSync(record, "");
  const run = spawnSync(process.execPath, ["--import", RECORD_LOADS, BIN, ...args], {
    cwd: REPO,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, DTCHECK_RECORD_LOADS: record },
  });
  // Every thread appends to the file: the main one and the one that runs the user's module.
  const files = readFileSync(record, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((file) => path.relative(REPO, file).split(path.sep).join("/"));
  rmSync(dir, { recursive: true, force: true });
  const packages = new Set<string>();
  for (const file of files) {
    const inNodeModules = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file.slice(file.lastIndexOf("node_modules/")));
    const workspace = /^packages\/([^/]+)\//.exec(file);
    if (file.includes("node_modules/") && inNodeModules) packages.add(inNodeModules[1]!);
    else if (workspace) packages.add(`@dtcheck/${workspace[1]}`);
  }
  return { code: run.status, packages: [...packages].sort(), files };
}

const LINT_MACHINERY = ["eslint", "typescript", "typescript-eslint", "@typescript-eslint/parser", "@dtcheck/eslint-plugin"];

describe("start-up loads only what the command uses", () => {
  it("dtcheck --help loads commander, the CLI and replay-tester's errors, limits and history-format lists, nothing else", () => {
    const { code, packages, files } = packagesLoaded(["--help"]);
    expect(code).toBe(0);
    expect(packages).toEqual(["@dtcheck/cli", "@dtcheck/replay-tester", "commander"]);
    const replayTesterFiles = files.filter((file) => file.startsWith("packages/replay-tester/"));
    expect(replayTesterFiles.filter((file) => !/^packages\/replay-tester\/dist\/(errors|contain\/limits|files\/[^/]+|history\/.+)\.js$/.test(file))).toEqual([]);
    expect(files.filter((file) => file.startsWith("packages/cli/dist/commands/"))).toEqual([]);
  });

  it("a one-history replay loads no lint machinery (ESLint, TypeScript, the plugin) and no fuzzing (fast-check)", () => {
    const app = "fixtures/apps/durabletask/chaining";
    const { code, packages } = packagesLoaded(["replay", `${app}/histories/onboardUser.protobuf-json.json`, "-m", `${app}/worker.ts`]);
    expect(code).toBe(0);
    expect(packages).toContain("@microsoft/durabletask-js");
    expect(packages.filter((name) => [...LINT_MACHINERY, "fast-check"].includes(name))).toEqual([]);
  });

  it("dtcheck replay --help loads no command body", () => {
    const { code, files } = packagesLoaded(["replay", "--help"]);
    expect(code).toBe(0);
    expect(files.filter((file) => file.startsWith("packages/cli/dist/commands/"))).toEqual([]);
  });
});
