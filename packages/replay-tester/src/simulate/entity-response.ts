import type { FailureDetails, HistoryEvent } from "../history/model.js";
import type { DurableCall } from "../engines/engine.js";
import { InputError } from "../errors.js";

export type EntityOutcome = { ok: true; result?: string } | { ok: false; failure: FailureDetails };

/**
 * The event the runtime delivers when an entity answers a call or grants a lock, matched to the
 * request by its id:
 * - durabletask-js: entityOperationCompleted / entityOperationFailed (by requestId) and
 *   entityLockGranted (by criticalSectionId);
 * - Durable Functions: an EventRaised named after the request message's id whose input is the DTFx
 *   ResponseMessage, `{"result": "<JSON text>"}` plus `exceptionType` when the operation threw.
 */
export function entityResponse(call: DurableCall, outcome: EntityOutcome, at: string): HistoryEvent {
  const entity = call.entity!;
  const requestId = entity.requestId;
  if (!requestId) throw new InputError(`entity ${entity.type} ${call.id} carries no request id, so no response can be matched to it`);
  if (call.kind === "entity") {
    if (entity.type === "lock") {
      if (!outcome.ok) throw new InputError(`a lock request cannot fail; the entities of lock ${call.id} grant it once they are free`);
      return { kind: "entityLockGranted", eventId: -1, timestamp: at, payload: { criticalSectionId: requestId } };
    }
    if (outcome.ok) {
      const payload: Record<string, unknown> = { requestId };
      if (outcome.result !== undefined) payload["output"] = outcome.result;
      return { kind: "entityOperationCompleted", eventId: -1, timestamp: at, payload };
    }
    const failureDetails = { errorType: outcome.failure.errorType, errorMessage: outcome.failure.errorMessage };
    return { kind: "entityOperationFailed", eventId: -1, timestamp: at, payload: { requestId, failureDetails } };
  }
  let response: Record<string, string>;
  if (entity.type === "lock") {
    if (!outcome.ok) throw new InputError(`a lock request cannot fail; the entities of lock ${call.id} grant it once they are free`);
    // DTFx answers a granted lock with this fixed text; the SDK resolves the lock task without reading it.
    response = { result: "Lock Acquisition Completed" };
  } else if (outcome.ok) {
    response = { result: outcome.result ?? "null" };
  } else {
    response = { result: JSON.stringify(outcome.failure.errorMessage), exceptionType: outcome.failure.errorType };
  }
  return { kind: "eventRaised", eventId: -1, timestamp: at, name: requestId, input: JSON.stringify(response) };
}
