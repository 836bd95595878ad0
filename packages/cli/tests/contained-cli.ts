import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { BIN } from "./run-cli.js";

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI without blocking the test's process, so a loopback listener there can count
 * what reaches it. A CLI that never exits fails the test by its timeout; the kill only makes sure
 * the process does not outlive the test.
 */
export function runCliWatched(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    const kill = setTimeout(() => child.kill("SIGKILL"), 100_000);
    child.on("close", (code) => {
      clearTimeout(kill);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A loopback listener on a free port that counts the connections user code manages to open. */
export async function connectionCounter(): Promise<{ port: number; connections(): number; close(): Promise<void> }> {
  let connections = 0;
  const listener = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  return {
    port: (listener.address() as { port: number }).port,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => listener.close(() => resolve())),
  };
}
