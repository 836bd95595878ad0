// Whole-process start-up: `dtcheck --help` and a one-history replay, against `node -e 0`, wall and
// CPU, medians of interleaved rounds. Targets (issue 17): --help <= 4x, one-history replay <= 6x.
// The replay runs in a throwaway project that installs only @microsoft/durabletask-js (symlinked
// from this repository), as a user's project would; the module is given once as the TypeScript
// source (loaded through tsx) and once compiled to JavaScript.
// Usage: npm run build && node bench/startup.bench.mjs [rounds]   (or npm run bench -- startup)
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { interleavedMedians, timedRun } from "./lib/processes.mjs";
import { ratioLine } from "./lib/stats.mjs";

const root = fileURLToPath(new URL("../", import.meta.url));
const bin = path.join(root, "packages/cli/bin/dtcheck.js");
const rounds = Number(process.argv[2] ?? 7);
const app = path.join(root, "fixtures/apps/durabletask/chaining");

const project = mkdtempSync(path.join(tmpdir(), "dtcheck-startup-"));
try {
  writeFileSync(path.join(project, "package.json"), JSON.stringify({ type: "module" }));
  mkdirSync(path.join(project, "node_modules/@microsoft"), { recursive: true });
  symlinkSync(path.join(root, "node_modules/@microsoft/durabletask-js"), path.join(project, "node_modules/@microsoft/durabletask-js"), "dir");
  copyFileSync(path.join(app, "histories/onboardUser.protobuf-json.json"), path.join(project, "history.json"));
  // esbuild is what tsx compiles with; the compiled copy is what `tsc` would give the user.
  const esbuild = createRequire(createRequire(import.meta.url).resolve("tsx"))("esbuild");
  for (const name of ["worker", "orchestrators", "activities"]) {
    const source = readFileSync(path.join(app, `${name}.ts`), "utf8");
    writeFileSync(path.join(project, `${name}.ts`), source);
    writeFileSync(path.join(project, `${name}.js`), esbuild.transformSync(source, { loader: "ts", format: "esm" }).code);
  }

  const commands = [
    { label: "node -e 0", args: ["-e", "0"] },
    { label: "dtcheck --help", args: [bin, "--help"], target: 4 },
    { label: "dtcheck replay (1 history, compiled .js)", args: [bin, "replay", "history.json", "-m", "worker.js", "-q"], target: 6 },
    { label: "dtcheck replay (1 history, .ts via tsx)", args: [bin, "replay", "history.json", "-m", "worker.ts", "-q"], target: 6 },
  ];
  const figures = interleavedMedians(commands, rounds, (command) => timedRun(command.label, command.args, project));
  console.log(`medians of ${rounds} interleaved rounds, whole process (Node ${process.version}):`);
  commands.forEach((command, i) => console.log(ratioLine(command.label, figures[i], figures[0], command.target)));
} finally {
  rmSync(project, { recursive: true, force: true });
}
