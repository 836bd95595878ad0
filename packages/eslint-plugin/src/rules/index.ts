/**
 * Every rule of the plugin, by name. Adding a rule = one import and one entry here; the configs in
 * src/index.ts are built from each rule's `meta.docs.recommended`.
 */
import type { TSESLint } from "@typescript-eslint/utils";
import type { DtcheckDocs } from "../util/create-rule.js";

/** A rule as the plugin stores it (any options, any message ids). */
export type DtcheckRule = TSESLint.RuleModule<string, readonly unknown[], DtcheckDocs>;

export const rules: Record<string, DtcheckRule> = {};
