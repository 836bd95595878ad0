import { createRequire } from "node:module";
import type { TSESLint } from "@typescript-eslint/utils";
import { rules } from "./rules/index.js";
import { TYPE_CHECKED_SETTING } from "./analysis/settings.js";

export type { OrchestratorInfo, FunctionNode } from "./analysis/orchestrators.js";
export type { Sdk, ContextApi } from "./catalogue/sdks.js";
export type { DtcheckSettings } from "./analysis/settings.js";

const PLUGIN_NAME = "@dtcheck";
// Read from the shipped package.json so a release bump (Changesets) is the only place the version changes;
// ESLint uses meta.version in its config cache key.
const packageJson = createRequire(import.meta.url)("../package.json") as { name: string; version: string };

type Severity = "error" | "warn";
type RulesRecord = Record<string, Severity>;

/** `recommended`: each rule at its `meta.docs.recommended` severity (untyped rules only). */
function recommendedRules(): RulesRecord {
  const out: RulesRecord = {};
  for (const [name, rule] of Object.entries(rules)) {
    const docs = rule.meta.docs;
    if (docs?.recommended && !docs.requiresTypeChecking) out[`${PLUGIN_NAME}/${name}`] = docs.recommended;
  }
  return out;
}

/** `strict`: every untyped rule as an error. */
function strictRules(): RulesRecord {
  const out: RulesRecord = {};
  for (const [name, rule] of Object.entries(rules)) {
    if (!rule.meta.docs?.requiresTypeChecking) out[`${PLUGIN_NAME}/${name}`] = "error";
  }
  return out;
}

/** The same rules with every rule's recommended severity, type-aware ones included. */
function recommendedTypeCheckedRules(): RulesRecord {
  const out: RulesRecord = {};
  for (const [name, rule] of Object.entries(rules)) {
    const level = rule.meta.docs?.recommended;
    if (level) out[`${PLUGIN_NAME}/${name}`] = level;
  }
  return out;
}

function strictTypeCheckedRules(): RulesRecord {
  return Object.fromEntries(Object.keys(rules).map((name) => [`${PLUGIN_NAME}/${name}`, "error" as const]));
}

/**
 * Type-aware configs: the rules follow calls across files with the type checker of the program
 * typescript-eslint builds (`projectService`), and find orchestrators by the type of their context.
 */
function typeChecked(name: string, rulesRecord: RulesRecord): TSESLint.FlatConfig.Config {
  return {
    name,
    plugins: { [PLUGIN_NAME]: plugin as unknown as TSESLint.FlatConfig.Plugin },
    languageOptions: { parserOptions: { projectService: true } },
    settings: { [TYPE_CHECKED_SETTING]: true },
    rules: rulesRecord,
  };
}

const plugin = {
  meta: { name: packageJson.name, version: packageJson.version, namespace: PLUGIN_NAME },
  rules: rules as Record<string, TSESLint.LooseRuleDefinition>,
  configs: {} as Record<
    "recommended" | "strict" | "recommended-type-checked" | "strict-type-checked",
    TSESLint.FlatConfig.Config
  >,
};

// Flat configs reference the plugin object itself, so they are attached after it exists.
plugin.configs.recommended = {
  name: "@dtcheck/recommended",
  plugins: { [PLUGIN_NAME]: plugin as unknown as TSESLint.FlatConfig.Plugin },
  rules: recommendedRules(),
};
plugin.configs.strict = {
  name: "@dtcheck/strict",
  plugins: { [PLUGIN_NAME]: plugin as unknown as TSESLint.FlatConfig.Plugin },
  rules: strictRules(),
};

plugin.configs["recommended-type-checked"] = typeChecked("@dtcheck/recommended-type-checked", recommendedTypeCheckedRules());
plugin.configs["strict-type-checked"] = typeChecked("@dtcheck/strict-type-checked", strictTypeCheckedRules());

export default plugin;
export { rules };
/** For tools that decide from a file's text whether the rules can report in it (dtcheck lint's pre-filter). */
export { textMayContainOrchestrators } from "./analysis/orchestrators.js";
