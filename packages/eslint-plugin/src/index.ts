import type { TSESLint } from "@typescript-eslint/utils";

/** Rules are added by the rule files under src/rules/ (see the plugin issue). */
const rules: Record<string, TSESLint.RuleModule<string, unknown[]>> = {};

const plugin = {
  meta: { name: "@dtcheck/eslint-plugin", version: "0.1.0" },
  rules,
};

export default plugin;
