// Whole-process start-up: `dtcheck --help` and a one-history replay, against `node -e 0`, wall and
// CPU, medians of interleaved rounds. Targets (issue 17): --help <= 4x, one-history replay <= 6x.
// The replay runs in a throwaway project that installs only @microsoft/durabletask-js (symlinked
// from this repository), as a user's project would; the module is given once as the TypeScript
// source (loaded through tsx) and once compiled to JavaScript; and the source once more in a CommonJS project.
// Usage: npm run build && node bench/startup.bench.mjs [rounds]   (or npm run bench -- startup)
import { rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { interleavedMedians, timedRun } from "./lib/processes.mjs";
import { ratioLine } from "./lib/stats.mjs";
import { durableTaskProject } from "./lib/user-project.mjs";

const root = fileURLToPath(new URL("../", import.meta.url));
const bin = path.join(root, "packages/cli/bin/dtcheck.js");
const rounds = Number(process.argv[2] ?? 7);

const project = durableTaskProject("dtcheck-startup-");
// The same app in a CommonJS project (npm init -y, the Azure Functions template): tsx compiles its
// .ts through a require hook, with no module-hooks thread.
const commonJsProject = durableTaskProject("dtcheck-startup-cjs-", { type: "commonjs" });
try {
  const commands = [
    { label: "node -e 0", args: ["-e", "0"] },
    { label: "dtcheck --help", args: [bin, "--help"], target: 4 },
    { label: "dtcheck replay (1 history, compiled .js)", args: [bin, "replay", "history.json", "-m", "worker.js", "-q"], target: 6 },
    { label: "dtcheck replay (1 history, .ts via tsx)", args: [bin, "replay", "history.json", "-m", "worker.ts", "-q"], target: 6 },
    { label: "dtcheck replay (1 history, .ts, CommonJS project)", args: [bin, "replay", "history.json", "-m", "worker.ts", "-q"], target: 6, cwd: commonJsProject },
  ];
  const figures = interleavedMedians(commands, rounds, (command) => timedRun(command.label, command.args, command.cwd ?? project));
  console.log(`medians of ${rounds} interleaved rounds, whole process (Node ${process.version}):`);
  commands.forEach((command, i) => console.log(ratioLine(command.label, figures[i], figures[0], command.target)));
} finally {
  rmSync(project, { recursive: true, force: true });
  rmSync(commonJsProject, { recursive: true, force: true });
}
