/** How long and how much user code may take before the watchdog stops it. */
export interface ContainmentLimits {
  /** Loading the module (its top-level code and awaits), in ms. */
  loadTimeoutMs: number;
  /** One orchestrator invocation (episode), in ms: time allowed between two heartbeats while checking. */
  episodeTimeoutMs: number;
  /** One history (replay, record), in ms, from its first episode to its verdict. */
  historyTimeoutMs: number;
  /** V8 old-generation heap of the thread running user code, in MB. */
  memoryMb: number;
}

/*
 * Generous enough that no sane module or orchestrator comes near them (an episode of a real
 * orchestrator takes well under a millisecond; loading a TypeScript worker, a second), small
 * enough that a hang is reported within a minute.
 */
export const DEFAULT_LIMITS: ContainmentLimits = {
  loadTimeoutMs: 30_000,
  episodeTimeoutMs: 10_000,
  historyTimeoutMs: 60_000,
  memoryMb: 2_048,
};

/** A duration for messages: "250 ms", "10 s", "1.5 min". */
export function formatLimit(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(1)} s`;
  return `${+(ms / 60_000).toFixed(1)} min`;
}

