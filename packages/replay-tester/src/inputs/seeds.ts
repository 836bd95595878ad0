import { collectHistoryFiles } from "../replay/collect-files.js";
import { readHistoryFile } from "../history/index.js";
import type { History } from "../history/model.js";

/** Values seen in saved histories, by name: what real instances were given and answered. */
export interface HistorySeeds {
  /** Orchestration inputs, by orchestrator name (every continue-as-new generation's input too). */
  inputs: Record<string, unknown[]>;
  activities: Record<string, unknown[]>;
  subOrchestrations: Record<string, unknown[]>;
  events: Record<string, unknown[]>;
  /** History files read. */
  files: number;
  /** History files by the orchestrator they are of (their executionStarted name). */
  filesOf: Record<string, number>;
}

/** At most this many distinct values per name: seeds are tried first, not instead of generation. */
const MAX_SEEDS = 16;

function decode(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text; // Durable Functions test histories carry bare strings
  }
}

function add(table: Record<string, unknown[]>, name: string, text: string | undefined, seen: Set<string>): void {
  if (text === undefined) return;
  const key = `${name}\0${text}`;
  if (seen.has(key)) return;
  const values = (table[name] ??= []);
  if (values.length >= MAX_SEEDS) return;
  seen.add(key);
  values.push(decode(text));
}

/** Collects the inputs and results one history holds into `seeds`. */
export function addHistorySeeds(seeds: HistorySeeds, history: History, seen = new Set<string>()): void {
  const scheduled = new Map<number, { name: string; kind: "activity" | "subOrchestration" }>();
  for (const event of history.events) {
    switch (event.kind) {
      case "executionStarted":
        add(seeds.inputs, event.name, event.input, seen);
        break;
      case "taskScheduled":
        scheduled.set(event.eventId, { name: event.name, kind: "activity" });
        break;
      case "subOrchestrationInstanceCreated":
        scheduled.set(event.eventId, { name: event.name, kind: "subOrchestration" });
        break;
      case "taskCompleted":
      case "subOrchestrationInstanceCompleted": {
        const call = scheduled.get(event.taskScheduledId);
        if (call) add(call.kind === "activity" ? seeds.activities : seeds.subOrchestrations, call.name, event.result, seen);
        break;
      }
      case "eventRaised":
        add(seeds.events, event.name, event.input, seen);
        break;
    }
  }
}

export function emptySeeds(): HistorySeeds {
  return { inputs: {}, activities: {}, subOrchestrations: {}, events: {}, files: 0, filesOf: {} };
}

/**
 * Reads saved histories (files, directories, globs; any supported format) for the values real
 * instances were started with and answered. A file that does not parse stops with its one-line
 * error, as replay would.
 */
export async function seedsFromHistories(paths: string | readonly string[], cwd = process.cwd()): Promise<HistorySeeds> {
  const seeds = emptySeeds();
  const seen = new Set<string>();
  for (const file of await collectHistoryFiles(typeof paths === "string" ? [paths] : paths, cwd)) {
    const history = await readHistoryFile(file);
    addHistorySeeds(seeds, history, seen);
    seeds.files++;
    const name = history.events.find((event) => event.kind === "executionStarted")?.name;
    if (name !== undefined) seeds.filesOf[name] = (seeds.filesOf[name] ?? 0) + 1;
  }
  return seeds;
}
