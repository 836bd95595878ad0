/** Lints source text with the real ESLint Linter and the typescript-eslint parser. */
import { Linter } from "eslint";
import tsParser from "@typescript-eslint/parser";
import type { TSESLint } from "@typescript-eslint/utils";

export function lintText(
  code: string,
  rules: Record<string, TSESLint.LooseRuleDefinition>,
  options: { settings?: Record<string, unknown>; ruleOptions?: Record<string, unknown[]>; filename?: string } = {},
): Linter.LintMessage[] {
  const linter = new Linter({ configType: "flat" });
  const ruleConfig: Linter.RulesRecord = {};
  for (const name of Object.keys(rules)) ruleConfig[`test/${name}`] = ["error", ...(options.ruleOptions?.[name] ?? [])];
  return linter.verify(
    code,
    {
      files: ["**/*.ts", "**/*.js"],
      languageOptions: { parser: tsParser, ecmaVersion: "latest", sourceType: "module" },
      // The plugin shape ESLint expects; rule modules from @typescript-eslint/utils are compatible.
      plugins: { test: { rules } as unknown as NonNullable<Linter.Config["plugins"]>[string] },
      settings: options.settings ?? {},
      rules: ruleConfig,
    },
    options.filename ?? "file.ts",
  );
}
