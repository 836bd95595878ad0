import type { TSESLint } from "@typescript-eslint/utils";
import { rules } from "./rules/index.js";

export type { OrchestratorInfo, FunctionNode } from "./analysis/orchestrators.js";
export type { Sdk, ContextApi } from "./catalogue/sdks.js";
export type { DtcheckSettings } from "./analysis/settings.js";

const PLUGIN_NAME = "@dtcheck";

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

const plugin = {
  meta: { name: "@dtcheck/eslint-plugin", version: "0.1.0", namespace: "@dtcheck" },
  rules: rules as Record<string, TSESLint.LooseRuleDefinition>,
  configs: {} as Record<"recommended" | "strict", TSESLint.FlatConfig.Config>,
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

export default plugin;
export { rules };
