import { createHash } from "node:crypto";
import type { EntityMessage } from "../engine.js";
import type { Untyped } from "../durabletask/sdk.js";

/*
 * Durable Functions leaves entity messaging to the host: the JS side returns CallEntity /
 * SignalEntity / LockEntities actions, and the host (DTFx) sends each as an EventSent named "op" to
 * the entity's scheduler id, whose input is a RequestMessage (op, signal, input, id, parent,
 * lockset, Timestamp). The response to a call or a lock comes back as an EventRaised named after
 * the request's id. On replay the JS SDK reads that id from the EventSent input to match the
 * response (TaskOrchestrationExecutor, EventSent case), so a recorded history must carry it.
 */

/** The host's request id is its own deterministic GUID; dtcheck derives one from the instance and sequence number. */
function requestGuid(instanceId: string, sequence: number): string {
  const hex = createHash("sha1").update(`dtcheck-entity:${instanceId}:${sequence}`).digest("hex");
  const variant = ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

/** "@name@key", as EntityId.getSchedulerIdFromEntityId writes it. */
function schedulerId(entity: { name: string; key: string }): string {
  return `@${entity.name.toLowerCase()}@${entity.key}`;
}

export interface EntityRequest {
  /** The EventSent's name: "op" for operations and lock requests, "release" for releasing locks. */
  name: string;
  instanceId?: string;
  /** The EventSent's input (the RequestMessage as JSON text), when there is one. */
  input?: string;
  entity: EntityMessage;
}

/**
 * What the host writes for one entity action of the JS SDK. `context` is the orchestration
 * context (instanceId, currentUtcDateTime) at the moment the action was made.
 */
export function entityRequest(
  kind: "CallEntity" | "SignalEntity" | "LockEntities" | "ReleaseEntities",
  action: Untyped,
  sequence: number,
  context: Untyped,
): EntityRequest {
  const parent: string = context?.instanceId ?? "";
  const now = context?.currentUtcDateTime instanceof Date ? context.currentUtcDateTime.toISOString() : undefined;
  if (kind === "ReleaseEntities") {
    return { name: "release", entity: { type: "unlock" } };
  }
  if (kind === "LockEntities") {
    const lockSet: { name: string; key: string }[] = action.lockSet ?? [];
    const id: string = action.lockRequestId ?? requestGuid(parent, sequence);
    const entityId = lockSet[0] ? schedulerId(lockSet[0]) : undefined;
    const request = { id, parent, lockset: lockSet.map((e) => ({ name: e.name.toLowerCase(), key: e.key })), Timestamp: now };
    return { name: "op", instanceId: entityId, input: JSON.stringify(request), entity: { type: "lock", entityId, requestId: id } };
  }
  const id = requestGuid(parent, sequence);
  const signal = kind === "SignalEntity";
  const request: Record<string, unknown> = { op: action.operation };
  if (signal) request["signal"] = true;
  if (action.input !== undefined) request["input"] = JSON.stringify(action.input);
  request["id"] = id;
  request["parent"] = parent;
  request["Timestamp"] = now;
  return {
    name: "op",
    instanceId: action.instanceId,
    input: JSON.stringify(request),
    entity: { type: signal ? "signal" : "call", entityId: action.instanceId, operation: action.operation, requestId: id },
  };
}

/**
 * The parts of a recorded request message that say what the code asked for: the host's id, parent
 * and timestamps differ between a real host and dtcheck, so strict replay compares only these.
 */
export function entityRequestEssence(input: string | undefined): string | undefined {
  if (input === undefined) return undefined;
  try {
    const message = JSON.parse(input) as Record<string, unknown>;
    if (!message || typeof message !== "object" || !("id" in message)) return undefined;
    return JSON.stringify({ op: message["op"], signal: message["signal"] === true, input: message["input"], lockset: message["lockset"] });
  } catch {
    return undefined;
  }
}
