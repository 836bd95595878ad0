import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { mkdir, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { promisify } from "node:util";
import { onExitCleanup } from "../cleanup/on-exit.js";
import { escapeRegExp, InputError } from "../errors.js";
import type { GitSpec } from "./git-spec.js";

const PREFIX = "dtcheck-baseline-";
/** Beside the checkout: the pid of the run that owns it, so a later run can tell a leftover from a live one. */
const OWNER_FILE = "owner";

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
 * a path missing at that ref is an InputError naming the spec. `fn` also gets `relabel`, which
 * names the checkout's files in a result as the user would (`git:<ref>:<path>`), not by the
 * temporary directory, which is gone by the time the result is read.
 */
export async function withGitCheckout<T>(spec: GitSpec, cwd: string, fn: (file: string, relabel: <V>(value: V) => V) => Promise<T>): Promise<T> {
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

  removeStaleCheckouts(root);
  // The signal handlers are installed before anything exists on disk: a process can be descheduled
  // between two statements, and a SIGINT in that gap would find no handler and leave the
  // directory behind. A handler runs only between synchronous steps, so by the time it does,
  // `temp` names whatever mkdtempSync created.
  let temp: string | undefined;
  const release = onExitCleanup(() => {
    if (temp !== undefined) removeCheckout(root, temp);
  });
  try {
    temp = mkdtempSync(join(tmpdir(), PREFIX));
    const worktree = join(temp, "checkout");
    writeFileSync(join(temp, OWNER_FILE), String(process.pid));
    // Synchronous on purpose: a signal is handled after git returns, never while it half-writes the worktree.
    execFileSync("git", ["worktree", "add", "--detach", worktree, commit], { cwd: root, stdio: "pipe" });
    await linkNodeModules(root, worktree, relPath);
    return await fn(join(worktree, relPath), checkoutRelabel(worktree, root, spec.ref, cwd));
  } finally {
    release();
  }
}

function gitSync(root: string, args: string[]): string {
  try {
    return execFileSync("git", args, { cwd: root, stdio: "pipe", encoding: "utf8" });
  } catch {
    return "";
  }
}

/** Unregisters and deletes one checkout; synchronous, so it also runs from a signal handler. */
function removeCheckout(root: string, temp: string): void {
  gitSync(root, ["worktree", "remove", "--force", join(temp, "checkout")]);
  rmSync(temp, { recursive: true, force: true });
  // Forgets the registration too when the remove failed half-way (the directory is gone now).
  gitSync(root, ["worktree", "prune"]);
}

/** A run writes its owner file right after creating the directory; give one without it this long. */
const OWNERLESS_GRACE_MS = 10 * 60 * 1000;

function ownerAlive(temp: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(temp, OWNER_FILE), "utf8"));
  } catch {
    // No owner file: a run between mkdtemp and writing it, or one killed in that instant (or an older dtcheck).
    try {
      return Date.now() - statSync(temp).mtimeMs < OWNERLESS_GRACE_MS;
    } catch {
      return false;
    }
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes what runs killed beyond any handler (SIGKILL, a power cut) left: checkouts registered
 * in this repository, and baseline directories in the temp folder, whose owner is no longer
 * running. Checkouts of runs still in progress are left alone.
 */
function removeStaleCheckouts(root: string): void {
  for (const line of gitSync(root, ["worktree", "list", "--porcelain"]).split("\n")) {
    if (!line.startsWith("worktree ")) continue;
    const path = line.slice("worktree ".length);
    const temp = dirname(path);
    if (basename(path) === "checkout" && basename(temp).startsWith(PREFIX) && !ownerAlive(temp)) removeCheckout(root, temp);
  }
  gitSync(root, ["worktree", "prune"]);
  removeStaleTempDirs();
}

/** Baseline directories in the temp folder whose run is gone and that no repository still lists. */
function removeStaleTempDirs(dir = tmpdir()): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of entries) {
    const temp = join(dir, name);
    if (name.startsWith(PREFIX) && !ownerAlive(temp)) rmSync(temp, { recursive: true, force: true });
  }
}

/** Rewrites every mention of a file in `worktree` (absolute, or relative to `cwd`) in a result's strings as `git:<ref>:<path relative to cwd>`. */
function checkoutRelabel(worktree: string, root: string, ref: string, cwd: string): <V>(value: V) => V {
  const forms = [worktree, relative(cwd, worktree)].filter((form) => form.length > 0);
  const pattern = new RegExp(`(?:${forms.map(escapeRegExp).join("|")})${escapeRegExp(sep)}([^\\s:()"'\`,]+)`, "g");
  const rename = (text: string) => text.replace(pattern, (_, rest: string) => `git:${ref}:${relative(cwd, join(root, rest)).split(sep).join("/")}`);
  const walk = (value: unknown): unknown => {
    if (typeof value === "string") return rename(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, walk(inner)]));
    }
    return value;
  };
  return <V>(value: V) => walk(value) as V;
}
