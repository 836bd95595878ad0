import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { memberName } from "./ast.js";

/**
 * The listener for calls of a method by name (`x.callActivity(...)`, `Promise.all(...)`,
 * `console.log(...)`): the callee's name is checked first, which is cheap, and only the calls it
 * accepts reach `visit`, where the rule's costlier lookups (orchestrator, scope) happen.
 */
export function onMethodCalls(
  wanted: (method: string) => boolean,
  visit: (callee: TSESTree.MemberExpression, method: string, call: TSESTree.CallExpression) => void,
): TSESLint.RuleListener {
  return {
    "CallExpression > MemberExpression.callee"(callee: TSESTree.MemberExpression) {
      const method = memberName(callee);
      if (method !== undefined && wanted(method)) visit(callee, method, callee.parent as TSESTree.CallExpression);
    },
  };
}
