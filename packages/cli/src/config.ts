import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { runContainedConfig, type ContainOptions } from "@dtcheck/replay-tester/contain";
import { checkKnownSettings, InputError } from "@dtcheck/replay-tester/errors";

/** Options a project can set once instead of passing flags; flags always win. */
export interface DtcheckConfig {
  /** Module that registers the orchestrators (replay, fuzz, record). */
  module?: string;
  orchestrator?: string;
  /** Directory or glob of saved histories. */
  histories?: string;
  strict?: boolean;
  runs?: number;
  seed?: number;
  baseline?: string;
  candidate?: string;
  stubs?: string;
  /** fast-check arbitraries and values for the worlds (read by the replay tester, which checks them). */
  fuzz?: unknown;
}

/** Every top-level setting; any other is a typo, and rejected rather than ignored. */
const SETTINGS = ["module", "orchestrator", "histories", "strict", "runs", "seed", "baseline", "candidate", "stubs", "fuzz"] as const satisfies readonly (keyof DtcheckConfig)[];
/** Settings people expect that do not exist, with what to do instead. */
const NOT_SETTINGS = {
  orchestrators: 'the commands find orchestrators through "module" (the file that registers them, or one that exports them); "orchestrator" picks one by name',
  input: 'inputs go in the fuzz section: "fuzz": { "input": ... } for every orchestrator, "fuzz": { "inputs": { "<name>": ... } } for one',
};

export interface LoadedConfig {
  config: DtcheckConfig;
  /** The file it came from, for messages; undefined when none was found. */
  file?: string;
  /** Directory relative paths in the config are resolved against. */
  dir: string;
  /**
   * Settings of a config module that are not plain data (functions, fast-check arbitraries): not in
   * `config`, since they cannot leave the contained thread the module was imported in; what needs
   * them imports the config again in its own contained thread.
   */
  opaque?: string[];
}

/** How a config module is run: it is user code, contained like a module (limits, output, warnings). */
export type ConfigContainment = Omit<ContainOptions<never>, "onResult">;

export const CONFIG_FILES = ["dtcheck.config.ts", "dtcheck.config.mts", "dtcheck.config.js", "dtcheck.config.mjs", "dtcheck.config.json"];

function readJson(file: string, shown: string): unknown {
  const text = readFileSync(file, "utf8");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`is not valid JSON (${(error as Error).message}); fix the syntax`, { file: shown });
  }
}

function asConfig(value: unknown, file: string): DtcheckConfig {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InputError(NOT_AN_OBJECT, { file });
  }
  return value as DtcheckConfig;
}

/** Every setting of both levels checked at once, so all typos show in one run. */
async function checkSettings(config: object, file: string, opaque: readonly string[] = []): Promise<void> {
  const fuzz = (config as { fuzz?: unknown }).fuzz;
  // A fuzz section that is not plain data (arbitraries) is checked where it is read. The replay
  // tester, which knows its settings, is loaded only for a config that has one (lint needs none of it).
  const plainFuzz = !opaque.includes("fuzz") && typeof fuzz === "object" && fuzz !== null && !Array.isArray(fuzz);
  const fuzzLevel = plainFuzz ? [{ value: fuzz, known: (await import("@dtcheck/replay-tester")).FUZZ_SETTINGS, where: "the fuzz section" }] : [];
  checkKnownSettings(
    [{ value: { ...config, ...Object.fromEntries(opaque.map((key) => [key, true])) }, known: SETTINGS, where: "the dtcheck configuration", hints: NOT_SETTINGS }, ...fuzzLevel],
    file,
  );
}

const NOT_AN_OBJECT = "the dtcheck configuration must be an object; export default { module: ..., ... }";

/**
 * A config module runs in a contained thread, never in dtcheck's own process: one that exits,
 * hangs, throws, prints or connects is reported in one line naming it, and cannot end dtcheck,
 * corrupt a json report on stdout or reach the network.
 */
async function importConfig(cwd: string, file: string, shown: string, containment: ConfigContainment): Promise<{ config: DtcheckConfig; opaque: string[] }> {
  const loaded = await runContainedConfig({ kind: "config", cwd, module: file }, containment);
  if (!loaded.isObject) throw new InputError(NOT_AN_OBJECT, { file: shown });
  await checkSettings(loaded.values, shown, loaded.opaque);
  return { config: loaded.values, opaque: loaded.opaque };
}

/**
 * Finds the configuration for `cwd`: an explicit file, else the first dtcheck.config.* in cwd,
 * else a "dtcheck" key in cwd's package.json, else an empty config.
 */
export async function loadConfig(cwd: string, explicit?: string, containment: ConfigContainment = {}): Promise<LoadedConfig> {
  const read = async (file: string, shown: string, dir: string): Promise<LoadedConfig> => {
    if (file.endsWith(".json")) {
      const config = asConfig(readJson(file, shown), shown);
      await checkSettings(config, shown);
      return { config, file, dir };
    }
    return { ...(await importConfig(cwd, file, shown, containment)), file, dir };
  };
  if (explicit) {
    const file = path.resolve(cwd, explicit);
    if (!existsSync(file)) throw new InputError("configuration file not found; check the --config path", { file: explicit });
    return read(file, explicit, path.dirname(file));
  }
  for (const name of CONFIG_FILES) {
    const file = path.join(cwd, name);
    if (existsSync(file)) return read(file, name, cwd);
  }
  const pkgFile = path.join(cwd, "package.json");
  if (existsSync(pkgFile)) {
    const pkg = readJson(pkgFile, "package.json") as { dtcheck?: unknown };
    if (pkg.dtcheck !== undefined) {
      const config = asConfig(pkg.dtcheck, "package.json#dtcheck");
      await checkSettings(config, "package.json#dtcheck");
      return { config, file: pkgFile, dir: cwd };
    }
  }
  return { config: {}, dir: cwd };
}
