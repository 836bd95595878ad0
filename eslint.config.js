// The project lints itself with typescript-eslint's recommended rules.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

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
            { name: "@typescript-eslint/rule-tester", importNames: ["RuleTester"], message: "Use ruleTester or typedRuleTester from tests/helpers/rule-tester.ts." },
            { name: "eslint", importNames: ["RuleTester"], message: "Use ruleTester or typedRuleTester from tests/helpers/rule-tester.ts." },
          ],
        },
      ],
    },
  },
);
