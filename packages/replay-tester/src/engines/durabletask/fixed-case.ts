import type { HistoryEvent } from "../../history/model.js";
import type { Untyped } from "./sdk.js";

/**
 * The SDK's HistoryEvent with its oneof case (which event kind it is) fixed at construction.
 * google-protobuf computes getEventtypeCase() by probing every field of the oneof, and the executor
 * asks twice per event, per invocation: a fifth of a simulation's executor time. dtcheck builds
 * each event once, with exactly one kind set, and nothing sets another kind afterwards (the executor
 * only reads events), so the case can be answered at once. Everything else is the SDK's class.
 */
export class FixedCaseClasses {
  private readonly byKind = new Map<HistoryEvent["kind"], Untyped>();

  constructor(private readonly Base: Untyped) {}

  /** The class to build `kind` with, once an event of that kind was built (see learn); else undefined. */
  get(kind: HistoryEvent["kind"]): Untyped {
    return this.byKind.get(kind);
  }

  /** Learns the case of `kind` from an event built with the SDK's own class. */
  learn(kind: HistoryEvent["kind"], built: Untyped): void {
    if (this.byKind.has(kind)) return;
    const eventCase: unknown = built.getEventtypeCase();
    if (typeof eventCase !== "number" || eventCase === 0) return;
    this.byKind.set(
      kind,
      class extends this.Base {
        getEventtypeCase(): number {
          return eventCase;
        }
      },
    );
  }
}
