/**
 * What every history source returns and takes: the instances to fetch (one list of ids, or a
 * query), and each fetched history in the canonical model beside the text it will be written as.
 * Nothing here knows an SDK or a wire protocol; the sources (task-hub.ts, functions-http.ts) do.
 */
import { InputError } from "../errors.js";
import type { History, HistoryFormat, OrchestrationStatus } from "../history/model.js";

/** Runtime statuses as both the Durable Task client and the Functions HTTP API name them. */
export const RUNTIME_STATUSES = ["Running", "Pending", "Suspended", "Completed", "ContinuedAsNew", "Failed", "Terminated"] as const;
export type RuntimeStatus = (typeof RUNTIME_STATUSES)[number];

/** A status as the user typed it ("running", "Running"), or one line naming the accepted ones. */
export function parseRuntimeStatus(value: string): RuntimeStatus {
  const found = RUNTIME_STATUSES.find((status) => status.toLowerCase() === value.trim().toLowerCase());
  if (found === undefined) throw new InputError(`unknown runtime status "${value}"; use one of: ${RUNTIME_STATUSES.join(", ")}`);
  return found;
}

/** Which instances to pull: the ids given, or every instance matching the query (all of it by default). */
export interface InstanceSelection {
  instanceIds?: readonly string[];
  statuses?: readonly RuntimeStatus[];
  /** Created at or after. */
  createdFrom?: Date;
  /** Created at or before. */
  createdTo?: Date;
  /** Orchestrator names (case-insensitive, as the runtimes match names); filtered on the client, no backend filters by name. */
  names?: readonly string[];
  instanceIdPrefix?: string;
  /** Instances per page asked of the backend (default 100). */
  pageSize?: number;
  /** Stop after this many instances. */
  limit?: number;
}

/** An instance as a query lists it. */
export interface ListedInstance {
  instanceId: string;
  name: string;
  status: RuntimeStatus | string;
}

export interface PulledHistory extends ListedInstance {
  history: History;
  /** The raw value as the backend sent it, when it is itself a history in `format` (df-http): written as is. */
  raw?: unknown;
  /** The format the source's own shape is in. */
  format: HistoryFormat;
}

export interface PullResult {
  /** Where from, for messages: the host or the app URL. */
  source: string;
  histories: PulledHistory[];
  /** Query pages read (0 when the instances were named). */
  pages: number;
}

/** Keeps the listed instances whose orchestrator name is one of `names` (case-insensitive). */
export function matchesName(instance: ListedInstance, names: readonly string[] | undefined): boolean {
  if (names === undefined || names.length === 0) return true;
  const name = instance.name.toLowerCase();
  return names.some((wanted) => wanted.toLowerCase() === name);
}

/** One line for a backend that never answered: it names the source and the option. */
export function timeoutError(source: string, timeoutMs: number, what: string): InputError {
  return new InputError(`${source} did not answer ${what} within ${formatSeconds(timeoutMs)} (--timeout); check the address, or allow more time`);
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** Rejects with `onTimeout()` when `promise` has not settled within `ms`; clears its timer either way. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

const STATUS_NAMES: Record<OrchestrationStatus, RuntimeStatus> = {
  running: "Running",
  pending: "Pending",
  suspended: "Suspended",
  completed: "Completed",
  continuedAsNew: "ContinuedAsNew",
  failed: "Failed",
  canceled: "Terminated",
  terminated: "Terminated",
};

/** What a history says of its instance's state, for an instance pulled by id (no query listed it). */
export function historyStatus(history: History): RuntimeStatus {
  let status: RuntimeStatus = "Running";
  for (const event of history.events) {
    if (event.kind === "executionCompleted") status = STATUS_NAMES[event.status];
    else if (event.kind === "executionTerminated") status = "Terminated";
    else if (event.kind === "executionSuspended") status = "Suspended";
    else if (event.kind === "executionResumed") status = "Running";
  }
  return status;
}
