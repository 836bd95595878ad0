import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { checkDrift } from "../../src/drift/check-drift.js";
import { parseGitSpec } from "../../src/git/git-spec.js";
import { withGitCheckout } from "../../src/git/worktree.js";

/*
 * A throwaway repository: v1 of an orchestrator committed, v2 in the working tree (the branch
 * about to be deployed), and the project's node_modules linked in as an installed project has it.
 */
const fixtures = fileURLToPath(new URL("../../../../fixtures/drift/renamed-activity/", import.meta.url));
const projectNodeModules = fileURLToPath(new URL("../../../../node_modules", import.meta.url));
const fuzz = { input: fc.record({ id: fc.nat(99) }) };
let repo: string;

const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, encoding: "utf8" }).trim();
const worktrees = () => git("worktree", "list", "--porcelain").split("\n").filter((l) => l.startsWith("worktree "));
const baselineDirs = async () => (await readdir(tmpdir())).filter((d) => d.startsWith("dtcheck-baseline-"));
// A private temp directory, so checkouts made by other test files running in parallel are not counted.
const savedTmpdir = process.env["TMPDIR"];

beforeAll(async () => {
  process.env["TMPDIR"] = await mkdtemp(join(tmpdir(), "dtcheck-git-tmp-"));
  repo = await mkdtemp(join(tmpdir(), "dtcheck-git-test-"));
  await mkdir(join(repo, "src"));
  await writeFile(join(repo, "package.json"), JSON.stringify({ name: "shop", type: "module" }));
  await writeFile(join(repo, ".gitignore"), "node_modules\n");
  await symlink(projectNodeModules, join(repo, "node_modules"), "junction");
  await copyFile(join(fixtures, "v1.ts"), join(repo, "src", "order.ts"));
  git("init", "-q");
  git("-c", "user.name=dtcheck", "-c", "user.email=dtcheck@example.com", "add", ".");
  git("-c", "user.name=dtcheck", "-c", "user.email=dtcheck@example.com", "commit", "-q", "-m", "v1");
  git("branch", "deployed");
  await copyFile(join(fixtures, "v2.ts"), join(repo, "src", "order.ts"));
});

afterAll(async () => {
  await rm(repo, { recursive: true, force: true });
  await rm(tmpdir(), { recursive: true, force: true });
  if (savedTmpdir === undefined) delete process.env["TMPDIR"];
  else process.env["TMPDIR"] = savedTmpdir;
});

describe("git:<ref>:<path> baselines", () => {
  it("parses the spec; refs cannot contain ':' so the first one splits", () => {
    expect(parseGitSpec("git:origin/main:src/orchestrators.ts")).toEqual({ ref: "origin/main", path: "src/orchestrators.ts", text: "git:origin/main:src/orchestrators.ts" });
    expect(parseGitSpec("git:HEAD~1:a:b.ts")).toMatchObject({ ref: "HEAD~1", path: "a:b.ts" });
    expect(parseGitSpec("src/orchestrators.ts")).toBeUndefined();
  });

  it("checks the deployed code out into a temporary worktree, finds the drift in the working tree, and cleans up", async () => {
    expect(await baselineDirs()).toEqual([]);
    const result = await checkDrift({ baseline: "git:deployed:src/order.ts", candidate: "src/order.ts", cwd: repo, fuzz, runs: 30, seed: 42, outDir: join(repo, "failures") });
    expect(result.baseline).toBe("git:deployed:src/order.ts");
    expect(result.failure!.divergence).toMatchObject({
      reason: "wrong-name",
      expected: { name: "charge" },
      produced: { name: "chargeCard", location: { file: join(repo, "src", "order.ts"), line: 6 } },
    });
    expect(result.failure!.command).toBe("dtcheck replay failures/drift-order-seed42.protobuf-json.json --module src/order.ts --orchestrator order");
    expect(worktrees()).toHaveLength(1);
    expect(await baselineDirs()).toEqual([]);
  });

  it("passes when the working tree is the deployed code", async () => {
    const result = await checkDrift({ baseline: "git:deployed:src/order.ts", candidate: "git:HEAD:src/order.ts", cwd: repo, fuzz, runs: 10, seed: 1, outDir: false });
    expect(result.ok).toBe(true);
    expect(worktrees()).toHaveLength(1);
  });

  it("removes the worktree even when the check throws", async () => {
    let checkedOut = "";
    await expect(
      withGitCheckout(parseGitSpec("git:deployed:src/order.ts")!, repo, async (file) => {
        checkedOut = file;
        expect(existsSync(file)).toBe(true);
        expect(existsSync(join(file, "..", "..", "node_modules", "fast-check"))).toBe(true);
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(checkedOut.startsWith(tmpdir())).toBe(true);
    expect(existsSync(checkedOut)).toBe(false);
    expect(worktrees()).toHaveLength(1);
    expect(await baselineDirs()).toEqual([]);
  });

  it.each([
    ["git:no-such-branch:src/order.ts", 'git:no-such-branch:src/order.ts: unknown git ref "no-such-branch"; check the spelling or fetch it first (e.g. git fetch origin main)'],
    ["git:deployed:src/missing.ts", "git:deployed:src/missing.ts: src/missing.ts does not exist at deployed"],
    ["git:deployed", "git:deployed: a git baseline is written git:<ref>:<path>, e.g. git:origin/main:src/orchestrators.ts"],
  ])("%s is one clear input error", async (baseline, message) => {
    await expect(checkDrift({ baseline, candidate: "src/order.ts", cwd: repo, runs: 1, outDir: false })).rejects.toThrow(message);
    expect(worktrees()).toHaveLength(1);
  });
});
