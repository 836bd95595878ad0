// Shared by the benches: medians, load average, one figure line with its ratio and target.
import { performance } from "node:perf_hooks";
import { loadavg } from "node:os";

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Runs `fn` once in this process: its CPU time (user + system) and wall time, in ms. No forced GC
 * first: a full collection shrinks the young generation back to its start size, so the round after
 * it runs like a fresh process's first second (measured on the typed fuzz chain: about a third
 * slower than the same rounds without it), not like the long run the figure stands for.
 */
export async function timeInProcess(fn) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { cpuMs: (cpu.user + cpu.system) / 1000, wallMs };
}

export function loadLine(when) {
  return `load average ${when}: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`;
}

/** "label  wall 0.153 s (2.6x)  cpu 0.121 s (2.0x)  target <= 4x: wall met, cpu met" */
export function ratioLine(label, figure, baseline, maxRatio) {
  const wallRatio = figure.wall / baseline.wall;
  const cpuRatio = figure.cpu / baseline.cpu;
  const verdict = (ratio) => (ratio <= maxRatio ? "met" : "NOT met");
  // Both are shown: on a loaded machine wall time stretches while CPU time does not.
  const target = maxRatio === undefined ? "" : `  target <= ${maxRatio}x: wall ${verdict(wallRatio)}, cpu ${verdict(cpuRatio)}`;
  return `${label.padEnd(44)} wall ${figure.wall.toFixed(3)} s (${wallRatio.toFixed(1)}x)  cpu ${figure.cpu.toFixed(3)} s (${cpuRatio.toFixed(1)}x)${target}`;
}
