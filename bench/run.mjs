// Runs every bench/*.bench.mjs in turn (each prints its own figures with their ratios and targets,
// measured in one run), with the machine's load average before and after: on a shared machine a
// high load stretches wall times, which is why the benches print CPU time beside them.
// Usage: npm run bench [-- name-filter]
import { readdirSync } from "node:fs";
import os from "node:os";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { loadLine } from "./lib/stats.mjs";

const dir = fileURLToPath(new URL(".", import.meta.url));
const filter = process.argv[2];
const benches = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.mjs") && (!filter || f.includes(filter)))
  .sort();
if (benches.length === 0) {
  console.error(`no benchmark matches ${filter ?? "bench/*.bench.mjs"}`);
  process.exit(2);
}
let failed = 0;
const started = Date.now();
console.log(`${loadLine("at start")} (${os.availableParallelism()} cores)`);
for (const bench of benches) {
  console.log(`\n== ${bench} ==`);
  const run = spawnSync(process.execPath, ["--expose-gc", `${dir}${bench}`], { stdio: "inherit" });
  if (run.status !== 0) failed++;
}
console.log(`\n${loadLine("at end")}; ${benches.length} benches in ${((Date.now() - started) / 1000).toFixed(0)} s${failed ? `, ${failed} failed` : ""}`);
process.exit(failed ? 1 : 0);
