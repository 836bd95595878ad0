import type { HistoryEvent } from "../../history/model.js";
import type { FixedCaseClasses } from "./fixed-case.js";
import type { DurableTaskSdk, Untyped } from "./sdk.js";

/*
 * Fast construction of the SDK's protobuf HistoryEvents for replay. google-protobuf messages are
 * backed by an array (Message.toArray()) and can be constructed from one; nested messages are then
 * wrapped lazily, only when the executor reads them. Building that array directly skips most of
 * the per-field setter work and allocations, which dominate the cost of a replay.
 *
 * Field positions are not hard-coded: they are discovered once per SDK copy by calling the
 * generated setters on empty messages and reading back toArray(). If discovery fails for any field
 * (a different protobuf runtime or schema), the caller falls back to the setter-based converter.
 */

type Build = (event: HistoryEvent) => unknown[] | undefined;

function indexWhere(array: unknown[], test: (value: unknown) => boolean): number {
  for (let i = 0; i < array.length; i++) if (test(array[i])) return i;
  throw new Error("field position not found");
}

/** Position of the field a setter writes, found by writing a sample and reading the array back. */
function position(Message: Untyped, write: (message: Untyped) => void, test: (value: unknown) => boolean): number {
  const message = new Message();
  write(message);
  return indexWhere(message.toArray(), test);
}

const isArray = (v: unknown) => Array.isArray(v);
const is = (sample: unknown) => (v: unknown) => v === sample;

/** Builds lean event arrays for the hot event kinds; returns undefined for the others. */
export function leanEventBuilder(sdk: DurableTaskSdk, fixed: FixedCaseClasses): ((event: HistoryEvent) => Untyped | undefined) | undefined {
  try {
    const pb = sdk.pb;
    const { Timestamp, StringValue } = sdk;
    const HistoryEvent = pb.HistoryEvent;
    const sample = new StringValue();
    sample.setValue("x");
    const valueAt = position(StringValue, (m) => m.setValue("x"), is("x"));
    const secondsAt = position(Timestamp, (m) => m.setSeconds(12345), is(12345));
    const nanosAt = position(Timestamp, (m) => m.setNanos(678), is(678));
    const eventIdAt = position(HistoryEvent, (m) => m.setEventid(4242), is(4242));
    const timestampAt = position(HistoryEvent, (m) => m.setTimestamp(new Timestamp()), isArray);
    const kindAt = (setter: string, Inner: Untyped) => position(HistoryEvent, (m) => m[setter](new Inner()), isArray);

    const str = (value: string | undefined): unknown[] | undefined => {
      if (value === undefined || value === "") return undefined;
      const a: unknown[] = [];
      a[valueAt] = value;
      return a;
    };
    const timestamp = (iso: string | undefined): unknown[] => {
      const a: unknown[] = [];
      const ms = iso === undefined ? NaN : Date.parse(iso);
      if (Number.isNaN(ms)) return a;
      const seconds = Math.floor(ms / 1000);
      a[secondsAt] = seconds;
      a[nanosAt] = (ms - seconds * 1000) * 1_000_000;
      return a;
    };

    const builders = new Map<HistoryEvent["kind"], { at: number; inner: Build }>();
    const define = (kind: HistoryEvent["kind"], setter: string, Inner: Untyped, fields: [string, (m: Untyped) => void, (v: unknown) => boolean][], fill: (pos: Record<string, number>, e: HistoryEvent, a: unknown[]) => void) => {
      const pos: Record<string, number> = {};
      for (const [name, write, test] of fields) pos[name] = position(Inner, write, test);
      builders.set(kind, {
        at: kindAt(setter, Inner),
        inner: (e) => {
          const a: unknown[] = [];
          fill(pos, e, a);
          return a;
        },
      });
    };

    define("orchestratorStarted", "setOrchestratorstarted", pb.OrchestratorStartedEvent, [], () => {});
    define("taskScheduled", "setTaskscheduled", pb.TaskScheduledEvent, [["name", (m) => m.setName("n"), is("n")]], (p, e, a) => {
      if (e.kind === "taskScheduled") a[p["name"]!] = e.name;
    });
    define(
      "taskCompleted",
      "setTaskcompleted",
      pb.TaskCompletedEvent,
      [
        ["id", (m) => m.setTaskscheduledid(4242), is(4242)],
        ["result", (m) => m.setResult(sample), isArray],
      ],
      (p, e, a) => {
        if (e.kind !== "taskCompleted") return;
        a[p["id"]!] = e.taskScheduledId;
        a[p["result"]!] = str(e.result);
      },
    );
    define("timerCreated", "setTimercreated", pb.TimerCreatedEvent, [["fireAt", (m) => m.setFireat(new Timestamp()), isArray]], (p, e, a) => {
      if (e.kind === "timerCreated") a[p["fireAt"]!] = timestamp(e.fireAt);
    });
    define(
      "timerFired",
      "setTimerfired",
      pb.TimerFiredEvent,
      [
        ["id", (m) => m.setTimerid(4242), is(4242)],
        ["fireAt", (m) => m.setFireat(new Timestamp()), isArray],
      ],
      (p, e, a) => {
        if (e.kind !== "timerFired") return;
        a[p["id"]!] = e.timerId;
        a[p["fireAt"]!] = timestamp(e.fireAt);
      },
    );
    define(
      "subOrchestrationInstanceCreated",
      "setSuborchestrationinstancecreated",
      pb.SubOrchestrationInstanceCreatedEvent,
      [
        ["name", (m) => m.setName("n"), is("n")],
        ["instanceId", (m) => m.setInstanceid("i"), is("i")],
      ],
      (p, e, a) => {
        if (e.kind !== "subOrchestrationInstanceCreated") return;
        a[p["name"]!] = e.name;
        a[p["instanceId"]!] = e.instanceId;
      },
    );
    define(
      "subOrchestrationInstanceCompleted",
      "setSuborchestrationinstancecompleted",
      pb.SubOrchestrationInstanceCompletedEvent,
      [
        ["id", (m) => m.setTaskscheduledid(4242), is(4242)],
        ["result", (m) => m.setResult(sample), isArray],
      ],
      (p, e, a) => {
        if (e.kind !== "subOrchestrationInstanceCompleted") return;
        a[p["id"]!] = e.taskScheduledId;
        a[p["result"]!] = str(e.result);
      },
    );
    define(
      "eventRaised",
      "setEventraised",
      pb.EventRaisedEvent,
      [
        ["name", (m) => m.setName("n"), is("n")],
        ["input", (m) => m.setInput(sample), isArray],
      ],
      (p, e, a) => {
        if (e.kind !== "eventRaised") return;
        a[p["name"]!] = e.name;
        a[p["input"]!] = str(e.input);
      },
    );

    return (event) => {
      const builder = builders.get(event.kind);
      if (!builder) return undefined;
      const a: unknown[] = [];
      a[eventIdAt] = event.eventId;
      if (event.kind === "orchestratorStarted") a[timestampAt] = timestamp(event.timestamp);
      a[builder.at] = builder.inner(event);
      const Fixed = fixed.get(event.kind);
      if (Fixed) return new Fixed(a);
      const built = new HistoryEvent(a);
      fixed.learn(event.kind, built);
      return built;
    };
  } catch {
    return undefined;
  }
}
