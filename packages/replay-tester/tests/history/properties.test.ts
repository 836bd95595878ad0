import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseHistoryText, validateHistory, writeHistory, type History, type HistoryEvent, type HistoryFormat } from "../../src/index.js";
import { historyArbitrary } from "./arbitraries.js";

const LOSSLESS: HistoryFormat[] = ["protobuf-json", "friendly", "df-wire"];

/** The model without its source note, for comparison across formats. */
const events = (history: History) => history.events;

describe("write then read gives the same model", () => {
  it("generated histories are valid", () => {
    fc.assert(fc.property(historyArbitrary({ lifecycle: true, exotic: true }), (history) => validateHistory(history)));
  });

  for (const format of LOSSLESS) {
    for (const jsonl of [false, true]) {
      it(`${format}${jsonl ? " as JSONL" : ""}`, () => {
        fc.assert(
          fc.property(historyArbitrary({ lifecycle: true, exotic: format !== "df-wire" }), (history) => {
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
      fc.property(historyArbitrary({ lifecycle: true }), fc.constantFrom(...LOSSLESS), fc.constantFrom(...LOSSLESS), (history, a, b) => {
        const viaA = parseHistoryText(writeHistory(history, a));
        const viaB = parseHistoryText(writeHistory(viaA, b));
        expect(events(viaB)).toEqual(events(history));
      }),
      { numRuns: 150 },
    );
  });
});

/** What the HTTP API keeps of a history: the scheduled calls in order and each completion's outcome. */
function survivingFacts(history: History) {
  const byId = new Map<number, HistoryEvent>();
  const scheduled: string[] = [];
  const outcomes: string[] = [];
  const json = (text: string | undefined) => (text === undefined ? undefined : JSON.parse(text));
  for (const event of history.events) {
    switch (event.kind) {
      case "executionStarted":
        outcomes.push(`start ${event.name} ${JSON.stringify(json(event.input))}`);
        break;
      case "taskScheduled":
      case "subOrchestrationInstanceCreated":
      case "timerCreated":
      case "eventSent":
        byId.set(event.eventId, event);
        scheduled.push(`${event.kind} ${"name" in event ? event.name : event.fireAt}`);
        break;
      case "taskCompleted":
      case "subOrchestrationInstanceCompleted": {
        const from = byId.get(event.taskScheduledId) as { name: string };
        outcomes.push(`${event.kind} ${from.name} ${JSON.stringify(json(event.result))}`);
        break;
      }
      case "taskFailed":
      case "subOrchestrationInstanceFailed": {
        const from = byId.get(event.taskScheduledId) as { name: string };
        outcomes.push(`${event.kind} ${from.name} ${event.failure.errorType}: ${event.failure.errorMessage}`);
        break;
      }
      case "timerFired":
        outcomes.push(`timerFired ${(byId.get(event.timerId) as { fireAt: string }).fireAt}`);
        break;
      case "eventRaised":
        outcomes.push(`eventRaised ${event.name} ${JSON.stringify(json(event.input))}`);
        break;
      case "executionCompleted":
        outcomes.push(`end ${event.status} ${JSON.stringify(json(event.result))}`);
        break;
      default:
        break;
    }
  }
  return { scheduled, outcomes };
}

describe("df-http (lossy)", () => {
  it("keeps the scheduled calls in order and every outcome when every task completed", () => {
    fc.assert(
      fc.property(historyArbitrary(), (history) => {
        const openTasks = new Set<number>();
        for (const e of history.events) {
          if (e.kind === "taskScheduled" || e.kind === "subOrchestrationInstanceCreated") openTasks.add(e.eventId);
          if ("taskScheduledId" in e) openTasks.delete(e.taskScheduledId);
        }
        fc.pre(openTasks.size === 0);
        const back = parseHistoryText(writeHistory(history, "df-http"));
        expect(back.source?.format).toBe("df-http");
        expect(survivingFacts(back)).toEqual(survivingFacts(history));
        // Every scheduling event it rebuilt is flagged as a reconstruction.
        const flagged = new Set(back.reconstructions!.map((r) => r.eventIndex));
        back.events.forEach((e, i) => {
          if (e.kind === "taskScheduled" || e.kind === "subOrchestrationInstanceCreated" || e.kind === "orchestratorStarted") {
            expect(flagged.has(i)).toBe(true);
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
