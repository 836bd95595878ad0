// Runs every bench/*.bench.mjs in turn (each prints its own ratios, measured in one run).
// Usage: npm run bench [-- name-filter]
import { readdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

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
for (const bench of benches) {
  console.log(`\n== ${bench} ==`);
  const run = spawnSync(process.execPath, ["--expose-gc", `${dir}${bench}`], { stdio: "inherit" });
  if (run.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
