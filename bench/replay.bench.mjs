// Replay throughput: dtcheck (parse + replay + report) beside the raw durabletask-js OrchestrationExecutor
// on the same histories, in one run: wall and CPU, medians of interleaved rounds (BENCH_ROUNDS, default 5).
// Target: dtcheck >= 50% of raw, and linear in history length.
// Usage: npm run build && node bench/replay.bench.mjs   (or npm run bench -- replay)
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseHistoryText, writeHistory, replayHistory, renderResult } from "../packages/replay-tester/dist/index.js";
import { sdkAsShipped } from "./lib/sdk-as-shipped.mjs";
import { loadLine, median } from "./lib/stats.mjs";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

const root = fileURLToPath(new URL("../", import.meta.url));
const sdkRoot = `${root}node_modules/@microsoft/durabletask-js/dist`;
const require = createRequire(`${sdkRoot}/index.js`);
const { OrchestrationExecutor } = require(`${sdkRoot}/worker/orchestration-executor.js`);
const { Registry } = require(`${sdkRoot}/worker/registry.js`);
const ph = require(`${sdkRoot}/utils/pb-helper.util.js`);
const asShipped = sdkAsShipped(sdkRoot);

// The orchestrators under test: a 4-activity chain (20 events per history) and an N-step loop.
async function* chain(ctx, input) {
  let value = input;
  for (const step of ["validate", "reserve", "charge", "ship"]) value = yield ctx.callActivity(step, value);
  return value;
}
async function* loop(ctx, n) {
  let total = 0;
  for (let i = 0; i < n; i++) total += yield ctx.callActivity("step", i);
  return total;
}
const target = (name, fn) => ({ sdk: "durabletask", name, fn, sdkRoot });

/** A history of `activities` sequential calls, each completed in its own episode (4 events per episode). */
function generate(name, input, names, results) {
  let t = Date.UTC(2024, 0, 1);
  const at = () => new Date((t += 1000)).toISOString();
  const events = [
    { kind: "orchestratorStarted", eventId: -1, timestamp: at() },
    { kind: "executionStarted", eventId: -1, timestamp: at(), name, instanceId: "bench", input: JSON.stringify(input) },
  ];
  let previous = input;
  for (let i = 0; i < names.length; i++) {
    if (i > 0) {
      events.push({ kind: "orchestratorStarted", eventId: -1, timestamp: at() });
      events.push({ kind: "taskCompleted", eventId: -1, timestamp: at(), taskScheduledId: i, result: JSON.stringify(results[i - 1]) });
    }
    events.push({ kind: "taskScheduled", eventId: i + 1, timestamp: at(), name: names[i], input: JSON.stringify(previous.input ?? previous) });
    events.push({ kind: "orchestratorCompleted", eventId: -1, timestamp: at() });
    previous = results[i];
  }
  events.push({ kind: "orchestratorStarted", eventId: -1, timestamp: at() });
  events.push({ kind: "taskCompleted", eventId: -1, timestamp: at(), taskScheduledId: names.length, result: JSON.stringify(results.at(-1)) });
  events.push({ kind: "executionCompleted", eventId: -1, timestamp: at(), status: "completed", result: JSON.stringify(results.at(-1)) });
  events.push({ kind: "orchestratorCompleted", eventId: -1, timestamp: at() });
  return { events };
}

/** The same history as the SDK's own protobuf events, built with its pb-helper, split as the runtime delivers the last episode. */
function toRaw(history) {
  const ts = (e) => new Date(e.timestamp);
  const pbEvents = [];
  for (const e of history.events) {
    let ev;
    switch (e.kind) {
      case "orchestratorStarted": ev = ph.newOrchestratorStartedEvent(ts(e)); break;
      case "executionStarted": ev = ph.newExecutionStartedEvent(e.name, e.instanceId, e.input); break;
      case "taskScheduled": ev = ph.newTaskScheduledEvent(e.eventId, e.name, e.input); break;
      case "taskCompleted": ev = ph.newTaskCompletedEvent(e.taskScheduledId, e.result); break;
      case "executionCompleted": ev = ph.newExecutionCompletedEvent(1, e.result); break;
      case "orchestratorCompleted": ev = undefined; break;
    }
    pbEvents.push(ev);
  }
  let last = 0;
  history.events.forEach((e, i) => { if (e.kind === "orchestratorStarted") last = i; });
  const old = pbEvents.slice(0, last).filter(Boolean);
  // (orchestratorCompleted is ignored by the executor; raw skips it, which only favours raw.)
  const inbound = history.events.slice(last).flatMap((e, i) => (["orchestratorStarted", "taskCompleted"].includes(e.kind) ? [pbEvents[last + i]] : []));
  return { old, inbound };
}

const silent = { error() {}, warn() {}, info() {}, debug() {} };
const registry = new Registry();
registry.addNamedOrchestrator("chain", chain);
registry.addNamedOrchestrator("loop", loop);

function runRaw(raws) {
  return asShipped(async () => {
    for (const { old, inbound } of raws) {
      const result = await new OrchestrationExecutor(registry, silent).execute("bench", old, inbound);
      if (result.actions.some((a) => a.getCompleteorchestration()?.getFailuredetails())) throw new Error("raw replay failed");
    }
  });
}

async function runDtcheck(texts, tgt) {
  let report = 0;
  for (const text of texts) {
    const history = parseHistoryText(text);
    const result = await replayHistory(history, tgt, { validated: true });
    if (result.status !== "ok") throw new Error(`dtcheck replay: ${renderResult(result)}`);
    report += renderResult(result).length;
  }
  return report;
}

/** Wall and CPU seconds of one round (CPU: this process, every thread). */
async function time(fn) {
  globalThis.gc?.();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const cpu = process.cpuUsage(cpu0);
  return { wall: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
}

/**
 * The machine is shared, so raw and dtcheck run interleaved, round after round, and each figure is
 * the median of its rounds: both see the same conditions, and one disturbed round moves nothing.
 */
async function compare(rounds, raw, dtcheck) {
  const samples = [[], []];
  for (let i = 0; i < rounds; i++) {
    samples[0].push(await time(raw));
    samples[1].push(await time(dtcheck));
  }
  return samples.map((s) => ({ wall: median(s.map((x) => x.wall)), cpu: median(s.map((x) => x.cpu)) }));
}

function line(label, count, events, figure) {
  return `${label.padEnd(34)} ${(count / figure.wall).toFixed(0).padStart(9)} histories/s ${(events / figure.wall).toFixed(0).padStart(10)} events/s  (wall ${figure.wall.toFixed(2)} s, cpu ${figure.cpu.toFixed(2)} s)`;
}

/** dtcheck's throughput as a share of the raw executor's, wall and CPU, against the >= 50% target. */
function shareLine(raw, dtcheck) {
  const wall = raw.wall / dtcheck.wall;
  const cpu = raw.cpu / dtcheck.cpu;
  const verdict = (share) => (share >= 0.5 ? "met" : "NOT met");
  return `  dtcheck/raw throughput: wall ${(wall * 100).toFixed(0)}%, cpu ${(cpu * 100).toFixed(0)}%  target >= 50%: wall ${verdict(wall)}, cpu ${verdict(cpu)}`;
}

// 1. 10,000 generated 20-event histories with varied data.
const small = [];
for (let i = 0; i < 10_000; i++) {
  const input = { order: i, items: i % 7 };
  const results = [1, 2, 3, 4].map((k) => ({ order: i, step: k, ok: (i + k) % 3 !== 0 }));
  small.push(generate("chain", input, ["validate", "reserve", "charge", "ship"], results));
}
const smallEvents = small.reduce((n, h) => n + h.events.length, 0);
const smallTexts = small.map((h) => writeHistory(h, "protobuf-json"));
const smallRaw = small.map(toRaw);
const chainTarget = target("chain", chain);

await runRaw(smallRaw.slice(0, 500)); // warm-up
await runDtcheck(smallTexts.slice(0, 500), chainTarget);
console.log(loadLine("before"));
const [rawSmall, dtSmall] = await compare(ROUNDS, () => runRaw(smallRaw), () => runDtcheck(smallTexts, chainTarget));

// 2. One 100,000-event history (24,999 sequential activities).
const n = 24_999;
const big = generate("loop", n, Array.from({ length: n }, () => "step"), Array.from({ length: n }, (_, i) => i));
const bigText = writeHistory(big, "protobuf-json");
const bigRaw = [toRaw(big)];
const loopTarget = target("loop", loop);
const [rawBig, dtBig] = await compare(ROUNDS, () => runRaw(bigRaw), () => runDtcheck([bigText], loopTarget));

console.log(loadLine("after"));
console.log(`medians of ${ROUNDS} interleaved rounds`);
console.log(`replay of ${small.length} histories x ${smallEvents / small.length} events (durabletask-js ${require(`${sdkRoot}/../package.json`).version}, Node ${process.version})`);
console.log(line("  raw OrchestrationExecutor", small.length, smallEvents, rawSmall));
console.log(line("  dtcheck parse+replay+report", small.length, smallEvents, dtSmall));
console.log(shareLine(rawSmall, dtSmall));
console.log(`replay of 1 history x ${big.events.length} events`);
console.log(line("  raw OrchestrationExecutor", 1, big.events.length, rawBig));
console.log(line("  dtcheck parse+replay+report", 1, big.events.length, dtBig));
console.log(shareLine(rawBig, dtBig));
// CPU, not wall: what the code costs, whatever else the machine runs.
const perEventSmall = dtSmall.cpu / smallEvents;
const perEventBig = dtBig.cpu / big.events.length;
console.log(`linearity: dtcheck per-event cost, 100k-event history / 20-event histories = ${(perEventBig / perEventSmall).toFixed(2)}x (CPU; 1.00 = linear)`);
