import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { promisify } from "node:util";
import { InputError } from "../errors.js";
import type { GitSpec } from "./git-spec.js";

const run = promisify(execFile);

async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run("git", args, { cwd, maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}

async function succeeds(cwd: string, args: string[]): Promise<boolean> {
  try {
    await git(cwd, args);
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes the project's installed packages visible in the worktree: a symlink for every
 * node_modules directory on the way from the repository root to the module (the root one and, in
 * a monorepo, the package's own), unless the checkout already has one there.
 */
async function linkNodeModules(root: string, worktree: string, moduleRelPath: string): Promise<void> {
  const parts = dirname(moduleRelPath).split(sep).filter((p) => p && p !== ".");
  for (let depth = 0; depth <= parts.length; depth++) {
    const relDir = parts.slice(0, depth).join(sep);
    const source = join(root, relDir, "node_modules");
    const target = join(worktree, relDir, "node_modules");
    if (!existsSync(source) || existsSync(target)) continue;
    await mkdir(dirname(target), { recursive: true });
    await symlink(source, target, "junction");
  }
}

/**
 * Checks `spec.ref` out into a temporary detached worktree (`git worktree add --detach`), links
 * the project's node_modules into it, and calls `fn` with the absolute path of `spec.path` there.
 * The worktree is always removed and pruned afterwards, also when `fn` throws. An unknown ref or
 * a path missing at that ref is an InputError naming the spec.
 */
export async function withGitCheckout<T>(spec: GitSpec, cwd: string, fn: (file: string) => Promise<T>): Promise<T> {
  const where = { file: spec.text };
  if (!spec.ref || !spec.path) {
    throw new InputError("a git baseline is written git:<ref>:<path>, e.g. git:origin/main:src/orchestrators.ts", where);
  }
  let root: string;
  try {
    root = await git(cwd, ["rev-parse", "--show-toplevel"]);
  } catch {
    throw new InputError(`${cwd} is not inside a git repository, so a git: baseline cannot be checked out; pass a module path instead`, where);
  }
  let commit: string;
  try {
    commit = await git(root, ["rev-parse", "--verify", "--quiet", `${spec.ref}^{commit}`]);
  } catch {
    throw new InputError(`unknown git ref "${spec.ref}"; check the spelling or fetch it first (e.g. git fetch origin main)`, where);
  }
  const absolute = resolve(cwd, spec.path);
  const relPath = relative(root, absolute);
  if (relPath.startsWith("..") || isAbsolute(relPath)) {
    throw new InputError(`the path ${spec.path} is outside the repository ${root}`, where);
  }
  const gitPath = relPath.split(sep).join("/");
  if (!(await succeeds(root, ["cat-file", "-e", `${commit}:${gitPath}`]))) {
    throw new InputError(`${gitPath} does not exist at ${spec.ref} (${commit.slice(0, 12)}); check the path (relative to ${cwd}) or the ref`, where);
  }

  // Forget worktrees of earlier runs that were killed before their cleanup (their directories are gone).
  await git(root, ["worktree", "prune"]).catch(() => undefined);
  const temp = await mkdtemp(join(tmpdir(), "dtcheck-baseline-"));
  const worktree = join(temp, "checkout");
  try {
    await git(root, ["worktree", "add", "--detach", worktree, commit]);
    await linkNodeModules(root, worktree, relPath);
    return await fn(join(worktree, relPath));
  } finally {
    await git(root, ["worktree", "remove", "--force", worktree]).catch(() => undefined);
    await rm(temp, { recursive: true, force: true });
    await git(root, ["worktree", "prune"]).catch(() => undefined);
  }
}
