// History parsing cost, per format, beside JSON.parse alone and beside the raw durabletask-js
// OrchestrationExecutor replaying the same 20-event histories, all measured in this one run.
// Parsing is on the replay hot path: dtcheck's replay must reach >= 50% of the raw executor.
// Build first (npm run build or npx tsc -b); run with npm run bench -- formats
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import { parseHistoryText, writeHistory } from "../packages/replay-tester/dist/index.js";
import { loadLine, median } from "./lib/stats.mjs";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

const require = createRequire(import.meta.url);
const { OrchestrationExecutor } = require("@microsoft/durabletask-js/dist/worker/orchestration-executor.js");
const { Registry } = require("@microsoft/durabletask-js/dist/worker/registry.js");
const ph = require("@microsoft/durabletask-js/dist/utils/pb-helper.util.js");
const pb = require("@microsoft/durabletask-js/dist/proto/orchestrator_service_pb.js");

const COUNT = 10_000;
const LONG_EVENTS = 100_000;

/** A canonical history: `steps` sequential activity calls, 4 events per episode. */
function canonical(steps, seed) {
  let ms = Date.UTC(2026, 0, 1) + seed * 1000;
  const ts = () => new Date((ms += 3)).toISOString();
  const events = [
    { kind: "orchestratorStarted", eventId: -1, timestamp: ts() },
    { kind: "executionStarted", eventId: -1, timestamp: ts(), name: "Sequence", instanceId: `i-${seed}`, input: `{"n":${seed}}` },
    { kind: "taskScheduled", eventId: 1, timestamp: ts(), name: "Step", input: "1" },
    { kind: "orchestratorCompleted", eventId: -1, timestamp: ts() },
  ];
  for (let id = 1; id <= steps; id++) {
    events.push({ kind: "orchestratorStarted", eventId: -1, timestamp: ts() });
    events.push({ kind: "taskCompleted", eventId: -1, timestamp: ts(), taskScheduledId: id, result: `"r${id}"` });
    if (id < steps) events.push({ kind: "taskScheduled", eventId: id + 1, timestamp: ts(), name: "Step", input: String(id + 1) });
    else events.push({ kind: "executionCompleted", eventId: -1, timestamp: ts(), status: "completed", result: `"done"` });
    events.push({ kind: "orchestratorCompleted", eventId: -1, timestamp: ts() });
  }
  return { events };
}

/** The same history as SDK protobuf messages, for the raw executor. */
function sdkEvents(steps, seed) {
  const events = [ph.newOrchestratorStartedEvent(), ph.newExecutionStartedEvent("Sequence", `i-${seed}`, `{"n":${seed}}`), ph.newTaskScheduledEvent(1, "Step", "1")];
  for (let id = 1; id <= steps; id++) {
    events.push(ph.newOrchestratorStartedEvent(), ph.newTaskCompletedEvent(id, `"r${id}"`));
    if (id < steps) events.push(ph.newTaskScheduledEvent(id + 1, "Step", String(id + 1)));
  }
  return events;
}

/**
 * Median of ROUNDS runs, wall and CPU. The ratios below are taken on CPU time, which a shared,
 * loaded machine does not stretch as it stretches wall time.
 */
async function time(label, n, unit, fn) {
  const walls = [];
  const cpus = [];
  for (let run = 0; run < ROUNDS; run++) {
    globalThis.gc?.();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    walls.push((performance.now() - t0) / 1000);
    const cpu = process.cpuUsage(cpu0);
    cpus.push((cpu.user + cpu.system) / 1e6);
  }
  const rate = n / median(cpus);
  const format = (value) => Math.round(value).toLocaleString("en-US").padStart(12);
  console.log(`${label.padEnd(44)} ${format(rate)} ${unit}/s cpu ${format(n / median(walls))} ${unit}/s wall`);
  return rate;
}

const histories = Array.from({ length: COUNT }, (_, i) => canonical(4, i)); // 20 events each
const formats = ["protobuf-json", "friendly", "df-wire", "df-http"];
const texts = Object.fromEntries(formats.map((f) => [f, histories.map((h) => writeHistory(h, f))]));
texts["friendly JSONL"] = histories.map((h) => writeHistory(h, "friendly", { jsonl: true }));

// Warm up every path once so the JIT has seen them.
for (const list of Object.values(texts)) for (let i = 0; i < 500; i++) parseHistoryText(list[i]);

console.log(loadLine("before"));
console.log(`${COUNT.toLocaleString("en-US")} histories of ${histories[0].events.length} events; medians of ${ROUNDS} rounds, ratios on CPU time`);
const rates = {};
for (const [format, list] of Object.entries(texts)) {
  const jsonOnly = format.endsWith("JSONL")
    ? await time(`  JSON.parse per line (${format})`, COUNT, "histories", () => list.forEach((t) => t.trimEnd().split("\n").map((l) => JSON.parse(l))))
    : await time(`  JSON.parse only (${format})`, COUNT, "histories", () => list.forEach((t) => JSON.parse(t)));
  rates[format] = await time(`  parseHistoryText (${format})`, COUNT, "histories", () => list.forEach((t) => parseHistoryText(t)));
  console.log(`    parse / JSON.parse = ${(rates[format] / jsonOnly).toFixed(2)}`);
}

const registry = new Registry();
registry.addNamedOrchestrator("Sequence", async function* (ctx) {
  let last;
  for (let i = 1; i <= 4; i++) last = yield ctx.callActivity("Step", i);
  return last && "done";
});
const executor = new OrchestrationExecutor(registry, { info() {}, warn() {}, error() {}, debug() {} });
const sdkHistories = Array.from({ length: COUNT }, (_, i) => sdkEvents(4, i));
const check = await executor.execute("i-0", sdkHistories[0], [ph.newOrchestratorStartedEvent()]);
const done = check.actions.at(-1)?.getCompleteorchestration()?.getOrchestrationstatus();
if (done !== pb.OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED) throw new Error("the bench orchestrator did not replay to completion");
for (let i = 0; i < 500; i++) await executor.execute(`i-${i}`, sdkHistories[i], [ph.newOrchestratorStartedEvent()]);
const executorRate = await time("  raw OrchestrationExecutor replay", COUNT, "histories", async () => {
  for (let i = 0; i < COUNT; i++) await executor.execute(`i-${i}`, sdkHistories[i], [ph.newOrchestratorStartedEvent()]);
});
for (const format of Object.keys(rates)) {
  // Share of a replay budget: parse time as a fraction of the raw executor's time per history.
  console.log(`    parse ${format} costs ${((executorRate / rates[format]) * 100).toFixed(1)}% of one raw executor replay`);
}

// Linearity: events/s on single histories of growing length should stay flat.
for (const format of ["protobuf-json", "friendly", "df-wire", "df-http"]) {
  const perSize = [];
  for (const size of [1_000, 10_000, LONG_EVENTS]) {
    const text = writeHistory(canonical(size / 4 - 1, 0), format);
    parseHistoryText(text);
    const runs = Math.max(1, Math.round(LONG_EVENTS / size / 4));
    perSize.push(await time(`  ${format}: ${runs} x ${size.toLocaleString("en-US")}-event history`, size * runs, "events", () => {
      for (let i = 0; i < runs; i++) parseHistoryText(text);
    }));
  }
  console.log(`    events/s at 100,000 / at 1,000 events = ${(perSize[2] / perSize[0]).toFixed(2)}`);
}
console.log(loadLine("after"));
