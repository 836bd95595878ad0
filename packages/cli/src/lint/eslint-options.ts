/**
 * The ESLint setups of `dtcheck lint`, built from plain data (`LintSetup`) by one function,
 * `eslintOptions`. In one thread dtcheck passes its result to `new ESLint`; with worker threads
 * (`--workers n`), ESLint requires every option to be cloneable, which dtcheck's (parser objects,
 * the plugin, `ruleFilter`) are not, so ESLint is given the URL of `options-module.js` instead:
 * each worker imports that module, which calls `eslintOptions` on the same data, carried in the
 * URL's query (ESLint imports the URL as given, so the module reads it back from `import.meta.url`).
 */
import { ESLint, type Linter } from "eslint";
import tseslint from "typescript-eslint";
import dtcheck from "@dtcheck/eslint-plugin";
import { PREFILTER_OPTION, prefilteringParser } from "./prefilter.js";
import { releasingNodeChildren } from "./node-children.js";

export const SOURCE_FILES = ["**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}"];
export const IGNORES = ["**/node_modules/**", "**/dist/**", "**/build/**", "**/coverage/**", "**/*.d.ts"];
export const DTCHECK_RULE = /^@dtcheck\//;

/** Everything an ESLint setup of dtcheck lint depends on: JSON data, so it can travel in a URL. */
export interface LintSetup {
  cwd: string;
  /**
   * "project": the project's own ESLint config with dtcheck's rules only (see `projectOptions`);
   * "zero-config": dtcheck's own setup (see `zeroConfig`).
   */
  config: "project" | "zero-config";
  strict: boolean;
  /** Zero-config: type-aware, through typescript-eslint's project service rooted at cwd. */
  typed: boolean;
  /** Zero-config: the pre-filter (see prefilter.ts). */
  prefilter: boolean;
  fix: boolean;
  /** Threads linting at once: 1 lints in this thread (ESLint's `concurrency: "off"`). */
  workers: number;
}

/**
 * Without a project ESLint config that loads dtcheck, dtcheck lint is zero-config: it runs only
 * dtcheck's rules with its own parser setup, so adopting it needs no change to the project's lint
 * setup.
 */
function zeroConfig(setup: LintSetup): Linter.Config[] {
  const { strict, typed, prefilter, cwd } = setup;
  const name = `${strict ? "strict" : "recommended"}${typed ? "-type-checked" : ""}` as const;
  const preset = dtcheck.configs[name] as Linter.Config;
  const parser = typed ? releasingNodeChildren(tseslint.parser as Linter.Parser) : (tseslint.parser as Linter.Parser);
  const projectService = { projectService: true, tsconfigRootDir: cwd };
  return [
    { ignores: IGNORES },
    {
      files: SOURCE_FILES,
      languageOptions: {
        // Only dtcheck's rules run here, so a file none of them can report in need not be parsed.
        parser: prefilter ? prefilteringParser(parser, typed) : parser,
        sourceType: "module",
        ecmaVersion: "latest",
        parserOptions: {
          ...(typed ? projectService : {}),
          ...(prefilter ? { [PREFILTER_OPTION]: true } : {}),
        },
      },
      linterOptions: { reportUnusedDisableDirectives: "off" },
    },
    { ...preset, files: SOURCE_FILES, ...(typed ? { languageOptions: { ...preset.languageOptions, parserOptions: projectService } } : {}) },
  ];
}

/**
 * The project's own config, with dtcheck's rules only: its settings, rule options, severities,
 * parser setup (typed or not) and ignores are what the editor and `eslint` use, so all three report
 * the same set. Disable directives for the other rules stay quiet (unused ones are not dtcheck's
 * business); `--strict` raises dtcheck's rules to errors, keeping their options.
 */
function projectOptions(setup: LintSetup): ESLint.Options {
  const strictRules = dtcheck.configs.strict.rules ?? {};
  return {
    ruleFilter: ({ ruleId }) => DTCHECK_RULE.test(ruleId),
    overrideConfig: [
      { linterOptions: { reportUnusedDisableDirectives: "off" } },
      ...(setup.strict ? [{ rules: strictRules as Linter.RulesRecord }] : []),
    ],
  };
}

/** The ESLint options of a setup: the one definition, in this thread and in every worker. */
export function eslintOptions(setup: LintSetup): ESLint.Options {
  return {
    cwd: setup.cwd,
    ...(setup.config === "project" ? projectOptions(setup) : { overrideConfigFile: true, overrideConfig: zeroConfig(setup) }),
    fix: setup.fix,
    errorOnUnmatchedPattern: false,
    // Per-file times for JUnit (ESLint times each rule listener; dtcheck's rules have few).
    stats: true,
    concurrency: setup.workers > 1 ? setup.workers : "off",
  };
}

/** The query parameter of the options module's URL that carries the setup. */
export const SETUP_PARAMETER = "setup";

/** The setup an options module URL carries (the inverse of the URL `createEslint` builds). */
export function setupFromUrl(url: string): LintSetup {
  const json = new URL(url).searchParams.get(SETUP_PARAMETER);
  if (json === null) throw new Error(`${url} carries no "${SETUP_PARAMETER}": it is imported by ESLint with the URL dtcheck lint builds`);
  return JSON.parse(json) as LintSetup;
}

/** ESLint's warning, after a multithreaded lintFiles, that its threads spent under 70% of their time linting. */
const POOR_CONCURRENCY = "ESLintPoorConcurrencyWarning";

/**
 * An ESLint for this setup: in this thread, or with `workers` threads through the options module.
 * ESLint's poor-concurrency warning (its advice names ESLint's option, not dtcheck's) goes to
 * `onPoorConcurrency` instead: ESLint keeps the `process.emitWarning` it finds when it is created.
 */
export async function createEslint(setup: LintSetup, onPoorConcurrency: () => void): Promise<ESLint> {
  if (setup.workers <= 1) return new ESLint(eslintOptions(setup));
  const url = new URL("./options-module.js", import.meta.url);
  url.searchParams.set(SETUP_PARAMETER, JSON.stringify(setup));
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (rest[0] === POOR_CONCURRENCY) onPoorConcurrency();
    else (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return await ESLint.fromOptionsModule(url);
  } finally {
    process.emitWarning = emitWarning;
  }
}
