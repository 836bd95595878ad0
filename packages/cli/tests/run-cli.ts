import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

export const BIN = fileURLToPath(new URL("../bin/dtcheck.js", import.meta.url));
export const REPO = fileURLToPath(new URL("../../../", import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built dtcheck binary as a user would, without a TTY and without colors. */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliRun {
  const run = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? REPO,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, ...options.env },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** An input error is exactly one line on stderr, exit 2, and never a stack trace. */
export function expectOneLineError(run: CliRun): string {
  const lines = run.stderr.trim().split("\n").filter((l) => !l.startsWith("npm warn"));
  if (run.code !== 2) throw new Error(`expected exit 2, got ${run.code}: ${run.stderr}`);
  if (lines.length !== 1) throw new Error(`expected one line on stderr, got:\n${run.stderr}`);
  if (/\n\s+at /.test(run.stderr)) throw new Error(`stack trace printed:\n${run.stderr}`);
  return lines[0]!;
}

/** Exit 2, one line on stderr, no stack trace, nothing on stdout; the line. Asserted with expect, so a failure shows what was printed. */
export function oneErrorLine(run: CliRun): string {
  expect(run.code, run.stderr).toBe(2);
  expect(run.stdout).toBe("");
  expect(run.stderr).not.toMatch(/\n\s+at /);
  const lines = run.stderr.trim().split("\n");
  expect(lines, run.stderr).toHaveLength(1);
  return lines[0]!;
}

/**
 * runCli without blocking the test's event loop: for tests whose CLI talks to a server running in
 * the test process (a loopback gRPC or HTTP server), which spawnSync would freeze.
 */
export function runCliAsync(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? REPO,
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
