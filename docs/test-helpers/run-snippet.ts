/**
 * Runs a docs example as a real program: written to a .ts file in a fresh temporary directory
 * outside the repository (an ES module whose imports resolve through a link to the repository's
 * node_modules), executed with Node through tsx in the directory the page names, and removed
 * afterwards.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

export interface SnippetRun {
  code: number | null;
  output: string;
}

export async function runSnippet(repoRoot: string, id: string, code: string, cwd: string, timeoutMs = 60_000): Promise<SnippetRun> {
  const dir = await mkdtemp(path.join(tmpdir(), "dtcheck-docs-snippet-"));
  await symlink(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
  await writeFile(path.join(dir, "package.json"), '{ "type": "module" }\n');
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
    await rm(dir, { recursive: true, force: true });
  }
}
