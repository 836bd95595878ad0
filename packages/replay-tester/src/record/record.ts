import { existsSync } from "node:fs";
import { assertRegularIfExists, readRegularFileSync } from "../files/read-regular-file.js";
import { resolve } from "node:path";
import type { History } from "../history/model.js";
import { InputError } from "../errors.js";
import { importUserModule } from "../load/import-module.js";
import { withoutAzureFunctionsTestModeWarnings } from "../load/quiet-azure-functions.js";
import { loadModule, pickOrchestrator } from "../load/load-module.js";
import { reseedSession, withEnvironmentLock, withSeededSession } from "../perturb/environment.js";
import { DEFAULT_START, simulate, type SimulateOptions } from "../simulate/simulate.js";
import { StubWorld } from "./stub-world.js";
import { normaliseStubs, type RecordStubs } from "./stubs.js";

export interface RecordOptions extends Omit<SimulateOptions, "input"> {
  /** The module that registers (or exports) the orchestrator. */
  module: string;
  /** Orchestrator name; optional when the module registers exactly one. */
  orchestrator?: string;
  /** Orchestration input (a JSON value). */
  input?: unknown;
  /** Stubs as an object, or a path to a .json file or a module exporting them (default export or named exports). */
  stubs?: RecordStubs | Record<string, unknown> | string;
}

async function readStubs(stubs: RecordOptions["stubs"]): Promise<RecordStubs> {
  if (typeof stubs !== "string") return normaliseStubs(stubs);
  const file = resolve(stubs);
  if (file.endsWith(".json")) {
    let text: string;
    try {
      text = readRegularFileSync(stubs, { what: "stubs file", overLimitHint: "check that this is the stubs file" }).toString("utf8");
    } catch (error) {
      if (!existsSync(file)) throw new InputError("stubs file not found; check the --stubs path", { file: stubs });
      throw error;
    }
    try {
      return normaliseStubs(JSON.parse(text), stubs);
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(`is not valid JSON (${(error as Error).message}); fix the syntax`, { file: stubs });
    }
  }
  assertRegularIfExists(stubs, "stubs module");
  const mod = await withoutAzureFunctionsTestModeWarnings(() => importUserModule(file)).catch((error: unknown) => {
    throw new InputError(`could not be loaded: ${String((error as Error)?.message ?? error).split("\n")[0]}`, { file: stubs });
  });
  const value = (mod["default"] && typeof mod["default"] === "object" ? mod["default"] : mod) as Record<string, unknown>;
  return normaliseStubs(value, stubs);
}

/** The random stream a recording reads (any fixed seed: the same recording every time). */
const RECORDING_SEED = 0x5eed;

/**
 * Records a golden history: runs the orchestrator forward from `input` with its SDK's own executor,
 * episode by episode, with activity / sub-orchestration results and external events from stubs.
 * The caller writes the returned history in the format it wants.
 */
export async function recordHistory(options: RecordOptions): Promise<History> {
  const module = await loadModule(options.module);
  const target = pickOrchestrator(module, options.orchestrator);
  const stubs = await readStubs(options.stubs);
  const world = new StubWorld(stubs, typeof options.stubs === "string" ? options.stubs : "stubs");
  // The code reads the time the history starts at (and seeded randomness), as an instance's first
  // run reads about the time it starts: a timer set from the wall clock is then a minute away in the
  // history too (not years, split into long timers), and the recording is the same whenever it is made.
  const start = (options.startTime ?? DEFAULT_START).getTime();
  const simulation = await withEnvironmentLock(() =>
    withSeededSession(() => {
      reseedSession(RECORDING_SEED, { at: start, stepMs: 1 });
      return simulate(target, world, { ...options, input: options.input });
    }),
  );
  return simulation.history;
}
