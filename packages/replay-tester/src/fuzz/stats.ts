import type { OrchestrationStatus } from "../history/model.js";
import type { Simulation } from "../simulate/simulate.js";

/** How the generated histories ended, to show whether the fuzzing explored anything. */
export class GenerationStats {
  histories = 0;
  replays = 0;
  readonly outcomes: Partial<Record<OrchestrationStatus, number>> = {};
  private firstEpisodeFailures = 0;

  add(simulation: Simulation): void {
    this.histories++;
    this.outcomes[simulation.status] = (this.outcomes[simulation.status] ?? 0) + 1;
    if (simulation.status === "failed" && simulation.episodes <= 1) this.firstEpisodeFailures++;
  }

  /** Warnings about runs that passed without testing much. */
  warnings(): string[] {
    if (this.histories > 0 && this.firstEpisodeFailures === this.histories) {
      return [
        "every generated history failed in its first episode, so nothing beyond the start was tested; the orchestrator probably needs an input: set fuzz.input (a value or a fast-check arbitrary)",
      ];
    }
    return [];
  }
}
