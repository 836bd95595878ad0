import type { Arbitrary } from "fast-check";
import type { OrchestratorTarget } from "../engines/engine.js";
import { describeValue, inferValues, type InferredValues } from "../inputs/infer.js";
import { examplesFirst } from "../inputs/seeded-arbitrary.js";
import { seedsFromHistories, type HistorySeeds } from "../inputs/seeds.js";
import { asArbitrary, DEFAULT_VALUE, isArbitrary, type FuzzConfig } from "./config.js";
import { sourceOf } from "../files/original-source.js";
import { staticCallSites } from "../coverage/static-sites.js";

/** Where the values a fuzzed world hands an orchestrator come from, besides the user's `fuzz` config. */
export interface ValueSourceOptions {
  /** Generate inputs and results from the orchestrator's declared types (default true). */
  inferTypes?: boolean;
  /** Saved histories whose inputs and results are tried first (files, directories, globs). */
  seedHistories?: string | string[];
  /** The same, already read (a whole-module check reads them once for every orchestrator). */
  seeds?: HistorySeeds;
  /** Base directory for relative history paths. */
  cwd?: string;
}

/** The `fuzz` config one orchestrator's worlds use, and what filled it in. */
export interface ResolvedValues {
  config: FuzzConfig;
  /** One line per value that did not come from the user: inferred types and history seeds. */
  described: string[];
}

type Table = "activities" | "subOrchestrations" | "events";
const TABLES: Table[] = ["activities", "subOrchestrations", "events"];
/** The context methods whose first argument names what each table's values answer. */
const CALLS_OF: Record<Table, RegExp> = { activities: /^callActivity/, subOrchestrations: /^call(Sub|Child)/, events: /^waitForExternalEvent$/ };

function own<T>(table: Record<string, T> | undefined, name: string): T | undefined {
  return table && Object.hasOwn(table, name) ? table[name] : undefined;
}

/**
 * Resolves the values for one orchestrator's worlds. Precedence, per value: the user's config
 * (`fuzz.inputs[name]`, then `fuzz.input`; `fuzz.activities[name]`, ...), then what its declared
 * types say, then DEFAULT_VALUE. Values from saved histories are tried first, before the
 * arbitrary, unless the user fixed the value.
 */
export async function resolveFuzzValues(target: OrchestratorTarget, user: FuzzConfig, options: ValueSourceOptions = {}): Promise<ResolvedValues> {
  const inferred: InferredValues | undefined =
    options.inferTypes === false ? undefined : await inferValues({ name: target.name, modulePath: sourceOf(target), functionName: target.fn.name });
  const seeds = options.seeds ?? (options.seedHistories !== undefined ? await seedsFromHistories(options.seedHistories, options.cwd) : undefined);
  const config: FuzzConfig = { ...user };
  const described: string[] = [];

  const given = own(user.inputs, target.name) ?? user.input;
  const inputSeeds = own(seeds?.inputs, target.name);
  if (given !== undefined && !isArbitrary(given)) {
    config.input = given;
  } else {
    const base = given ?? inferred?.input?.arbitrary;
    if (given === undefined && inferred?.input) described.push(`inferred ${describeValue("input", undefined, inferred.input)}`);
    if (base !== undefined || inputSeeds) config.input = examplesFirst(inputSeeds, asArbitrary(base));
  }

  for (const table of TABLES) {
    const merged: Record<string, Arbitrary<unknown>> = { ...user[table] };
    const names = new Set([...Object.keys(inferred?.[table] ?? {}), ...Object.keys(seeds?.[table] ?? {})]);
    for (const name of names) {
      const typed = own(inferred?.[table], name);
      if (typed && own(user[table], name) === undefined) described.push(`inferred ${describeValue(table, name, typed)}`);
      merged[name] = examplesFirst(own(seeds?.[table], name), own(user[table], name) ?? own(inferred?.[table], name)?.arbitrary ?? DEFAULT_VALUE);
    }
    if (names.size > 0) config[table] = merged;
  }
  if (seeds) described.push(describeSeeds(seeds, target));
  return { config, described };
}

/**
 * What the saved histories give this orchestrator: its own inputs, and the results of the calls its
 * code makes (by name; every name when its source could not be read), not everything they hold.
 */
function describeSeeds(seeds: HistorySeeds, target: OrchestratorTarget): string {
  const sites = staticCallSites(target).sites;
  const count = (table: Table) => {
    const calls = new Set(sites.filter((site) => CALLS_OF[table].test(site.method)).map((site) => site.name));
    return Object.entries(seeds[table]).reduce((n, [name, values]) => n + (sites.length === 0 || calls.has(name) ? values.length : 0), 0);
  };
  // Only what was found, each counted in the singular or plural: "1 input, 3 activity results".
  const counted = (n: number, one: string, many: string) => (n === 0 ? [] : [`${n} ${n === 1 ? one : many}`]);
  const parts = [
    ...counted(own(seeds.inputs, target.name)?.length ?? 0, "input", "inputs"),
    ...counted(count("activities"), "activity result", "activity results"),
    ...counted(count("subOrchestrations"), "sub-orchestration result", "sub-orchestration results"),
    ...counted(count("events"), "event payload", "event payloads"),
  ];
  const histories = (n: number) => `${n} saved ${n === 1 ? "history" : "histories"}`;
  const of = own(seeds.filesOf, target.name) ?? 0;
  const from = of === seeds.files ? histories(seeds.files) : `${histories(seeds.files)} (${of} of them of ${target.name})`;
  if (parts.length === 0) return `seeded from ${from}: no input of it and no result of a call it makes, so nothing`;
  return `seeded from ${from}: ${parts.join(", ")}, tried first`;
}
