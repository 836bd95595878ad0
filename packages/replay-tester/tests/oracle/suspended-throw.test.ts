/**
 * The oracle bench's last disagreement (issue 15), pinned: a completion that arrives while the
 * orchestration is suspended is held by the SDK's executor and delivered only by the
 * executionResumed that follows, so code that throws on that completion throws in the resume's work
 * item. The SDK fails there (work item at event 14); dtcheck named the held completion (event 12),
 * a work item earlier, because it kept the innermost event its executor was processing.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as api from "../../src/index.js";
import type { HistoryEvent, OrchestratorTarget } from "../../src/index.js";
import { mutate } from "../support/mutations.js";
import { sdkVerdict, toSdkEvents, workItemsAtOrchestratorStarted } from "../support/sdk-oracle.js";

const CHAINING = fileURLToPath(new URL("../../../../fixtures/apps/durabletask/chaining/worker.ts", import.meta.url));

const at = (second: number) => `2024-01-01T00:00:0${second}.000Z`;
const started = (second: number): HistoryEvent => ({ kind: "orchestratorStarted", eventId: -1, timestamp: at(second) });
const completed = (second: number): HistoryEvent => ({ kind: "orchestratorCompleted", eventId: -1, timestamp: at(second) });
const signup = '{"email":"ada@example.com","plan":"team"}';

/** The fuzzed chaining history the bench found (seed 0x0dac1e): suspended after call 2, its result held, resumed. */
const HISTORY: HistoryEvent[] = [
  started(0),
  { kind: "executionStarted", eventId: -1, timestamp: at(0), name: "onboardUser", instanceId: "oracle-onboardUser", input: signup },
  { kind: "taskScheduled", eventId: 1, timestamp: at(0), name: "createAccount", input: signup },
  completed(0),
  started(1),
  { kind: "taskCompleted", eventId: -1, timestamp: at(1), taskScheduledId: 1, result: '"acct-ada"' },
  { kind: "taskScheduled", eventId: 2, timestamp: at(1), name: "provisionWorkspace", input: '"acct-ada"' },
  completed(1),
  started(2),
  { kind: "executionSuspended", eventId: -1, timestamp: at(2) },
  completed(2),
  started(3),
  // Event 12: arrives while suspended; the executor holds it.
  { kind: "taskCompleted", eventId: -1, timestamp: at(3), taskScheduledId: 2, result: '"acct-ada.workspace.example.com"' },
  completed(3),
  started(4),
  // Event 15: the resume delivers event 12, and the code makes call 3.
  { kind: "executionResumed", eventId: -1, timestamp: at(4) },
  { kind: "taskScheduled", eventId: 3, timestamp: at(4), name: "sendWelcomeEmail", input: '{"email":"ada@example.com","workspaceUrl":"acct-ada.workspace.example.com"}' },
  completed(4),
  started(5),
  { kind: "taskCompleted", eventId: -1, timestamp: at(5), taskScheduledId: 3, result: "null" },
  { kind: "executionCompleted", eventId: -1, timestamp: at(5), status: "completed", result: '{"accountId":"acct-ada","workspaceUrl":"acct-ada.workspace.example.com"}' },
  completed(5),
];

async function oracleAndDtcheck(fn: OrchestratorTarget["fn"], target: OrchestratorTarget) {
  const sdk = toSdkEvents({ events: HISTORY });
  const starts = workItemsAtOrchestratorStarted(sdk.events);
  const oracle = await sdkVerdict("onboardUser", fn, sdk.events, starts);
  const sdkEventIndex = oracle.eventIndex === undefined ? undefined : sdk.source[oracle.eventIndex];
  const replay = (format: api.HistoryFormat) => {
    const history = api.parseHistoryText(api.writeHistory({ events: HISTORY }, format), { file: `suspended.${format}.json` });
    return api.replayHistory(history, { ...target, fn });
  };
  return { oracle: { status: oracle.status, eventIndex: sdkEventIndex, workItem: oracle.workItem, message: oracle.message }, replay };
}

describe("code that throws on a completion held while suspended", () => {
  it("fails in the resume's work item, on the SDK's executor and in dtcheck, in every lossless format", async () => {
    const target = api.pickOrchestrator(await api.loadModule(CHAINING), "onboardUser");
    const throwing = mutate(target.fn as never, { op: "throw", at: 3 }) as unknown as OrchestratorTarget["fn"];
    const { oracle, replay } = await oracleAndDtcheck(throwing, target);
    // The SDK: the work item starting at event 14 fails (the fifth, 0-based 4; work items start at events 0, 4, 8, 11, 14, 18).
    expect(oracle).toEqual({ status: "failed", eventIndex: 14, workItem: 4, message: "mutation: call 3 throws" });
    for (const format of ["friendly", "protobuf-json", "df-wire"] as const) {
      const result = await replay(format);
      expect({ format, status: result.status, reason: result.divergence?.reason, episode: result.divergence?.episode, eventIndex: result.divergence?.eventIndex, message: result.divergence?.message }).toEqual({
        format,
        status: "diverged",
        reason: "orchestrator-failed",
        episode: 4,
        eventIndex: 15,
        message: "the orchestrator threw Error: mutation: call 3 throws while replaying, where the history went on (the resume at event 15 delivered the events held while the orchestration was suspended)",
      });
    }
  });

  it("the same history with the code unchanged: both accept it", async () => {
    const target = api.pickOrchestrator(await api.loadModule(CHAINING), "onboardUser");
    const { oracle, replay } = await oracleAndDtcheck(target.fn, target);
    expect(oracle).toEqual({ status: "ok", eventIndex: undefined, workItem: undefined, message: undefined });
    expect((await replay("protobuf-json")).status).toBe("ok");
  });
});
