/**
 * The fresh projects the end-to-end test installs dtcheck into: a template folder from
 * fixtures/e2e, a package manager, and the package.json a user of that toolchain would have.
 */
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

export const repoRoot = path.resolve(import.meta.dirname, "../../../..");
export const templatesDir = path.join(repoRoot, "fixtures/e2e");

export interface ProjectSpec {
  name: string;
  template: "durabletask-esm" | "durabletask-cjs" | "functions-app";
  manager: "npm" | "pnpm";
  /** package.json fields besides the dependencies (type, main). */
  manifest: Record<string, unknown>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  /** The file that registers the orchestrators, as `dtcheck init` should find it. */
  worker: string;
  /** What `--module` is given for replay, record and fuzz (a file, or `.` for a function app). */
  module: string;
  /** The next version of the worker, for drift. */
  candidate: string;
  orchestrator: string;
  /** The file under probe/ with one known hazard. */
  probe: string;
  /** The warnings lint reports on the worker (rule ids). */
  workerFindings: string[];
  /** Whether the project's own ESLint runs the config `init` writes (it needs typescript-eslint installed). */
  ownEslint: boolean;
  /** Extra `dtcheck lint` arguments. */
  lintArgs?: string[];
}

export const DTCHECK = { "@dtcheck/cli": "0.1.0", "@dtcheck/eslint-plugin": "0.1.0" };

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The environment for package managers and the installed CLI: the registry is the loopback one,
 * and the npm_* variables of the `npm test` that runs this test do not leak into the children.
 */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key) && key !== "NODE_OPTIONS" && !key.startsWith("VITEST") && key !== "FORCE_COLOR") env[key] = value;
  }
  return { ...env, NO_COLOR: "1", CI: "1", ...extra };
}

export function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }));
  });
}

/** Writes the project: the template's files and a package.json for the spec. */
export function createProject(root: string, spec: ProjectSpec): string {
  const dir = path.join(root, spec.name);
  mkdirSync(dir, { recursive: true });
  cpSync(path.join(templatesDir, spec.template), dir, { recursive: true });
  const manifest = { name: spec.name, version: "1.0.0", private: true, ...spec.manifest, dependencies: spec.dependencies, devDependencies: spec.devDependencies };
  writeFileSync(path.join(dir, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
  // What docs/getting-started.md#pnpm tells pnpm users: the SDK's dependencies have install
  // scripts that pnpm 10+ refuses to leave unapproved, and neither the SDK nor dtcheck needs them.
  if (spec.manager === "pnpm") writeFileSync(path.join(dir, "pnpm-workspace.yaml"), "strictDepBuilds: false\n");
  return dir;
}
