import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BIN, REPO } from "../run-cli.js";

/*
 * Fault injection: a real `drift --baseline git:HEAD:worker.ts` run in a throwaway repository is
 * interrupted at several points (its temporary directory exists; its worktree is registered;
 * the baseline is running), with SIGINT and SIGTERM. Every time it must exit 130 / 143 and leave
 * `git worktree list` and its temp folder as they were. A SIGKILL cannot be handled: the next run
 * removes what it left.
 */
vi.setConfig({ testTimeout: 180_000 });
const v1 = path.join(REPO, "fixtures/apps/durabletask/versioned/v1");
let repo: string;
let privateTmp: string;
const children: ChildProcess[] = [];

const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, encoding: "utf8" });
const worktrees = () => git("worktree", "list", "--porcelain").split("\n").filter((l) => l.startsWith("worktree "));
const baselineDirs = () => readdirSync(privateTmp).filter((d) => d.startsWith("dtcheck-baseline-"));
const checkout = () => {
  const [dir] = baselineDirs();
  return dir ? path.join(privateTmp, dir, "checkout") : undefined;
};

// A repository and a temp folder per test, so one failure cannot leave a directory that fails the next.
beforeEach(() => {
  repo = mkdtempSync(path.join(tmpdir(), "dtcheck-signals-repo-"));
  privateTmp = mkdtempSync(path.join(tmpdir(), "dtcheck-signals-tmp-"));
  cpSync(v1, repo, { recursive: true });
  symlinkSync(path.join(REPO, "node_modules"), path.join(repo, "node_modules"));
  writeFileSync(path.join(repo, ".gitignore"), "node_modules\n.dtcheck\n");
  writeFileSync(path.join(repo, "package.json"), JSON.stringify({ name: "orders", private: true, type: "module" }));
  git("init", "-q");
  git("-c", "user.email=t@example.com", "-c", "user.name=t", "add", ".");
  git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "v1");
});
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = once(child, "exit");
      child.kill("SIGKILL");
      await gone;
    }
  }
  rmSync(repo, { recursive: true, force: true });
  rmSync(privateTmp, { recursive: true, force: true });
});

/** A drift run that goes on far longer than the test waits (the candidate is the baseline, so it never stops at a failure). */
function startDrift(runs: number): { child: ChildProcess; exited: Promise<[number | null, NodeJS.Signals | null]> } {
  const child = spawn(process.execPath, [BIN, "drift", "--baseline", "git:HEAD:worker.ts", "--candidate", "worker.ts", "--runs", String(runs), "--seed", "3", "-q"], {
    cwd: repo,
    env: { ...process.env, TMPDIR: privateTmp, NO_COLOR: "1", FORCE_COLOR: undefined },
    stdio: "ignore",
  });
  children.push(child);
  return { child, exited: once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]> };
}

/** Polls the file system until the run reaches a point; fails if it exits first. */
async function until(child: ChildProcess, reached: () => boolean, what: string): Promise<void> {
  while (!reached()) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the run ended (code ${child.exitCode}) before ${what}`);
    await sleep(2);
  }
}

const points: Record<string, () => boolean> = {
  "its temporary directory exists": () => baselineDirs().length === 1,
  "its worktree is registered": () => worktrees().length === 2,
  "the baseline is running": () => existsSync(path.join(checkout() ?? "/nonexistent", "node_modules")),
};

describe("drift with a git: baseline cleans up on every exit path", () => {
  it.each([
    ["SIGINT", "its temporary directory exists", 130],
    ["SIGTERM", "its worktree is registered", 143],
    ["SIGINT", "the baseline is running", 130],
    ["SIGTERM", "the baseline is running", 143],
  ] as const)("%s when %s: exit %d, no worktree, no temp directory", async (signal, point, code) => {
    const { child, exited } = startDrift(100_000);
    await until(child, points[point]!, point);
    child.kill(signal);
    expect(await exited).toEqual([code, null]);
    expect(worktrees()).toHaveLength(1);
    expect(baselineDirs()).toEqual([]);
  });

  // The instant after the directory appears is the narrowest window (a handler installed a few
  // statements late lost about one run in four), so it is hit several times in a row.
  it("SIGINT the moment its temporary directory appears, five times in a row: exit 130 and nothing left each time", async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const { child, exited } = startDrift(100_000);
      await until(child, points["its temporary directory exists"]!, "its temporary directory exists");
      child.kill("SIGINT");
      expect(await exited).toEqual([130, null]);
      expect(worktrees()).toHaveLength(1);
      expect(baselineDirs()).toEqual([]);
    }
  });

  // Points no poll picks: a seeded delay after the start, anywhere from before dtcheck has set up its
  // handlers to well into the baseline's run. (A signal that lands before the handlers are installed
  // ends Node by its default action, which the shell reports as the same 130 / 143.)
  it("SIGINT or SIGTERM at seeded random points: the signal's exit code and nothing left, every time", async () => {
    let state = 12;
    const random = () => {
      // mulberry32: small, seeded, reproducible
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const outcomes: string[] = [];
    for (let attempt = 0; attempt < 8; attempt++) {
      const signal = attempt % 2 === 0 ? "SIGINT" : "SIGTERM";
      const delayMs = Math.floor(random() * 1500);
      const { child, exited } = startDrift(100_000);
      await sleep(delayMs);
      child.kill(signal);
      const [code, by] = await exited;
      const shellCode = code ?? (by === "SIGINT" ? 130 : by === "SIGTERM" ? 143 : -1);
      outcomes.push(`${signal} after ${delayMs} ms: ${shellCode}, ${worktrees().length - 1} worktrees, ${baselineDirs().length} temp dirs left`);
    }
    expect(outcomes).toEqual(outcomes.map((line) => line.replace(/: .*/, `: ${line.startsWith("SIGINT") ? 130 : 143}, 0 worktrees, 0 temp dirs left`)));
  });

  it("after a SIGKILL, which no handler sees, the next run removes the leftover checkout", async () => {
    const killed = startDrift(100_000);
    await until(killed.child, points["the baseline is running"]!, "the baseline is running");
    killed.child.kill("SIGKILL");
    expect(await killed.exited).toEqual([null, "SIGKILL"]);
    expect(worktrees()).toHaveLength(2);
    expect(baselineDirs()).toHaveLength(1);
    const next = startDrift(2);
    expect(await next.exited).toEqual([0, null]);
    expect(worktrees()).toHaveLength(1);
    expect(baselineDirs()).toEqual([]);
  });
});
