import type { OrchestrationStatus } from "../history/model.js";
import type { Simulation } from "../simulate/simulate.js";
import { INJECTED_FAILURE } from "./world.js";

/** How the generated histories ended, to show whether the fuzzing explored anything. */
export class GenerationStats {
  histories = 0;
  replays = 0;
  readonly outcomes: Partial<Record<OrchestrationStatus, number>> = {};
  /** Histories whose orchestrator threw in its first episode: nothing past the start was exercised. */
  firstEpisodeFailures = 0;
  /** The first of those errors, as `Type: message`, to show what went wrong. */
  firstEpisodeError: string | undefined;
  /** Histories the world stopped at maxEpisodes while the orchestrator was still running. */
  cutShort = 0;
  /**
   * Histories that failed after their first episode with an error of the code's own: not a task
   * failure the world injected (those are expected to fail some instances), not a termination.
   */
  ownFailures = 0;
  /** The first of those errors, as `Type: message`. */
  ownFailureError: string | undefined;

  /** process.env variables the code read while it ran (the second replay changed each). */
  readonly envRead = new Set<string>();

  constructor(
    /** The world's episode limit (fuzz.maxEpisodes). */
    readonly maxEpisodes = 60,
  ) {}

  add(simulation: Simulation): void {
    this.histories++;
    this.outcomes[simulation.status] = (this.outcomes[simulation.status] ?? 0) + 1;
    if (simulation.status === "failed" && simulation.episodes <= 1) {
      this.firstEpisodeFailures++;
      this.firstEpisodeError ??= failureOf(simulation);
    } else if (simulation.status === "failed") {
      const failure = failureOf(simulation);
      if (failure && !failure.includes(INJECTED_FAILURE)) {
        this.ownFailures++;
        this.ownFailureError ??= failure;
      }
    }
    if (simulation.status === "running" && simulation.episodes >= this.maxEpisodes) this.cutShort++;
  }

  /** Histories that count as checked: neither cut short nor failed at once. */
  get checked(): number {
    return this.histories - this.cutShort - this.firstEpisodeFailures;
  }

  /** Warnings about runs that passed while testing less than they seem to. */
  warnings(run: { failed?: boolean } = {}): string[] {
    const warnings: string[] = [];
    // When fewer than half were checked the verdict itself is inconclusive and says so (coverage/verdict.ts).
    if (this.cutShort > 0 && this.cutShort < this.histories && this.checked * 2 >= this.histories) {
      warnings.push(
        `${this.cutShort} of ${this.histories} generated histories were still running after ${this.maxEpisodes} episodes and were cut short; they are not counted as checked (raise fuzz.maxEpisodes if the orchestrator legitimately needs more)`,
      );
    }
    if (this.envRead.size > 0 && !run.failed) {
      // One other value was tried (one the code compares with, else unset or "true"): another may still flip a check.
      const names = [...this.envRead].sort().map((name) => `process.env.${name}`);
      warnings.push(
        `the code read ${names.join(", ")} while it ran; the replays changed ${names.length === 1 ? "it" : "them"} (set or unset) and made the same calls, but a deploy with another value changes the replay of instances in flight: pass settings in the orchestration input or read them in an activity`,
      );
    }
    return warnings;
  }
}

function failureOf(simulation: Simulation): string | undefined {
  const events = simulation.history.events;
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    if (event.kind === "executionCompleted" && event.failure) return `${event.failure.errorType}: ${event.failure.errorMessage.split("\n")[0]}`;
  }
  return undefined;
}
