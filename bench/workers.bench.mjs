// Every core for a directory replay: `dtcheck replay <4,000 histories>` with --workers 1 against
// one contained thread per core, whole process, wall and CPU, medians of interleaved rounds.
// Target (issue 17): >= 1.5x wall on a 2-core machine. CPU rises with more threads (each loads
// the module afresh); wall is what a CI job waits for.
// Usage: npm run build && node bench/workers.bench.mjs [rounds] [histories]   (or npm run bench -- workers)
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { interleavedMedians, timedRun } from "./lib/processes.mjs";
import { ratioLine } from "./lib/stats.mjs";
import { durableTaskProject } from "./lib/user-project.mjs";

const root = fileURLToPath(new URL("../", import.meta.url));
const bin = path.join(root, "packages/cli/bin/dtcheck.js");
const rounds = Number(process.argv[2] ?? 5);
const count = Number(process.argv[3] ?? 4000);

// A user's project (one SDK installed), not this repository, where every SDK is reachable and patched in each thread.
const dir = durableTaskProject("dtcheck-workers-");
try {
  const histories = path.join(dir, "histories");
  mkdirSync(histories);
  for (let i = 0; i < count; i++) copyFileSync(path.join(dir, "history.json"), path.join(histories, `h-${String(i).padStart(5, "0")}.json`));
  const module = path.join(dir, "worker.ts");
  const commands = [
    { label: `replay ${count} histories, --workers 1`, args: ["--workers", "1"] },
    { label: `replay ${count} histories, --workers ${availableParallelism()}`, args: ["--workers", String(availableParallelism())] },
  ];
  const figures = interleavedMedians(commands, rounds, (command) => timedRun(command.label, [bin, "replay", histories, "-m", module, "-q", ...command.args], dir));
  console.log(`medians of ${rounds} interleaved rounds, whole process (Node ${process.version}); the second line's ratio is one thread's wall time over its own:`);
  const [one, all] = figures;
  console.log(ratioLine(commands[0].label, one, one));
  // Inverted so that a speed-up reads as a ratio above 1.
  const speedUp = one.wall / all.wall;
  console.log(`${commands[1].label.padEnd(44)} wall ${all.wall.toFixed(3)} s (${speedUp.toFixed(2)}x faster)  cpu ${all.cpu.toFixed(3)} s (${(all.cpu / one.cpu).toFixed(2)}x the CPU)  target >= 1.5x wall: ${speedUp >= 1.5 ? "met" : "NOT met"}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
