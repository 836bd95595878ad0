import type { DurableCall } from "../engines/engine.js";
import { InputError } from "../errors.js";
import type { SimulationState, World, WorldEvent, WorldStep } from "../simulate/world.js";
import { entityOperationKey, findEntityKey } from "../simulate/entity-key.js";
import { runStub, type RecordStubs } from "./stubs.js";

/**
 * The world `record` uses: every pending activity, sub-orchestration and entity call completes (from its stub)
 * in the next episode, in id order; when none is pending, the next configured external event
 * arrives; when neither, the earliest timer fires. Deterministic, so recordings are reproducible.
 */
export class StubWorld implements World {
  private readonly attempts = new Map<string, number>();
  private readonly eventQueue: { name: string; input?: string }[] = [];

  constructor(private readonly stubs: RecordStubs, private readonly source = "stubs") {
    for (const [name, payload] of Object.entries(stubs.events ?? {})) {
      const payloads = Array.isArray(payload) ? payload : [payload];
      for (const p of payloads) this.eventQueue.push({ name, input: p === undefined ? undefined : JSON.stringify(p) });
    }
  }

  async next(state: SimulationState): Promise<WorldStep | undefined> {
    const calls = state.pending.filter((c) => c.kind === "activity" || c.kind === "subOrchestration" || c.entity).sort((a, b) => a.id - b.id);
    if (calls.length > 0) {
      const events: WorldEvent[] = [];
      for (const call of calls) {
        if (call.entity) {
          events.push(await this.answerEntity(call));
          continue;
        }
        const table = call.kind === "activity" ? this.stubs.activities : this.stubs.subOrchestrations;
        const name = call.name ?? "";
        if (!table || !(name in table)) {
          const known = Object.keys(table ?? {});
          const what = `${call.kind === "activity" ? "activity" : "sub-orchestration"} "${name}"`;
          // Without a stubs file, say how to give one; with one, what to add to it.
          if (this.source === "stubs" && known.length === 0) {
            throw new InputError(`the orchestrator calls ${what}, and no stubs were given: pass --stubs <file.json> with a result for each call, e.g. ${JSON.stringify({ [name]: "result" })}`);
          }
          throw new InputError(
            `no stub for ${what}; add ${JSON.stringify(name)}: <its result> to the stubs${known.length ? ` (stubbed: ${known.join(", ")})` : ""}`,
            { file: this.source },
          );
        }
        const key = `${call.kind}:${name}`;
        const attempt = this.attempts.get(key) ?? 0;
        this.attempts.set(key, attempt + 1);
        const outcome = await runStub(table[name], call.input, attempt);
        events.push(outcome.ok ? { type: "complete", id: call.id, result: outcome.result } : { type: "fail", id: call.id, failure: outcome.failure });
      }
      return { events };
    }
    const event = this.eventQueue.shift();
    if (event) return { events: [{ type: "raiseEvent", name: event.name, input: event.input }] };
    const timer = state.pending.filter((c) => c.kind === "timer").sort((a, b) => Date.parse(a.fireAt ?? "") - Date.parse(b.fireAt ?? "") || a.id - b.id)[0];
    if (timer) return { events: [{ type: "fireTimer", id: timer.id }], advanceMs: 0 };
    return undefined;
  }

  /** A lock is granted at once; an entity call is answered from stubs.entities["<entity>.<operation>"]. */
  private async answerEntity(call: DurableCall): Promise<WorldEvent> {
    const entity = call.entity!;
    if (entity.type === "lock") return { type: "complete", id: call.id };
    const key = entityOperationKey(entity);
    const table = this.stubs.entities ?? {};
    const stubKey = findEntityKey(table, key);
    if (stubKey === undefined) {
      const known = Object.keys(table);
      throw new InputError(
        `no stub for entity operation "${key}" (called on ${entity.entityId ?? "?"}); add it to the stubs' "entities" section${known.length ? ` (stubbed: ${known.join(", ")})` : ""}`,
        { file: this.source },
      );
    }
    const attemptKey = `entity:${key.toLowerCase()}`;
    const attempt = this.attempts.get(attemptKey) ?? 0;
    this.attempts.set(attemptKey, attempt + 1);
    const outcome = await runStub(table[stubKey], call.input, attempt);
    return outcome.ok ? { type: "complete", id: call.id, result: outcome.result } : { type: "fail", id: call.id, failure: outcome.failure };
  }
}
