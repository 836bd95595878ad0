import { ESLintUtils } from "@typescript-eslint/utils";

/** Extra `meta.docs` fields the plugin's configs are built from (see src/index.ts). */
export interface DtcheckDocs {
  /** Severity in the `recommended` config; `false` means the rule is only in `strict`. */
  recommended: "error" | "warn" | false;
  /** The rule needs type information (only in the type-checked configs). */
  requiresTypeChecking?: boolean;
}

/** Every rule's `meta.docs.url` points at its page under the repository's docs/rules/. */
export const createRule = ESLintUtils.RuleCreator<DtcheckDocs>(
  (name) => `https://github.com/dtcheck/dtcheck/blob/main/docs/rules/${name}.md`,
);
