/**
 * Runs a docs example as a real program: written to a temporary .ts file inside the repository (so
 * imports resolve from its node_modules), executed with Node through tsx in the directory the
 * page names, and removed afterwards.
 */
import { spawn } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";

export interface SnippetRun {
  code: number | null;
  output: string;
}

export async function runSnippet(repoRoot: string, id: string, code: string, cwd: string, timeoutMs = 60_000): Promise<SnippetRun> {
  const dir = path.join(repoRoot, ".dtcheck-tmp", "docs-snippets");
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${id}.ts`);
  await writeFile(file, code);
  try {
    return await new Promise<SnippetRun>((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", file], {
        cwd,
        env: { ...process.env, NO_COLOR: "1" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      const timer = setTimeout(() => child.kill(), timeoutMs);
      child.on("error", reject);
      child.on("close", (exitCode) => {
        clearTimeout(timer);
        resolve({ code: exitCode, output });
      });
    });
  } finally {
    await rm(file, { force: true });
  }
}
