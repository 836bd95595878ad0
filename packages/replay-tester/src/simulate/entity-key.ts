import type { EntityMessage } from "../engines/engine.js";

/** "@counter@/pricing" → "counter": the entity name inside an entity instance id (or the id itself). */
export function entityName(entityId: string | undefined): string {
  const match = /^@([^@]*)@/.exec(entityId ?? "");
  return match ? match[1]! : (entityId ?? "");
}

/**
 * "<entity>.<operation>", e.g. "counter.get": how stubs and fuzz configs name an entity operation.
 * Entity names and operations are case-insensitive in both SDKs, so look keys up with `findEntityKey`.
 */
export function entityOperationKey(entity: EntityMessage): string {
  return `${entityName(entity.entityId)}.${entity.operation ?? ""}`;
}

/** The key of `table` naming the same entity operation as `key`, ignoring case. */
export function findEntityKey(table: Record<string, unknown> | undefined, key: string): string | undefined {
  const lower = key.toLowerCase();
  return Object.keys(table ?? {}).find((k) => k.toLowerCase() === lower);
}
