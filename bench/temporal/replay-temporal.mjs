// Replays every *.json Temporal history in a directory with Temporal's Worker.runReplayHistories,
// reading and parsing each file as it goes (as dtcheck's directory replay does), and prints one
// line: "replayed N: ok K, failed F" and the first error; exits 1 unless `expected` histories
// were all replayed ok (so a timed run is a correct one). Run by bench/temporal.bench.mjs.
// Usage: node bench/temporal/replay-temporal.mjs <dir> [expected]
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Runtime, Worker } from "@temporalio/worker";

const dir = process.argv[2];
const expected = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
const workflowsPath = fileURLToPath(new URL("./chain/temporal-workflows.mjs", import.meta.url));
// Temporal logs each bundle and each failed replay: only the results matter here.
const quiet = () => {};
Runtime.install({ logger: { log: quiet, trace: quiet, debug: quiet, info: quiet, warn: quiet, error: quiet }, telemetryOptions: { logging: { filter: "ERROR", forward: {} } } });

async function* histories() {
  for (const name of (await readdir(dir)).filter((n) => n.endsWith(".json")).sort()) {
    yield { workflowId: name, history: JSON.parse(await readFile(path.join(dir, name), "utf8")) };
  }
}

let ok = 0;
let failed = 0;
let firstError;
for await (const result of Worker.runReplayHistories({ workflowsPath, replayName: "bench" }, histories())) {
  if (result.error) {
    failed++;
    firstError ??= `${result.workflowId}: ${String(result.error.message ?? result.error).split("\n")[0]}`;
  } else ok++;
}
console.log(`replayed ${ok + failed}: ok ${ok}, failed ${failed}${firstError ? `; first error: ${firstError}` : ""}`);
if (expected !== undefined && (ok !== expected || failed !== 0)) process.exitCode = 1;
