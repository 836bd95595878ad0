import type { OrchestrationStatus } from "../model.js";

/**
 * Orchestration status spellings per format, indexed by the runtime's numeric enum (the same
 * numbers in protobuf OrchestrationStatus and DTFx OrchestrationStatus).
 */
export const STATUS_BY_NUMBER: readonly OrchestrationStatus[] = [
  "running",
  "completed",
  "continuedAsNew",
  "failed",
  "canceled",
  "terminated",
  "pending",
  "suspended",
];

/** proto enum names: ORCHESTRATION_STATUS_CONTINUED_AS_NEW. */
export const PROTO_STATUS_NAMES: readonly string[] = [
  "ORCHESTRATION_STATUS_RUNNING",
  "ORCHESTRATION_STATUS_COMPLETED",
  "ORCHESTRATION_STATUS_CONTINUED_AS_NEW",
  "ORCHESTRATION_STATUS_FAILED",
  "ORCHESTRATION_STATUS_CANCELED",
  "ORCHESTRATION_STATUS_TERMINATED",
  "ORCHESTRATION_STATUS_PENDING",
  "ORCHESTRATION_STATUS_SUSPENDED",
];

/** DTFx / Durable Functions names: ContinuedAsNew. */
export const DTFX_STATUS_NAMES: readonly string[] = [
  "Running",
  "Completed",
  "ContinuedAsNew",
  "Failed",
  "Canceled",
  "Terminated",
  "Pending",
  "Suspended",
];

export function statusNumber(status: OrchestrationStatus): number {
  return STATUS_BY_NUMBER.indexOf(status);
}

/**
 * Reads a status given as a number or as a name from `names` (case-insensitive). Returns
 * undefined when it is neither, so the caller can name the field in its error.
 */
export function readStatus(value: unknown, names: readonly string[]): OrchestrationStatus | undefined {
  if (typeof value === "number") return STATUS_BY_NUMBER[value];
  if (typeof value !== "string") return undefined;
  const upper = value.toUpperCase();
  for (let i = 0; i < names.length; i++) {
    if (names[i]!.toUpperCase() === upper) return STATUS_BY_NUMBER[i];
  }
  return undefined;
}
