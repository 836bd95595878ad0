// The project lints itself with typescript-eslint's recommended rules.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";
import eslintPlugin from "eslint-plugin-eslint-plugin";

export default tseslint.config(
  {
    ignores: ["**/dist/**", "**/node_modules/**", "fixtures/**", "coverage/**", ".dtcheck/**", ".dtcheck-tmp/**"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Rule tests go through the strict testers (every error pins its location and data).
    files: ["packages/eslint-plugin/tests/**/*.ts"],
    ignores: ["packages/eslint-plugin/tests/helpers/rule-tester.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            { name: "@typescript-eslint/rule-tester", importNames: ["RuleTester"], message: "Use StrictRuleTester or typedRuleTester from tests/helpers/rule-tester.ts." },
            { name: "eslint", importNames: ["RuleTester"], message: "Use StrictRuleTester or typedRuleTester from tests/helpers/rule-tester.ts." },
          ],
        },
      ],
    },
  },
  {
    // The plugin's rules are held to what eslint-plugin-eslint-plugin checks, plus what
    // typescript-eslint asks of its own rules: described options with explicit defaults.
    files: ["packages/eslint-plugin/src/rules/**/*.ts"],
    ...eslintPlugin.configs["rules-recommended"],
    rules: {
      ...eslintPlugin.configs["rules-recommended"].rules,
      "eslint-plugin/require-meta-docs-description": ["error", { pattern: "^(Disallow|Require|Enforce) " }],
      "eslint-plugin/require-meta-schema-description": "error",
      "eslint-plugin/require-meta-default-options": "error",
      "eslint-plugin/require-meta-has-suggestions": "error",
      "eslint-plugin/require-meta-type": "error",
      "eslint-plugin/no-meta-schema-default": "error",
      "eslint-plugin/prefer-message-ids": "error",
      "eslint-plugin/prefer-placeholders": "error",
    },
  },
  {
    files: ["packages/eslint-plugin/tests/rules/**/*.ts"],
    ...eslintPlugin.configs["tests-recommended"],
    settings: { "eslint-plugin": { ruleTesterConstructors: ["StrictRuleTester", "typedRuleTester"] } },
    rules: {
      ...eslintPlugin.configs["tests-recommended"].rules,
      "eslint-plugin/require-test-error-positions": "error",
      "eslint-plugin/no-only-tests": "error",
      "eslint-plugin/consistent-output": "error",
    },
  },
);
