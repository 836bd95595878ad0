// Fuzzing throughput: histories generated per second (fast-check world + the SDK's own executor,
// driven as one execution per history) and then replayed, for a 10-activity chain and the fan-out/fan-in newsletter,
// beside the raw durabletask-js OrchestrationExecutor replaying the same histories, in one run;
// and how long fast-check takes to find and shrink a drift failure.
// Targets: >= 1,000 generated histories/s for the chain; shrinking < 5 s. The typed chain of
// fixtures/explore is fuzzed with inferred inputs and results only (no fuzz config), and the one-off
// cost of reading an orchestrator's types is measured on the fixtures' orchestrators.
// Rates are per second of this process's CPU time (user + system), so other processes on a shared
// machine do not distort them; wall-clock rates are printed beside them.
// Usage: npx tsc -b && npm run bench -- fuzz
import { createRequire } from "node:module";
import os from "node:os";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { sdkAsShipped } from "./lib/sdk-as-shipped.mjs";
import { timeInProcess } from "./lib/stats.mjs";
import { checkDeterminism, checkDrift, choicesFrom, generateInstance, inferValues, loadModule, replayHistory, resolveFuzzValues, withSeededSession } from "../packages/replay-tester/dist/index.js";

const root = fileURLToPath(new URL("../", import.meta.url));
// CPU-time rates resist other processes, but a loaded machine still slows caches and turbo: say how loaded it was.
const loadText = () => `load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} on ${os.cpus().length} cores`;
console.log(`fuzz bench start: ${loadText()}`);
const sdkRoot = `${root}node_modules/@microsoft/durabletask-js/dist`;
const require = createRequire(`${sdkRoot}/index.js`);
const { OrchestrationExecutor } = require(`${sdkRoot}/worker/orchestration-executor.js`);
const { Registry } = require(`${sdkRoot}/worker/registry.js`);
const { whenAll } = require(`${sdkRoot}/index.js`);
const ph = require(`${sdkRoot}/utils/pb-helper.util.js`);
const asShipped = sdkAsShipped(sdkRoot);

const STEPS = ["validate", "reserve", "price", "tax", "charge", "invoice", "pack", "label", "ship", "notify"];
async function* chain(ctx, input) {
  let value = input;
  for (const step of STEPS) value = yield ctx.callActivity(step, value);
  return value;
}
/** Same chain with one activity renamed: the drift the shrinking measurement looks for. */
async function* chainRenamed(ctx, input) {
  let value = input;
  for (const step of STEPS) value = yield ctx.callActivity(step === "tax" ? "computeTax" : step, value);
  return value;
}
/** The newsletter sample: fan out one summary per article, fan in, render, send. */
async function* newsletter(ctx, request) {
  const summaries = yield whenAll(request.articles.map((article) => ctx.callActivity("summarizeArticle", article)));
  const html = yield ctx.callActivity("renderNewsletter", { title: request.title, summaries });
  const messageId = yield ctx.callActivity("sendNewsletter", { to: request.subscribers, html });
  return { articles: summaries.length, messageId };
}
const target = (name, fn) => ({ sdk: "durabletask", name, fn, sdkRoot });

const worlds = {
  chain: { target: target("chain", chain), fuzz: { input: fc.nat(), activities: Object.fromEntries(STEPS.map((s) => [s, fc.nat()])), failurePercent: 0, lifecycle: false } },
  newsletter: {
    target: target("newsletter", newsletter),
    fuzz: {
      input: fc.record({ title: fc.string({ maxLength: 8 }), articles: fc.array(fc.string({ maxLength: 8 }), { minLength: 1, maxLength: 8 }), subscribers: fc.array(fc.emailAddress(), { maxLength: 3 }) }),
      activities: { summarizeArticle: fc.string({ maxLength: 12 }), renderNewsletter: fc.string({ maxLength: 12 }), sendNewsletter: fc.uuid() },
      failurePercent: 0,
      lifecycle: false,
    },
  },
};

/** Canonical events to the SDK's protobuf events (the kinds these histories hold), for the raw executor. */
function toPb(events) {
  const out = [];
  for (const e of events) {
    switch (e.kind) {
      case "orchestratorStarted": out.push(ph.newOrchestratorStartedEvent(new Date(e.timestamp))); break;
      case "executionStarted": out.push(ph.newExecutionStartedEvent(e.name, e.instanceId, e.input)); break;
      case "taskScheduled": out.push(ph.newTaskScheduledEvent(e.eventId, e.name, e.input)); break;
      case "taskCompleted": out.push(ph.newTaskCompletedEvent(e.taskScheduledId, e.result)); break;
      default: break; // orchestratorCompleted / executionCompleted: no-ops for the executor
    }
  }
  return out;
}

/**
 * The per-episode invocations the runtime makes for each history: the history so far
 * as old events, the episode's own events as new ones, on protobuf events pre-built with the SDK's
 * pb-helper.
 */
function perEpisodeInvocations(histories) {
  const invocations = [];
  for (const h of histories) {
    let start = 0;
    for (let i = 1; i <= h.events.length; i++) {
      if (i < h.events.length && h.events[i].kind !== "orchestratorStarted") continue;
      const episode = h.events.slice(start, i).filter((e) => e.kind === "orchestratorStarted" || e.kind === "executionStarted" || e.kind === "taskCompleted");
      invocations.push([toPb(h.events.slice(0, start)), toPb(episode)]);
      start = i;
    }
  }
  return invocations;
}

function rate(n, ms) {
  return Math.round((n * 1000) / ms);
}

/** Best of three rounds of `fn`, by CPU time; returns { cpuMs, wallMs } of the best round. */
async function best(fn) {
  let result = { cpuMs: Infinity, wallMs: Infinity };
  for (let round = 0; round < 3; round++) {
    const timing = await timeInProcess(fn);
    if (timing.cpuMs < result.cpuMs) result = timing;
  }
  return result;
}
const show = (n, { cpuMs, wallMs }, unit) => `${fmt(rate(n, cpuMs))} ${unit}/s per CPU-second  (${fmt(rate(n, wallMs)).trim()}/s wall)`;
const fmt = (n) => n.toLocaleString("en-US").padStart(9);

for (const [name, { target: t, fuzz }] of Object.entries(worlds)) {
  const N = name === "chain" ? 2000 : 1000;
  // Warm up the executor, fast-check and the JIT.
  await checkDrift({ baseline: t, candidate: t, fuzz, runs: 100, seed: 1, outDir: false });

  // Best of three rounds of each measurement: the machine is shared, the fastest round is the least disturbed.
  // 1. Generate (fast-check world + the executor's context driven as one execution) and replay each history once.
  let histories = [];
  const generate = await best(async () => {
    histories = [];
    // As checkDrift does: one seeded-randomness session for the run, reseeded per world.
    await withSeededSession(() => fc.assert(
      fc.asyncProperty(fc.gen(), async (g) => {
        const instance = await generateInstance(t, choicesFrom(g), fuzz);
        const history = instance.generations[0].history;
        const replay = await replayHistory(history, t, { validated: true });
        if (replay.status !== "ok") throw new Error(`unexpected ${replay.status}`);
        histories.push(history);
      }),
      { numRuns: N, seed: 7 },
    ));
  });

  // 2. The full drift check of baseline against itself: every in-flight prefix replayed too.
  let drift;
  const driftTime = await best(async () => {
    drift = await checkDrift({ baseline: t, candidate: t, fuzz, runs: N, seed: 7, outDir: false });
  });
  if (!drift.ok) throw new Error("the drift check of a baseline against itself failed");

  // 3. The raw executor replaying the same histories (whole history as old events, one new OrchestratorStarted).
  const registry = new Registry();
  registry.addNamedOrchestrator(t.name, t.fn);
  const logger = { error() {}, warn() {}, info() {}, debug() {} };
  const pbHistories = histories.map((h) => toPb(h.events));
  const raw = await best(() => asShipped(async () => {
    for (const events of pbHistories) await new OrchestrationExecutor(registry, logger).execute("bench", events, [ph.newOrchestratorStartedEvent()]);
  }));
  // 4. The raw executor making the per-episode invocations the runtime makes, each replaying the
  //    history so far, on protobuf events pre-built with the SDK's pb-helper: what generating a
  //    history costs when every episode is replayed, as dtcheck's generation did before it drove
  //    one execution (and still does for Durable Functions), and what fuzz's perturbed replay costs.
  const invocations = perEpisodeInvocations(histories);
  const floor = await best(() => asShipped(async () => {
    for (const [old, fresh] of invocations) await new OrchestrationExecutor(registry, logger).execute("bench", old, fresh);
  }));

  const events = histories.reduce((sum, h) => sum + h.events.length, 0) / histories.length;
  console.log(`${name}: ${N} fuzzed worlds, ${events.toFixed(1)} events per history on average`);
  console.log(`  generate + replay                 ${show(N, generate, "histories")}`);
  console.log(`  drift check (+ every prefix)      ${show(N, driftTime, "histories")}  (${drift.replays} replays)`);
  console.log(`  raw executor, same histories      ${show(N, raw, "replays")}`);
  console.log(`  raw executor, per-episode invocations ${show(N, floor, "histories")}  (${invocations.length} invocations on SDK-built events)`);
  console.log(`  ratio generate+replay / raw replay ${(raw.cpuMs / generate.cpuMs).toFixed(3)} (generation drives one execution; the replay is one invocation)`);
  histories = [];
}

// Shrinking: the 10-activity chain against a candidate that renamed its 4th activity.
{
  const fuzz = { input: fc.nat(), activities: Object.fromEntries(STEPS.map((s) => [s, fc.jsonValue()])) };
  let result;
  let seed = 3;
  const shrink = await best(async () => {
    result = await checkDrift({ baseline: target("chain", chain), candidate: target("chain", chainRenamed), fuzz, runs: 100, seed: seed++, outDir: false });
  });
  const f = result.failure;
  console.log(`drift failure, find + shrink (best of 3 seeds): ${shrink.cpuMs.toFixed(0)} ms CPU, ${shrink.wallMs.toFixed(0)} ms wall; last: ${f.shrinks} shrinks to ${f.history.events.length} events (${f.divergence.message})`);
}

/** Median of `rounds` rounds of `fn`, by CPU time (with the wall time of that round). */
async function median(rounds, fn) {
  return (await interleavedMedian(rounds, [fn]))[0];
}

/** Medians (by CPU time) of `rounds` interleaved rounds of each of `fns`, so load drifts hit all alike; each gets the round number. */
async function interleavedMedian(rounds, fns) {
  const results = fns.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const [i, fn] of fns.entries()) results[i].push(await timeInProcess(() => fn(round)));
  }
  return results.map((r) => r.sort((a, b) => a.cpuMs - b.cpuMs)[Math.floor(r.length / 2)]);
}

// Inference: the first orchestrator pays for loading the compiler and parsing the lib and SDK
// declarations (shared afterwards); each further module pays for its own program. Distinct modules,
// because results are cached per orchestrator.
{
  const explore = `${root}fixtures/explore/`;
  const first = await median(1, () => inferValues({ name: "chain", modulePath: `${explore}durabletask/chain/chain.ts` }));
  const modules = [
    ["durabletask/typed-param/v1.ts", "order"], ["durabletask/imported-type/v1.ts", "order"], ["durabletask/jsdoc/v1.js", "order"],
    ["dapr/typed-param/v1.ts", "order"], ["dapr/imported-type/v1.ts", "order"], ["dapr/jsdoc/v1.js", "order"],
    ["durable-functions/get-input/v1.ts", "order"], ["durable-functions/annotated-variable/v1.ts", "order"], ["durable-functions/as-cast/v1.ts", "order"],
    ["durable-functions/imported-type/v1.ts", "order"], ["durable-functions/jsdoc/v1.js", "order"],
  ];
  const each = await median(modules.length, (i) => inferValues({ name: modules[i][1], modulePath: explore + modules[i][0] }));
  const cached = await median(5, () => inferValues({ name: "chain", modulePath: `${explore}durabletask/chain/chain.ts` }));
  console.log(`type inference, one-off per orchestrator: first in the process ${first.cpuMs.toFixed(0)} ms CPU (${first.wallMs.toFixed(0)} ms wall, compiler load included); each further module, median of ${modules.length}: ${each.cpuMs.toFixed(0)} ms CPU (${each.wallMs.toFixed(0)} ms wall); cached: ${cached.cpuMs.toFixed(2)} ms`);

  // Throughput with inferred values only: the typed 10-activity chain, no fuzz config.
  const module = await loadModule(`${explore}durabletask/chain/chain.ts`);
  const typed = module.orchestrators.get("chain");
  const { config, described } = await resolveFuzzValues(typed, { failurePercent: 0, lifecycle: false });
  if (described.length !== 11) throw new Error(`expected the input and 10 results inferred, got: ${described.join("; ")}`);
  const N = 2000;
  let completed = 0;
  let typedHistories = [];
  const generateTyped = async () => {
    completed = 0;
    typedHistories = [];
    await withSeededSession(() => fc.assert(
      fc.asyncProperty(fc.gen(), async (g) => {
        const instance = await generateInstance(typed, choicesFrom(g), config);
        const history = instance.generations[0].history;
        const replay = await replayHistory(history, typed, { validated: true });
        if (replay.status !== "ok") throw new Error(`unexpected ${replay.status}`);
        if (instance.generations[0].status === "completed") completed++;
        typedHistories.push(history);
      }),
      { numRuns: N, seed: 7 },
    ));
  };
  // The SDK's own executor making the runtime's per-episode invocations on the same histories: what
  // one world costs when every episode is replayed, beside dtcheck's one execution plus one replay
  // (rounds interleaved).
  await generateTyped();
  const typedInvocations = perEpisodeInvocations(typedHistories);
  const typedRegistry = new Registry();
  typedRegistry.addNamedOrchestrator("chain", typed.fn);
  const silent = { error() {}, warn() {}, info() {}, debug() {} };
  const rawTyped = () => asShipped(async () => {
    for (const [old, fresh] of typedInvocations) await new OrchestrationExecutor(typedRegistry, silent).execute("bench", old, fresh);
  });
  // The whole check `dtcheck fuzz` runs, with its defaults (activity failures and lifecycle events
  // in the worlds; every episode replayed once more with the clock, randomness and environment
  // changed, and compared with its generation), on the same orchestrator with the same inferred values.
  let check;
  const fuzzCheck = async () => {
    check = await checkDeterminism(typed, { runs: N, seed: 7, outDir: false });
    if (!check.ok) throw new Error(`the typed chain failed its own fuzz check: ${check.failure?.message ?? check.inconclusive ?? check.unfinished}`);
  };
  const [run, floor, whole] = await interleavedMedian(5, [generateTyped, rawTyped, fuzzCheck]);
  console.log(`typed chain, inferred inputs and results: ${N} fuzzed worlds, ${completed} ran to completion`);
  console.log(`  generate + replay (median of 5)   ${show(N, run, "histories")}  target >= 1,000: ${rate(N, run.cpuMs) >= 1000 ? "met" : "NOT met"}`);
  console.log(`  raw executor, per-episode invocations ${show(N, floor, "histories")}  (${typedInvocations.length} invocations; ratio dtcheck / raw ${(floor.cpuMs / run.cpuMs).toFixed(2)})`);
  console.log(`  whole fuzz check, CLI defaults    ${show(N, whole, "worlds")}  (${check.histories} histories, ${check.replays} perturbed replays: what \`dtcheck fuzz\` gets through)`);
}
console.log(`fuzz bench end: ${loadText()}`);
