import { describe, expect, it } from "vitest";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { writeHistory } from "../../src/history/index.js";
import type { History, HistoryFormat } from "../../src/history/model.js";
import { loadModule, pickOrchestrator } from "../../src/load/load-module.js";
import { recordHistory, type RecordOptions } from "../../src/record/record.js";
import { replayHistories } from "../../src/replay/replay-histories.js";
import { simulate } from "../../src/simulate/simulate.js";
import type { World } from "../../src/simulate/world.js";

/*
 * The golden histories under fixtures/histories/<sdk>/recorded/ are made by dtcheck's own record
 * from the v1 fixture orchestrators. This test re-records them and compares byte for byte, so they
 * never drift from the code that claims to have produced them.
 * Regenerate with: DTCHECK_UPDATE_FIXTURES=1 npx vitest run packages/replay-tester/tests/record/fixture-histories.test.ts
 * (that run writes and fails on purpose; review the diff, then run it again without the variable).
 */
const update = process.env["DTCHECK_UPDATE_FIXTURES"] === "1";

interface Spec {
  file: string;
  format: HistoryFormat;
  jsonl?: boolean;
  make: (module: string) => Promise<History>;
}

const rec = (orchestrator: string, input: unknown, stubs: RecordOptions["stubs"]) => (module: string) =>
  recordHistory({ module, orchestrator, input, stubs, instanceId: `golden-${orchestrator}` });

/** Suspended while the first call completes, resumed, then terminated: an edge case record's stub world never makes. */
const suspendResumeTerminate = async (module: string) => {
  const target = pickOrchestrator(await loadModule(module), "chain");
  const steps: World["next"][] = [
    () => ({ events: [{ type: "suspend", reason: "maintenance" }] }),
    (s) => ({ events: [{ type: "complete", id: s.pending[0]!.id, result: '"Hello Oslo"' }] }),
    () => ({ events: [{ type: "resume", reason: "done" }] }),
    () => ({ events: [{ type: "terminate", output: '"cancelled by operator"' }] }),
  ];
  let i = 0;
  return (await simulate(target, { next: (s) => steps[i++]?.(s) }, { input: "Oslo", instanceId: "golden-terminated" })).history;
};

const chainStubs = { greet: "Hello Tokyo", shout: "HELLO TOKYO", sign: "HELLO TOKYO -- signed" };
const common = (format: HistoryFormat): Spec[] => [
  { file: "chain", format, make: rec("chain", "Tokyo", chainStubs) },
  { file: "fan-out", format, make: rec("fanOut", [1, 2, 3], { work: 2, aggregate: 6 }) },
  { file: "sub-orchestration", format, make: rec("parent", undefined, { subOrchestrations: { child: "grown" }, activities: { report: "reported" } }) },
  { file: "timer", format, make: rec("timer", undefined, { prepare: null, finish: "done" }) },
];

const specs: Record<string, Spec[]> = {
  durabletask: [
    ...common("protobuf-json"),
    { file: "chain", format: "friendly", jsonl: true, make: rec("chain", "Tokyo", chainStubs) },
    { file: "retry", format: "protobuf-json", make: rec("retry", undefined, { flaky: [{ error: "503" }, { error: "503" }, "ok"] }) },
    { file: "continue-as-new", format: "protobuf-json", make: rec("counter", 3, { tick: null }) },
    { file: "failure", format: "protobuf-json", make: rec("compensate", undefined, { charge: { error: { type: "CardDeclined", message: "card declined" } }, refund: null }) },
    { file: "external-event", format: "protobuf-json", make: rec("approval", undefined, { activities: { requestApproval: null, proceed: "shipped" }, events: { approval: { by: "ann" } } }) },
    { file: "external-event-timeout", format: "protobuf-json", make: rec("approval", undefined, { requestApproval: null, escalate: "escalated" }) },
    { file: "suspend-resume-terminate", format: "protobuf-json", make: suspendResumeTerminate },
  ],
  dapr: common("protobuf-json"),
  "durable-functions": [
    ...common("df-wire"),
    { file: "chain", format: "df-http", make: rec("chain", "Tokyo", chainStubs) },
    { file: "fan-out", format: "df-http", make: rec("fanOut", [1, 2, 3], { work: 2, aggregate: 6 }) },
    { file: "retry", format: "df-wire", make: rec("retry", undefined, { flaky: [{ error: "503" }, "ok"] }) },
    { file: "continue-as-new", format: "df-wire", make: rec("counter", 3, { tick: null }) },
    // 10 days: split into 3-day timers (replay schema V3+), as the Durable extension writes it.
    { file: "long-timer", format: "df-wire", make: rec("longTimer", undefined, { finish: "done" }) },
  ],
};

describe.each(Object.keys(specs))("%s golden histories", (sdk) => {
  const dir = fileURLToPath(new URL(`../../../../fixtures/histories/${sdk}/`, import.meta.url));
  const recorded = `${dir}recorded/`;

  it("match a fresh recording from v1", async () => {
    if (update) mkdirSync(recorded, { recursive: true });
    for (const spec of specs[sdk]!) {
      const name = `${recorded}${spec.file}.${spec.format}.${spec.jsonl ? "jsonl" : "json"}`;
      const text = writeHistory(await spec.make(`${dir}v1.ts`), spec.format, { jsonl: spec.jsonl });
      if (update) {
        writeFileSync(name, text);
        continue;
      }
      expect(existsSync(name), `${name} is missing; regenerate the fixtures`).toBe(true);
      expect(readFileSync(name, "utf8"), name).toBe(text);
    }
    // Writing is not checking (comparing a file just written with itself would pass whatever it
    // holds): an update run fails here on purpose; the next run compares, and the durabletask-js
    // goldens are also judged by the SDK's own executor (oracle/goldens-on-sdk.test.ts).
    if (update) expect.fail(`wrote ${specs[sdk]!.length} fixtures under ${recorded}; review the diff and run again without DTCHECK_UPDATE_FIXTURES`);
  });

  it("all replay ok on v1 in strict mode", async () => {
    const summary = await replayHistories(recorded, { module: `${dir}v1.ts`, strict: true });
    expect(summary.results.length).toBe(specs[sdk]!.length);
    expect(summary.results.filter((r) => r.status !== "ok").map((r) => `${r.file}: ${r.error ?? r.divergence?.message}`)).toEqual([]);
  });
});
