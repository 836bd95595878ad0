/**
 * Typed reading of the shared `settings.dtcheck` block of an ESLint config:
 *
 * ```js
 * settings: { dtcheck: {
 *   orchestrators: ["processOrder"],                 // extra orchestrators by function name
 *   deterministic: ["formatId", "clock.now", "my-lib#now"],  // declared safe (name, callee path, or module#export)
 *   nondeterministic: ["readConfig", { name: "legacy#load", category: "io" }],
 *   ioModules: ["@acme/http-client"],                // extra I/O client packages for no-io
 *   followPackages: ["@acme/utils"],                 // type-aware mode: walk these packages' JavaScript
 * } }
 * ```
 * Malformed values throw one clear error naming the setting, which ESLint reports for the file.
 */
import type { TSESLint } from "@typescript-eslint/utils";
import { HAZARD_CATEGORIES, type HazardCategory } from "../catalogue/hazards.js";

export interface DeclaredHazard {
  /** A function name, a callee path (`clock.now`) or `module#export`. */
  name: string;
  category: HazardCategory;
}

export interface DtcheckSettings {
  orchestrators: ReadonlySet<string>;
  deterministic: ReadonlySet<string>;
  nondeterministic: ReadonlyMap<string, DeclaredHazard>;
  ioModules: readonly string[];
  /** Packages whose compiled JavaScript the type-aware mode may walk (opt-in; default: judged by import). */
  followPackages: ReadonlySet<string>;
}

const EMPTY: DtcheckSettings = {
  orchestrators: new Set(),
  deterministic: new Set(),
  nondeterministic: new Map(),
  ioModules: [],
  followPackages: new Set(),
};

const cache = new WeakMap<object, DtcheckSettings>();

type AnyContext = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;

export function readSettings(context: AnyContext): DtcheckSettings {
  const raw = (context.settings as Record<string, unknown> | undefined)?.["dtcheck"];
  if (raw === undefined || raw === null) return EMPTY;
  if (typeof raw !== "object") throw settingsError("settings.dtcheck", "an object", raw);
  const cached = cache.get(raw);
  if (cached) return cached;
  const parsed = parseSettings(raw as Record<string, unknown>);
  cache.set(raw, parsed);
  return parsed;
}

function parseSettings(raw: Record<string, unknown>): DtcheckSettings {
  const known = new Set(["orchestrators", "deterministic", "nondeterministic", "ioModules", "followPackages"]);
  for (const key of Object.keys(raw)) {
    if (!known.has(key)) {
      throw new Error(
        `dtcheck: unknown setting settings.dtcheck.${key}; expected one of ${[...known].join(", ")}.`,
      );
    }
  }
  const nondeterministic = new Map<string, DeclaredHazard>();
  for (const entry of arrayOf(raw, "nondeterministic")) {
    if (typeof entry === "string") {
      nondeterministic.set(entry, { name: entry, category: "io" });
    } else if (entry && typeof entry === "object" && typeof (entry as { name?: unknown }).name === "string") {
      const { name, category = "io" } = entry as { name: string; category?: unknown };
      if (!HAZARD_CATEGORIES.includes(category as HazardCategory)) {
        throw settingsError(
          `settings.dtcheck.nondeterministic entry "${name}" category`,
          `one of ${HAZARD_CATEGORIES.join(", ")}`,
          category,
        );
      }
      nondeterministic.set(name, { name, category: category as HazardCategory });
    } else {
      throw settingsError("settings.dtcheck.nondeterministic entry", 'a string or { name, category }', entry);
    }
  }
  return {
    orchestrators: new Set(stringsOf(raw, "orchestrators")),
    deterministic: new Set(stringsOf(raw, "deterministic")),
    nondeterministic,
    ioModules: stringsOf(raw, "ioModules"),
    followPackages: new Set(stringsOf(raw, "followPackages")),
  };
}

function arrayOf(raw: Record<string, unknown>, key: string): readonly unknown[] {
  const value = raw[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw settingsError(`settings.dtcheck.${key}`, "an array", value);
  return value;
}

function stringsOf(raw: Record<string, unknown>, key: string): string[] {
  return arrayOf(raw, key).map((v) => {
    if (typeof v !== "string") throw settingsError(`settings.dtcheck.${key} entry`, "a string", v);
    return v;
  });
}

function settingsError(what: string, expected: string, got: unknown): Error {
  return new Error(`dtcheck: ${what} must be ${expected}, got ${JSON.stringify(got)}; fix it in your ESLint config.`);
}

/** Set by the `*-type-checked` configs, so a missing program is reported instead of silently ignored. */
export const TYPE_CHECKED_SETTING = "@dtcheck/type-checked";

export function typeCheckedRequested(context: AnyContext): boolean {
  return (context.settings as Record<string, unknown> | undefined)?.[TYPE_CHECKED_SETTING] === true;
}
