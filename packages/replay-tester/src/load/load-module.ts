import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { OrchestratorTarget, SdkKind } from "../engines/engine.js";
import { findDurableTaskRoots, findPackageDir } from "../engines/durabletask/sdk.js";
import { InputError, loadFailureDetail } from "../errors.js";
import { specialKind } from "../files/read-regular-file.js";
import { functionAppEntries, isFunctionAppDir } from "./function-app.js";
import { importUserModule } from "./import-module.js";
import { patchDurableFunctions } from "./patch-durable-functions.js";
import { patchDurableTask } from "./patch-durabletask.js";
import { withoutAzureFunctionsTestModeWarnings } from "./quiet-azure-functions.js";
import { collectRegistrations, type Registration } from "./registrations.js";

/** What one user module registered (or exported), ready to replay. */
export interface LoadedModule {
  path: string;
  registrations: Registration[];
  /** Orchestrators by name. */
  orchestrators: Map<string, OrchestratorTarget>;
}

const cache = new Map<string, Promise<LoadedModule>>();

const AsyncGeneratorFunction = Object.getPrototypeOf(async function* () {}).constructor;
const GeneratorFunction = Object.getPrototypeOf(function* () {}).constructor;

/** Unwraps what tsx returns for a CommonJS-compiled TypeScript module ({ default: { __esModule, ... } }). */
function exportsOf(mod: Record<string, unknown>): [string, unknown][] {
  const entries = Object.entries(mod);
  const inner = mod["default"];
  if (inner && typeof inner === "object") {
    entries.push(...Object.entries(inner as Record<string, unknown>).filter(([k]) => k !== "__esModule"));
  }
  return entries;
}

/** Exported orchestrator functions: `async function*` for durabletask/Dapr, `function*` for durable-functions. */
function exportedOrchestrators(file: string, mod: Record<string, unknown>): Registration[] {
  const found: Registration[] = [];
  const durableTask = findDurableTaskRoots(file)[0];
  const durableFunctions = findPackageDir("durable-functions", file);
  for (const [exportName, value] of exportsOf(mod)) {
    if (typeof value !== "function") continue;
    const name = exportName === "default" ? value.name || "default" : exportName;
    const fn = value as Registration["fn"];
    if (value instanceof AsyncGeneratorFunction && durableTask) {
      found.push({ sdk: durableTask.layout.kind, kind: "orchestrator", name, fn, sdkRoot: durableTask.root });
    } else if (value instanceof GeneratorFunction && durableFunctions) {
      found.push({ sdk: "durable-functions", kind: "orchestrator", name, fn, sdkRoot: durableFunctions });
    }
  }
  return found;
}

const MODULE_FILE = /\.(?:[cm]?[jt]s|tsx)$/;
// The names a worker's entry point usually has, suggested first and in this order.
const ENTRY_NAMES = ["worker", "index", "main", "app", "orchestrators", "orchestrator"];
const entryRank = (name: string) => {
  const rank = ENTRY_NAMES.indexOf(name.slice(0, name.indexOf(".")));
  return rank === -1 ? ENTRY_NAMES.length : rank;
};

/** What to pass instead of a folder: its module files, the likely entry points first. */
function folderAdvice(dir: string): string {
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((name) => MODULE_FILE.test(name) && !name.endsWith(".d.ts"));
  } catch {
    // An unreadable folder gets the general advice.
  }
  const likely = names.sort((a, b) => entryRank(a) - entryRank(b) || a.localeCompare(b)).slice(0, 3);
  const examples = likely.length ? ` (here: ${likely.map((name) => join(dir, name)).join(", ")})` : "";
  return `pass the module that registers your orchestrators${examples}, or a function app folder (one with host.json)`;
}

async function load(file: string): Promise<LoadedModule> {
  if (!existsSync(file)) throw new InputError("module not found; check the path (--module, --baseline or --candidate, relative to the current directory)", { file });
  // A FIFO or a device would block the import in a system call no time limit can interrupt.
  const stats = statSync(file);
  const special = stats.isDirectory() ? undefined : specialKind(stats);
  if (special) throw new InputError(`is ${special}, not a regular file; pass the module's source or compiled file (or a function app folder)`, { file });
  // Node would ask for an import attribute, which says nothing to someone who gave a history here.
  if (/\.json[c5l]?$/i.test(file)) throw new InputError("is a JSON file, not a module; pass the module that registers your orchestrators (histories go to dtcheck replay)", { file });
  const functionApp = stats.isDirectory() && isFunctionAppDir(file);
  // Node's own answer ("Directory import ... is not supported resolving ES modules imported from <dtcheck's file>") names dtcheck, not what to pass.
  if (stats.isDirectory() && !functionApp) throw new InputError(`is a folder, not a module; ${folderAdvice(file)}`, { file });
  // A function app folder: every file its package.json "main" names, as the Functions host loads them.
  const entries = functionApp ? await functionAppEntries(file) : [file];
  // Stacks captured while explaining a divergence then point at the user's original .ts lines.
  process.setSourceMapsEnabled(true);
  patchDurableTask(entries[0]!);
  patchDurableFunctions(entries[0]!);
  let mod: Record<string, unknown> = {};
  const registrations: Registration[] = [];
  // The file each registration came from: a function app's orchestrators are read (types, call sites) in their own file.
  const registeredIn = new Map<Registration, string>();
  for (const entry of entries) {
    const found = await collectRegistrations(async () => {
      try {
        mod = { ...mod, ...(await withoutAzureFunctionsTestModeWarnings(() => importUserModule(entry))) };
      } catch (error) {
        throw new InputError(`could not be loaded: ${loadFailureDetail(error, entry)}`, { file: entry, cause: error });
      }
    });
    for (const registration of found) registeredIn.set(registration, entry);
    registrations.push(...found);
  }
  const registeredFns = new Set(registrations.map((r) => r.fn));
  for (const exported of exportedOrchestrators(entries[0]!, mod)) {
    if (!registeredFns.has(exported.fn)) registrations.push(exported);
  }
  const orchestrators = new Map<string, OrchestratorTarget>();
  for (const r of registrations) {
    if (r.kind !== "orchestrator" || orchestrators.has(r.name)) continue;
    const target: OrchestratorTarget = { sdk: r.sdk, name: r.name, fn: r.fn, sdkRoot: r.sdkRoot, modulePath: file };
    const entry = registeredIn.get(r);
    if (entry && entry !== file) target.sourceFile = entry;
    orchestrators.set(r.name, target);
  }
  if (orchestrators.size === 0) {
    const others = registrations.map((r) => `${r.kind} "${r.name}"`).join(", ");
    throw new InputError(
      `registers no orchestrator${others ? ` (found only ${others})` : ""}; register one with addOrchestrator / addNamedOrchestrator, registerWorkflow, df.app.orchestration, or export an orchestrator function`,
      { file },
    );
  }
  return { path: file, registrations, orchestrators };
}

/**
 * Loads a user module once per path, capturing its registrations without connecting anywhere
 * (workers' start() does nothing while dtcheck loads them).
 */
export function loadModule(path: string): Promise<LoadedModule> {
  const file = resolve(path);
  let loaded = cache.get(file);
  if (!loaded) {
    loaded = load(file);
    cache.set(file, loaded);
    loaded.catch(() => cache.delete(file));
  }
  return loaded;
}

/** The orchestrator to replay: the given name, else the history's ExecutionStarted name. */
export function pickOrchestrator(module: LoadedModule, name: string | undefined, source?: string): OrchestratorTarget {
  const names = [...module.orchestrators.keys()];
  if (name === undefined) {
    if (names.length === 1) return module.orchestrators.get(names[0]!)!;
    throw new InputError(`no orchestrator name given and the module registers several (${names.join(", ")}); pass one`, {
      file: source ?? module.path,
    });
  }
  const target = module.orchestrators.get(name);
  if (target) return target;
  throw new InputError(
    `orchestrator "${name}" is not registered by ${module.path}; it registers ${names.map((n) => `"${n}"`).join(", ")}. Pass --orchestrator to choose one`,
    { file: source },
  );
}

/** An explicit orchestrator map (from dtcheck.config): name → function, or "file#export" / "file" (default export). */
export async function loadOrchestratorMap(
  map: Record<string, unknown>,
  baseDir: string,
  sdk?: SdkKind,
): Promise<LoadedModule> {
  const orchestrators = new Map<string, OrchestratorTarget>();
  const registrations: Registration[] = [];
  for (const [name, entry] of Object.entries(map)) {
    let target: OrchestratorTarget | undefined;
    if (typeof entry === "string") {
      const [file, exportName] = entry.split("#") as [string, string | undefined];
      const module = await loadModule(resolve(baseDir, file));
      target = exportName ? module.orchestrators.get(exportName) : module.orchestrators.get(name) ?? [...module.orchestrators.values()][0];
      if (!target) {
        throw new InputError(`orchestrator map entry "${name}": ${entry} has no orchestrator export "${exportName ?? name}"`, { file: baseDir });
      }
    } else if (typeof entry === "function") {
      const roots = findDurableTaskRoots(resolve(baseDir, "index.js"));
      const dfRoot = findPackageDir("durable-functions", resolve(baseDir, "index.js"));
      const isDf = sdk === "durable-functions" || (!(entry instanceof AsyncGeneratorFunction) && dfRoot !== undefined);
      const root = isDf ? dfRoot : (roots.find((r) => !sdk || r.layout.kind === sdk) ?? roots[0])?.root;
      if (!root) throw new InputError(`orchestrator map entry "${name}": no durabletask-js or durable-functions installation found`, { file: baseDir });
      target = { sdk: isDf ? "durable-functions" : (roots.find((r) => r.root === root)?.layout.kind ?? "durabletask"), name, fn: entry as OrchestratorTarget["fn"], sdkRoot: root };
    } else {
      throw new InputError(`orchestrator map entry "${name}" must be a function or "path#export", got ${typeof entry}`, { file: baseDir });
    }
    orchestrators.set(name, { ...target, name });
    registrations.push({ sdk: target.sdk, kind: "orchestrator", name, fn: target.fn, sdkRoot: target.sdkRoot });
  }
  return { path: baseDir, registrations, orchestrators };
}
