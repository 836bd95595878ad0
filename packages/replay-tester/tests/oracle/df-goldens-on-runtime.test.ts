/**
 * Durable Functions goldens checked against the Durable Functions runtime itself, not against
 * dtcheck: each df-wire golden (the host's wire format) is fed, work item by work item, to
 * durable-functions' own orchestrator listener with the app's orchestrator, and the tasks it makes
 * are held against the history as DTFx holds them (support/df-oracle.ts). dtcheck's verdict on the
 * same file must be the runtime's: clean where it is clean; where a scheduling event is changed
 * (renamed, or turned into a timer) or the code is (every mutation at every call), a divergence at
 * the same event, of the same kind, or a failure in the same work item.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as api from "../../src/index.js";
import { goldenApps } from "../../../../scripts/record-goldens.mjs";
import { dfAgrees, dfRuntimeVerdict, type DfOracleVerdict, type WireEvent } from "../support/df-oracle.js";
import { mutateDf } from "../support/df-mutations.js";
import { MUTATION_OPS } from "../support/mutations.js";

interface App {
  id: string;
  sdk: string;
  dir: string;
  module: string;
}

/** entity-counter's histories hold entity messages (EventSent), which the oracle does not model (as the durabletask-js oracle leaves out entity events). */
const APPS = (goldenApps() as App[]).filter((app) => app.sdk === "durable-functions" && app.id !== "durable-functions/entity-counter");

const goldens = APPS.flatMap((app) =>
  readdirSync(join(app.dir, "histories"))
    .filter((name) => name.endsWith(".df-wire.json"))
    .map((name) => ({ label: `${app.id}/${name}`, app, file: join(app.dir, "histories", name), orchestrator: name.split(".")[0]! })),
);

type Golden = (typeof goldens)[number];

// Host EventType numbers (df-wire).
const TASK_SCHEDULED = 4;
const SUB_ORCHESTRATION_CREATED = 7;
const TASK_COMPLETED = 5;
const TASK_FAILED = 6;
const TIMER_CREATED = 10;
const TIMER_FIRED = 11;

/** The golden's events, changed by `change` (a copy). */
function wireEvents(golden: Golden, change?: (events: WireEvent[]) => void): WireEvent[] {
  const events = JSON.parse(readFileSync(golden.file, "utf8")) as WireEvent[];
  change?.(events);
  return events;
}

/** dtcheck's verdict on the same events, written as the host's JSON, in the shape the oracle gives. */
async function dtcheckVerdict(golden: Golden, events: WireEvent[]): Promise<Pick<DfOracleVerdict, "status" | "eventIndex" | "reason">> {
  const history = api.parseHistoryText(JSON.stringify(events), { file: golden.file });
  const target = api.pickOrchestrator(await api.loadModule(golden.app.module), golden.orchestrator);
  const result = await api.replayHistory(history, target);
  if (result.status !== "diverged") return { status: result.status === "ok" ? "ok" : "failed" };
  return { status: "rejected", eventIndex: result.divergence?.eventIndex, reason: result.divergence?.reason as DfOracleVerdict["reason"] };
}

const indexOfLast = (events: WireEvent[], type: number) => events.map((e) => e.EventType).lastIndexOf(type);

describe("Durable Functions goldens on the Durable Functions runtime", () => {
  it("covers every durable-functions app but the entity one, with one df-wire golden per orchestrator", () => {
    expect(goldens.map((g) => g.label.replace("durable-functions/", ""))).toEqual([
      "approval/expenseApproval.df-wire.json",
      "chaining/onboardUser.df-wire.json",
      "eternal/sessionCleanup.df-wire.json",
      "monitor/jobMonitor.df-wire.json",
      "newsletter/newsletterOrchestrator.df-wire.json",
      "retry/chargeOrder.df-wire.json",
      "saga/bookTrip.df-wire.json",
      "sub-orchestrations/provisionRegion.df-wire.json",
      "sub-orchestrations/provisionTenant.df-wire.json",
      "versioned/v1/processOrder.df-wire.json",
      "versioned/v2-gated/processOrder.df-wire.json",
      "versioned/v2-ungated/processOrder.df-wire.json",
    ]);
  });

  it.each(goldens.map((g) => [g.label, g] as const))("%s: the runtime accepts it, and so does dtcheck", async (_label, golden) => {
    const target = api.pickOrchestrator(await api.loadModule(golden.app.module), golden.orchestrator);
    const events = wireEvents(golden);
    expect(await dfRuntimeVerdict(target.fn, events)).toEqual({ status: "ok" });
    expect(await dtcheckVerdict(golden, events)).toEqual({ status: "ok" });
  });

  it("the v1 order golden on the next versions of the code: the gated one is accepted by both, the ungated one rejected by both at the same event", async () => {
    const v1 = goldens.find((g) => g.label === "durable-functions/versioned/v1/processOrder.df-wire.json")!;
    const events = wireEvents(v1);
    const verdicts: Record<string, unknown> = {};
    for (const version of ["v2-gated", "v2-ungated"]) {
      const app = APPS.find((a) => a.id === `durable-functions/versioned/${version}`)!;
      const target = api.pickOrchestrator(await api.loadModule(app.module), "processOrder");
      const oracle = await dfRuntimeVerdict(target.fn, events);
      verdicts[version] = { oracle: { status: oracle.status, eventIndex: oracle.eventIndex, reason: oracle.reason }, dtcheck: await dtcheckVerdict({ ...v1, app }, events) };
    }
    expect(verdicts).toEqual({
      "v2-gated": { oracle: { status: "ok", eventIndex: undefined, reason: undefined }, dtcheck: { status: "ok" } },
      // v2 reserves inventory before charging, for every instance: event 6 (chargePayment, id 1) meets reserveInventory.
      "v2-ungated": { oracle: { status: "rejected", eventIndex: 6, reason: "wrong-name" }, dtcheck: { status: "rejected", eventIndex: 6, reason: "wrong-name" } },
    });
  });

  it.each(goldens.map((g) => [g.label, g] as const))("%s: its last activity renamed in the history, both reject that event as wrong-name", async (_label, golden) => {
    const target = api.pickOrchestrator(await api.loadModule(golden.app.module), golden.orchestrator);
    let at = -1;
    const events = wireEvents(golden, (list) => {
      at = indexOfLast(list, TASK_SCHEDULED);
      if (at >= 0) list[at]!.Name = `${list[at]!.Name}Renamed`;
    });
    expect(at, "every golden schedules an activity").toBeGreaterThan(1);
    const oracle = await dfRuntimeVerdict(target.fn, events);
    expect({ status: oracle.status, eventIndex: oracle.eventIndex, reason: oracle.reason }).toEqual({ status: "rejected", eventIndex: at, reason: "wrong-name" });
    expect(await dtcheckVerdict(golden, events)).toEqual({ status: "rejected", eventIndex: at, reason: "wrong-name" });
  });

  it.each(goldens.map((g) => [g.label, g] as const))("%s: its last activity recorded as a timer (its completion as the timer firing), both reject that event as wrong-kind", async (_label, golden) => {
    const target = api.pickOrchestrator(await api.loadModule(golden.app.module), golden.orchestrator);
    let at = -1;
    const events = wireEvents(golden, (list) => {
      at = indexOfLast(list, TASK_SCHEDULED);
      const scheduled = list[at]!;
      list[at] = { EventType: TIMER_CREATED, EventId: scheduled.EventId, IsPlayed: scheduled.IsPlayed, Timestamp: scheduled.Timestamp, FireAt: scheduled.Timestamp };
      // Its completion becomes the timer firing, so the history stays one a runtime could write.
      const done = list.findIndex((e) => (e.EventType === TASK_COMPLETED || e.EventType === TASK_FAILED) && e["TaskScheduledId"] === scheduled.EventId);
      if (done >= 0) list[done] = { EventType: TIMER_FIRED, EventId: -1, IsPlayed: list[done]!.IsPlayed, Timestamp: list[done]!.Timestamp, TimerId: scheduled.EventId, FireAt: scheduled.Timestamp };
    });
    const oracle = await dfRuntimeVerdict(target.fn, events);
    expect({ status: oracle.status, eventIndex: oracle.eventIndex, reason: oracle.reason }).toEqual({ status: "rejected", eventIndex: at, reason: "wrong-kind" });
    expect(await dtcheckVerdict(golden, events)).toEqual({ status: "rejected", eventIndex: at, reason: "wrong-kind" });
  });
});

describe("Durable Functions goldens on mutated code: dtcheck's verdict is the runtime's", () => {
  it("for every mutation of every call of every golden's orchestrator", async () => {
    const verdicts: Record<DfOracleVerdict["status"], number> = { ok: 0, rejected: 0, failed: 0 };
    const disagreements: string[] = [];
    let cases = 0;
    for (const golden of goldens) {
      const target = api.pickOrchestrator(await api.loadModule(golden.app.module), golden.orchestrator);
      const events = wireEvents(golden);
      const history = api.parseHistoryText(JSON.stringify(events), { file: golden.file });
      // The oracle's indices are the wire list's: the same events, one for one, in dtcheck's history.
      expect(history.events.length, golden.label).toBe(events.length);
      const calls = events.filter((e) => e.EventType === TASK_SCHEDULED || e.EventType === SUB_ORCHESTRATION_CREATED || e.EventType === TIMER_CREATED).length;
      for (const op of MUTATION_OPS) {
        for (let at = 1; at <= calls + 1; at++) {
          const fn = mutateDf(target.fn as never, { op, at }) as unknown as typeof target.fn;
          const oracle = await dfRuntimeVerdict(fn, events);
          const result = await api.replayHistory(history, { ...target, fn });
          cases++;
          verdicts[oracle.status]++;
          const agreed = dfAgrees(oracle, result, events);
          const divergence = result.divergence;
          if (!agreed) {
            disagreements.push(`${golden.label} ${op}@${at}: runtime ${JSON.stringify(oracle)}; dtcheck ${result.status} ${divergence ? `${divergence.reason} at ${divergence.eventIndex}` : (result.error ?? "")}`);
          }
        }
      }
    }
    expect(disagreements).toEqual([]);
    // All three verdicts occur, so the agreement is not vacuous.
    expect({ cases, verdicts }).toEqual({ cases: 295, verdicts: { ok: 123, rejected: 132, failed: 40 } });
  }, 120_000);
});
