import type { EntityEventKind } from "../../history/model.js";
import type { DurableCall, EntityMessage } from "../engine.js";
import type { Untyped } from "./sdk.js";

function stringValue(value: Untyped): string | undefined {
  if (value == null) return undefined;
  const v = value.getValue();
  return v === "" ? undefined : v;
}

/** proto3 JSON leaves out fields at their default value; so do these payloads. */
function compact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || value === "" || value === 0 || (Array.isArray(value) && value.length === 0)) continue;
    out[key] = value;
  }
  return out;
}

function timestamp(value: Untyped): string | undefined {
  return value ? value.toDate().toISOString() : undefined;
}

/** The name dtcheck compares an entity message by: its operation, or for locks and unlocks the event kind. */
export function entityCallName(kind: EntityEventKind, operation: string | undefined): string {
  return operation ?? kind;
}

/** An entity message as a call, with the history event the runtime writes for it. */
export function entityCall(id: number, kind: EntityEventKind, payload: Record<string, unknown>): DurableCall {
  const str = (key: string) => (typeof payload[key] === "string" ? (payload[key] as string) : undefined);
  const operation = str("operation");
  const lockSet = Array.isArray(payload["lockSet"]) ? (payload["lockSet"] as unknown[]).map(String) : [];
  const entity: EntityMessage = { type: "signal", event: { kind, payload } };
  switch (kind) {
    case "entityOperationCalled":
    case "entityOperationSignaled":
      entity.type = kind === "entityOperationCalled" ? "call" : "signal";
      entity.entityId = str("targetInstanceId");
      entity.operation = operation;
      entity.requestId = str("requestId");
      break;
    case "entityLockRequested":
      entity.type = "lock";
      entity.entityId = lockSet[0];
      entity.requestId = str("criticalSectionId");
      break;
    default:
      entity.type = "unlock";
      entity.entityId = str("targetInstanceId");
      entity.requestId = str("criticalSectionId");
      break;
  }
  const call: DurableCall = { kind: "entity", id, name: entityCallName(kind, operation), entity };
  const input = str("input");
  if (input !== undefined) call.input = input;
  if (entity.entityId !== undefined) call.instanceId = entity.entityId;
  return call;
}

/** Converts the SDK's SendEntityMessageAction into a call carrying the event the runtime records for it. */
export function fromPbEntityMessage(id: number, message: Untyped): DurableCall {
  const called = message.getEntityoperationcalled?.();
  if (called) {
    return entityCall(
      id,
      "entityOperationCalled",
      compact({
        requestId: called.getRequestid(),
        operation: called.getOperation(),
        scheduledTime: timestamp(called.getScheduledtime()),
        input: stringValue(called.getInput()),
        parentInstanceId: stringValue(called.getParentinstanceid()),
        parentExecutionId: stringValue(called.getParentexecutionid()),
        targetInstanceId: stringValue(called.getTargetinstanceid()),
      }),
    );
  }
  const signaled = message.getEntityoperationsignaled?.();
  if (signaled) {
    return entityCall(
      id,
      "entityOperationSignaled",
      compact({
        requestId: signaled.getRequestid(),
        operation: signaled.getOperation(),
        scheduledTime: timestamp(signaled.getScheduledtime()),
        input: stringValue(signaled.getInput()),
        targetInstanceId: stringValue(signaled.getTargetinstanceid()),
      }),
    );
  }
  const lock = message.getEntitylockrequested?.();
  if (lock) {
    return entityCall(
      id,
      "entityLockRequested",
      compact({
        criticalSectionId: lock.getCriticalsectionid(),
        lockSet: lock.getLocksetList(),
        position: lock.getPosition(),
        parentInstanceId: stringValue(lock.getParentinstanceid()),
      }),
    );
  }
  const unlock = message.getEntityunlocksent?.();
  return entityCall(
    id,
    "entityUnlockSent",
    compact({
      criticalSectionId: unlock?.getCriticalsectionid(),
      parentInstanceId: stringValue(unlock?.getParentinstanceid()),
      targetInstanceId: stringValue(unlock?.getTargetinstanceid()),
    }),
  );
}
