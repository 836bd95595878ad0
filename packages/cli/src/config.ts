import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { InputError, firstErrorLine } from "@dtcheck/replay-tester/errors";
import { importUserModule } from "@dtcheck/replay-tester/load";

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
  /** Anything else (fast-check arbitraries, orchestrator maps) is read by the packages themselves. */
  [key: string]: unknown;
}

export interface LoadedConfig {
  config: DtcheckConfig;
  /** The file it came from, for messages; undefined when none was found. */
  file?: string;
  /** Directory relative paths in the config are resolved against. */
  dir: string;
}

export const CONFIG_FILES = ["dtcheck.config.ts", "dtcheck.config.mts", "dtcheck.config.js", "dtcheck.config.mjs", "dtcheck.config.json"];

function readJson(file: string, shown: string): unknown {
  const text = readFileSync(file, "utf8");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`is not valid JSON (${(error as Error).message}); fix the syntax`, { file: shown });
  }
}

/** A .ts file outside a "type": "module" package comes back from tsx as CJS: { default: { __esModule, default } }. */
function defaultExport(mod: { default?: unknown }): unknown {
  const value = mod.default ?? mod;
  if (typeof value === "object" && value !== null && (value as { __esModule?: boolean }).__esModule) {
    return (value as { default?: unknown }).default ?? value;
  }
  return value;
}

function asConfig(value: unknown, file: string): DtcheckConfig {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InputError("the dtcheck configuration must be an object; export default { module: ..., ... }", { file });
  }
  return value as DtcheckConfig;
}

async function importConfig(file: string, shown: string): Promise<unknown> {
  try {
    return defaultExport(await importUserModule(file));
  } catch (error) {
    throw new InputError(`could not be loaded: ${firstErrorLine(error)}`, { file: shown });
  }
}

/**
 * Finds the configuration for `cwd`: an explicit file, else the first dtcheck.config.* in cwd,
 * else a "dtcheck" key in cwd's package.json, else an empty config.
 */
export async function loadConfig(cwd: string, explicit?: string): Promise<LoadedConfig> {
  if (explicit) {
    const file = path.resolve(cwd, explicit);
    if (!existsSync(file)) throw new InputError("configuration file not found; check the --config path", { file: explicit });
    const value = file.endsWith(".json") ? readJson(file, explicit) : await importConfig(file, explicit);
    return { config: asConfig(value, explicit), file, dir: path.dirname(file) };
  }
  for (const name of CONFIG_FILES) {
    const file = path.join(cwd, name);
    if (!existsSync(file)) continue;
    const value = name.endsWith(".json") ? readJson(file, name) : await importConfig(file, name);
    return { config: asConfig(value, name), file, dir: cwd };
  }
  const pkgFile = path.join(cwd, "package.json");
  if (existsSync(pkgFile)) {
    const pkg = readJson(pkgFile, "package.json") as { dtcheck?: unknown };
    if (pkg.dtcheck !== undefined) return { config: asConfig(pkg.dtcheck, "package.json#dtcheck"), file: pkgFile, dir: cwd };
  }
  return { config: {}, dir: cwd };
}
