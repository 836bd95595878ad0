import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseHistoryText, validateHistory, writeHistory, type History, type HistoryEvent, type HistoryFormat } from "../../src/index.js";
import { historyArbitrary } from "./arbitraries.js";

const LOSSLESS: HistoryFormat[] = ["protobuf-json", "friendly", "df-wire"];

/** The model without its source note, for comparison across formats. */
const events = (history: History) => history.events;

describe("write then read gives the same model", () => {
  it("generated histories are valid", () => {
    fc.assert(fc.property(historyArbitrary({ lifecycle: true, exotic: true, rewound: true }), (history) => validateHistory(history)));
  });

  for (const format of LOSSLESS) {
    for (const jsonl of [false, true]) {
      it(`${format}${jsonl ? " as JSONL" : ""}`, () => {
        fc.assert(
          fc.property(historyArbitrary({ lifecycle: true, exotic: format !== "df-wire", rewound: true }), (history) => {
            const text = writeHistory(history, format, { jsonl });
            const back = parseHistoryText(text);
            expect(back.source?.format).toBe(format);
            expect(events(back)).toEqual(events(history));
          }),
          { numRuns: 150 },
        );
      });
    }
  }

  it("any lossless format converts to any other and back without change", () => {
    fc.assert(
      fc.property(historyArbitrary({ lifecycle: true, rewound: true }), fc.constantFrom(...LOSSLESS), fc.constantFrom(...LOSSLESS), (history, a, b) => {
        const viaA = parseHistoryText(writeHistory(history, a));
        const viaB = parseHistoryText(writeHistory(viaA, b));
        expect(events(viaB)).toEqual(events(history));
      }),
      { numRuns: 150 },
    );
  });
});

/**
 * What the HTTP API keeps of a history, event by event in order (episode markers aside): names,
 * outcomes, fire times, sequence numbers counted from the first one. It drops the inputs of
 * scheduled calls, external events and terminations, and the instance ids of completed sub-orchestrations.
 */
function survivingFacts(history: History): string[] {
  const scheduling = history.events.filter((e) => e.kind === "taskScheduled" || e.kind === "subOrchestrationInstanceCreated" || e.kind === "timerCreated" || e.kind === "eventSent");
  const first = scheduling.length > 0 ? Math.min(...scheduling.map((e) => e.eventId)) : 0;
  const json = (text: string | undefined) => JSON.stringify(text === undefined ? undefined : JSON.parse(text));
  const facts: string[] = [];
  for (const event of history.events) {
    const e: HistoryEvent = event;
    switch (e.kind) {
      case "orchestratorStarted":
      case "orchestratorCompleted":
        break;
      case "executionStarted":
        facts.push(`start ${e.name} ${json(e.input)}`);
        break;
      case "taskScheduled":
      case "subOrchestrationInstanceCreated":
        facts.push(`${e.kind} #${e.eventId - first} ${e.name}`);
        break;
      case "timerCreated":
        facts.push(`timerCreated #${e.eventId - first} ${e.fireAt}`);
        break;
      case "eventSent":
        facts.push(`eventSent #${e.eventId - first} ${e.name} ${e.instanceId} ${e.input}`);
        break;
      case "taskCompleted":
      case "subOrchestrationInstanceCompleted":
        facts.push(`${e.kind} ->${e.taskScheduledId - first} ${json(e.result)}`);
        break;
      case "taskFailed":
      case "subOrchestrationInstanceFailed":
        facts.push(`${e.kind} ->${e.taskScheduledId - first} ${e.failure.errorType}: ${e.failure.errorMessage} ${e.failure.stackTrace}`);
        break;
      case "timerFired":
        facts.push(`timerFired ->${e.timerId - first} ${e.fireAt}`);
        break;
      case "eventRaised":
        facts.push(`eventRaised ${e.name}`);
        break;
      case "executionCompleted":
        facts.push(`end ${e.status} ${json(e.result)} ${e.failure?.errorMessage}`);
        break;
      case "continueAsNew":
        facts.push(`continueAsNew ${e.input}`);
        break;
      default:
        facts.push(e.kind);
    }
  }
  return facts;
}

describe("df-http (lossy)", () => {
  it("keeps every event it shows in order, with names, outcomes and rebuilt ids, and flags every rebuilt event", () => {
    fc.assert(
      fc.property(historyArbitrary(), (history) => {
        const back = parseHistoryText(writeHistory(history, "df-http"));
        expect(back.source?.format).toBe("df-http");
        expect(survivingFacts(back)).toEqual(survivingFacts(history));
        const flagged = new Set(back.reconstructions!.map((r) => r.eventIndex));
        back.events.forEach((e, i) => {
          if (["taskScheduled", "subOrchestrationInstanceCreated", "timerCreated", "eventSent", "timerFired", "orchestratorStarted", "eventRaised"].includes(e.kind)) {
            expect(flagged.has(i), `event ${i} (${e.kind}) is flagged`).toBe(true);
          }
        });
      }),
      { numRuns: 200 },
    );
  });
  it("reading its own output again changes nothing (the reconstruction is stable)", () => {
    fc.assert(
      fc.property(historyArbitrary(), (history) => {
        const once = parseHistoryText(writeHistory(history, "df-http"), { validate: false });
        const twice = parseHistoryText(writeHistory(once, "df-http"), { validate: false });
        expect(twice.events).toEqual(once.events);
        expect(twice.reconstructions).toEqual(once.reconstructions);
      }),
      { numRuns: 100 },
    );
  });
});
