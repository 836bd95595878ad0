// Streaming, bounded memory (issue 17 item 4): `dtcheck replay <dir>` over a great many small
// histories, whole process, peak RSS (the process's high-water mark, threads included) against the
// target of 300 MB for 1,000,000 histories. The histories are generated on the fly (copies of two
// small templates, friendly and protobuf-json, each with its own instance id) into one flat temp
// folder, the hardest case for the file list; the report is JSON to a file, the format that holds
// every case. The default sizes (100,000 and 300,000) show whether RSS stays flat as the count
// triples; DTCHECK_BENCH_STREAM_1M=1 adds the 1,000,000 run (several minutes on 2 cores).
// Usage: npm run build && node bench/stream.bench.mjs [counts, comma-separated]
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { timedRun } from "./lib/processes.mjs";
import { loadLine } from "./lib/stats.mjs";

const root = fileURLToPath(new URL("../", import.meta.url));
const bin = path.join(root, "packages/cli/bin/dtcheck.js");
const app = path.join(root, "fixtures/apps/durabletask/chaining");
const TARGET_MB = 300;
const counts = (process.argv[2] ?? `100000,300000${process.env.DTCHECK_BENCH_STREAM_1M === "1" ? ",1000000" : ""}`).split(",").map(Number);

// Minified templates whose instance id is a placeholder: a file is one string replace and one write.
const templates = ["protobuf-json", "friendly"].map((format) => {
  const text = JSON.stringify(JSON.parse(readFileSync(path.join(app, `histories/onboardUser.${format}.json`), "utf8")));
  if (!text.includes("golden-durabletask-chaining")) throw new Error(`the ${format} template has no instance id to vary`);
  return text.split("golden-durabletask-chaining");
});

const dir = mkdtempSync(path.join(tmpdir(), "dtcheck-stream-"));
try {
  const histories = path.join(dir, "histories");
  mkdirSync(histories);
  let written = 0;
  console.log(loadLine("before"));
  for (const count of counts) {
    const started = process.hrtime.bigint();
    for (; written < count; written++) {
      const [before, after] = templates[written % templates.length];
      writeFileSync(path.join(histories, `h-${String(written).padStart(7, "0")}.json`), `${before}order-${written}${after}`);
    }
    const generated = Number(process.hrtime.bigint() - started) / 1e9;
    const out = path.join(dir, "report.json");
    const run = timedRun(`replay ${count}`, [bin, "replay", histories, "-m", path.join(app, "worker.ts"), "-q", "--format", "json", "-o", out], dir);
    const report = JSON.parse(readFileSync(out, "utf8"));
    if (report.cases.length !== count || !report.summary.startsWith(`${count} histories replayed: ${count} ok`)) throw new Error(`replay ${count}: unexpected report: ${report.summary}`);
    rmSync(out);
    const verdict = run.rssMb <= TARGET_MB ? "met" : "NOT met";
    console.log(
      `replay ${count.toLocaleString("en")} histories (JSON report)`.padEnd(44) +
        ` peak RSS ${run.rssMb.toFixed(0)} MB  target <= ${TARGET_MB} MB: ${verdict}  wall ${run.wall.toFixed(1)} s (${(count / run.wall).toFixed(0)} histories/s)  cpu ${run.cpu.toFixed(1)} s  (generated in ${generated.toFixed(1)} s)`,
    );
  }
  console.log(loadLine("after"));
  if (!counts.includes(1_000_000)) console.log("1,000,000 histories not run (several minutes on 2 cores): DTCHECK_BENCH_STREAM_1M=1 node bench/stream.bench.mjs; the sizes above show whether peak RSS grows with the count");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
