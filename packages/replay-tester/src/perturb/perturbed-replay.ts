import { isOutputEvent } from "../engines/calls.js";
import type { DurableCall, EpisodeInput, OrchestratorTarget } from "../engines/engine.js";
import { engineFor } from "../engines/index.js";
import { splitEpisodes, type History } from "../history/model.js";
import type { PerturbedDifference } from "../fuzz/result.js";
import { locateBySource, staticCallSites } from "../coverage/static-sites.js";
import { DEFAULT_PERTURBATIONS, withPerturbation, type Perturbation } from "./environment.js";

/** Each invocation the runtime made for the history: old events before the episode, its delivered events as new. */
export function episodeInvocations(history: History): EpisodeInput[] {
  const events = history.events;
  return splitEpisodes(events).map((episode) => {
    const newIndices: number[] = [];
    for (let i = episode.start; i < episode.end; i++) if (!isOutputEvent(events[i]!)) newIndices.push(i);
    return { events, oldCount: episode.start, newIndices };
  });
}

const FIELDS = ["kind", "id", "name", "input", "fireAt", "instanceId", "status", "output"] as const;

function failureText(call: DurableCall): string | undefined {
  return call.failure ? `${call.failure.errorType}: ${call.failure.errorMessage}` : undefined;
}

/** The first field in which two actions differ, or undefined when they are the same call. */
function differingField(a: DurableCall | undefined, b: DurableCall | undefined): string | undefined {
  if (!a || !b) return a || b ? "presence" : undefined;
  for (const field of FIELDS) if (a[field] !== b[field]) return field;
  if (failureText(a) !== failureText(b)) return "failure";
  return undefined;
}

function ordered(actions: readonly DurableCall[]): DurableCall[] {
  return [...actions].sort((a, b) => (a.kind === "completion" ? 1 : b.kind === "completion" ? -1 : a.id - b.id));
}

/**
 * Replays every episode of a history twice, each time in a different perturbed environment
 * (clock, randomness, process.env), and returns the first action that differs: a sign that the
 * code reads something other than the history, even where no replay check would notice (inputs
 * are not compared by the SDKs). Undefined when both environments produce identical actions.
 *
 * `recorded` stands in for the first environment's replays: the actions of the run that made the
 * history, episode by episode (a simulation's `episodeActions`), in an environment of its own.
 * Each world then costs one replay of every episode instead of two.
 */
export async function perturbedDifference(
  target: OrchestratorTarget,
  history: History,
  perturbations: readonly [Perturbation, Perturbation] = DEFAULT_PERTURBATIONS,
  recorded?: readonly (readonly DurableCall[])[],
): Promise<PerturbedDifference | undefined> {
  const engine = engineFor(target.sdk);
  const invocations = episodeInvocations(history);
  const runAll = (p: Perturbation) =>
    withPerturbation(p, async () => {
      const actions: DurableCall[][] = [];
      for (const invocation of invocations) actions.push((await engine.runEpisode(target, invocation, { reuseConverted: true })).actions);
      return actions;
    });
  const first = recorded?.length === invocations.length ? recorded : await runAll(perturbations[0]);
  const second = await runAll(perturbations[1]);
  for (let episode = 0; episode < invocations.length; episode++) {
    const a = ordered(first[episode]!);
    const b = ordered(second[episode]!);
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const field = differingField(a[i], b[i]);
      if (!field) continue;
      const difference: PerturbedDifference = { episode, first: a[i], second: b[i], field };
      // Locate the call in the user's code: re-run that one invocation with stack capture.
      const id = (a[i] ?? b[i])!.id;
      const captured = await withPerturbation(perturbations[1], () => engine.runEpisode(target, invocations[episode]!, { capture: true }));
      // A call only one run made (the other completed instead) is found in the source by its name.
      const location = captured.calls?.get(id)?.location ?? locateBySource(staticCallSites(target), a[i], b[i]);
      if (location) difference.location = location;
      return difference;
    }
  }
  return undefined;
}
