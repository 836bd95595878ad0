// Shared by the whole-process benches: one timed run of a node process, and interleaved rounds.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { loadLine, median } from "./stats.mjs";

/** Preloaded into each measured process: it reports its own CPU time on stderr as it exits. */
const cpuAtExit = fileURLToPath(new URL("./cpu-at-exit.cjs", import.meta.url));

/** Runs `node <args>` in `cwd`: its wall time, the CPU time it reported (seconds) and its peak RSS (MB). Throws on a failed run. */
export function timedRun(label, args, cwd) {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ["-r", cpuAtExit, ...args], { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = /bench-cpu-us (\d+)/.exec(child.stderr);
  if (child.status !== 0 || !cpu) throw new Error(`${label} failed (exit ${child.status}): ${child.stderr.slice(0, 2000)}${child.stdout.slice(0, 2000)}`);
  const rss = /bench-maxrss-kb (\d+)/.exec(child.stderr);
  return { wall, cpu: Number(cpu[1]) / 1e6, rssMb: rss ? Number(rss[1]) / 1024 : undefined };
}

/**
 * `rounds` rounds of every command in turn (so that a disturbance hits all of them alike), after
 * one warm-up run each (file cache, tsx's transform cache); the medians of wall and CPU per command.
 * Prints the load average before and after.
 */
export function interleavedMedians(commands, rounds, run) {
  commands.forEach(run);
  const samples = commands.map(() => ({ wall: [], cpu: [] }));
  console.log(loadLine("before"));
  for (let round = 0; round < rounds; round++) {
    commands.forEach((command, i) => {
      const { wall, cpu } = run(command);
      samples[i].wall.push(wall);
      samples[i].cpu.push(cpu);
    });
  }
  console.log(loadLine("after"));
  return samples.map((s) => ({ wall: median(s.wall), cpu: median(s.cpu) }));
}
