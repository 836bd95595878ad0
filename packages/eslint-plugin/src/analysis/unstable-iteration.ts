/**
 * Detects iteration whose order decides which durable calls are scheduled, when that order is not
 * pinned down by the orchestrator's own deterministic data. JS iteration order is insertion order
 * (integer-like keys first for objects), so order only drifts when:
 * - `for...in`: it also visits inherited enumerable keys and reorders integer-like keys;
 * - the collection is module-level state or imported (filled in load/registration order, by other
 *   orchestrations on the worker, or differently after a deploy), iterated through
 *   `Object.keys/values/entries`, or a module-level `Map`/`Set`.
 * Collections built inside the orchestrator from its input and task results are replayed in the
 * same order, so they are not reported; neither is anything sorted first.
 */
import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/utils";
import { TASK_METHODS } from "../catalogue/sdks.js";
import { isFunctionNode, memberName, resolveVariable, rootIdentifier, staticPath, unwrapExpression, walk } from "../util/ast.js";
import type { AnalysisFile } from "./file.js";
import type { Detector, MatchedHazard } from "./hazard-matcher.js";

const ITERATING_METHODS = new Set(["forEach", "map", "flatMap", "reduce", "filter", "some", "every", "find"]);
const SORTING_METHODS = new Set(["sort", "toSorted"]);
const KEYED = new Set(["Object.keys", "Object.values", "Object.entries", "Reflect.ownKeys", "Object.getOwnPropertyNames"]);

const WHY_FOR_IN =
  "visits keys in an order that depends on how the object was built (integer-like keys first, inherited keys too), so the durable calls it schedules can come in a different order on replay";
const WHY_SHARED =
  "iterates shared module-level data whose order depends on load order, other orchestrations or the deploy, so the durable calls it schedules can come in a different order on replay";

export const unstableIterationDetector: Detector = {
  match(node, file) {
    if (node.type === AST_NODE_TYPES.ForInStatement) {
      if (!schedulesDurableWork(node.body, file)) return undefined;
      const name = staticPath(node.right) ?? "an object";
      return hazard(node, `for...in over ${name}`, WHY_FOR_IN, rootIdentifier(node.right)?.name ?? name);
    }
    if (node.type === AST_NODE_TYPES.ForOfStatement) {
      const source = sharedUnsortedSource(node.right, file);
      if (!source || !schedulesDurableWork(node.body, file)) return undefined;
      return hazard(node, `for...of over ${source}`, WHY_SHARED, collectionName(node.right) ?? source);
    }
    if (node.type === AST_NODE_TYPES.CallExpression) {
      const callee = unwrapExpression(node.callee);
      if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
      const method = memberName(callee);
      const callback = node.arguments[0];
      if (method === undefined || !ITERATING_METHODS.has(method) || !callback || !isFunctionNode(callback)) return undefined;
      const source = sharedUnsortedSource(callee.object, file);
      if (!source || !schedulesDurableWork(callback.body, file)) return undefined;
      return hazard(node, `${source}.${method}()`, WHY_SHARED, collectionName(callee.object) ?? source);
    }
    return undefined;
  },
};

/** The collection's own name: `REGIONS` in `Object.keys(REGIONS)`, `carriers` in `[...carriers]`. */
function collectionName(expr: TSESTree.Node): string | undefined {
  const n = unwrapExpression(expr);
  if (n.type === AST_NODE_TYPES.CallExpression) {
    const arg = n.arguments[0];
    if (arg && arg.type !== AST_NODE_TYPES.SpreadElement) return rootIdentifier(arg)?.name;
    return rootIdentifier(n.callee)?.name;
  }
  if (n.type === AST_NODE_TYPES.ArrayExpression && n.elements[0]?.type === AST_NODE_TYPES.SpreadElement) {
    return rootIdentifier(n.elements[0].argument)?.name;
  }
  return rootIdentifier(n)?.name;
}

function hazard(node: TSESTree.Node, label: string, why: string, key: string): MatchedHazard {
  return { category: "unstable-iteration", label, why, replacement: "sortedKeys", key, id: key, node };
}

/**
 * The text of the iterated collection if it is shared module-level/imported data iterated without
 * sorting: `Object.keys(regions)`, `registry` (a module-level Map/Set), `registry.keys()`.
 */
function sharedUnsortedSource(expr: TSESTree.Node, file: AnalysisFile): string | undefined {
  let n = unwrapExpression(expr);
  // `[...x]` and `Array.from(x)` keep x's order.
  if (n.type === AST_NODE_TYPES.ArrayExpression && n.elements.length === 1 && n.elements[0]?.type === AST_NODE_TYPES.SpreadElement) {
    n = unwrapExpression(n.elements[0].argument);
  }
  if (n.type === AST_NODE_TYPES.CallExpression) {
    const callee = unwrapExpression(n.callee);
    const path = staticPath(callee);
    if (callee.type === AST_NODE_TYPES.MemberExpression && SORTING_METHODS.has(memberName(callee) ?? "")) return undefined;
    const arg = n.arguments[0];
    if (path !== undefined && (KEYED.has(path) || path === "Array.from") && arg && arg.type !== AST_NODE_TYPES.SpreadElement) {
      if (path === "Array.from") return sharedUnsortedSource(arg, file);
      return isSharedBinding(arg, file) ? `${path}(${staticPath(arg) ?? "..."})` : undefined;
    }
    // `map.keys()`, `set.values()`, `map.entries()` of a module-level Map/Set.
    if (callee.type === AST_NODE_TYPES.MemberExpression && ["keys", "values", "entries"].includes(memberName(callee) ?? "")) {
      return isSharedMapOrSet(callee.object, file) ? staticPath(callee) ?? undefined : undefined;
    }
    return undefined;
  }
  return isSharedMapOrSet(n, file) ? staticPath(n) : undefined;
}

/** The root of `expr` is bound at module level (declared or imported). */
function isSharedBinding(expr: TSESTree.Node, file: AnalysisFile): boolean {
  const root = rootIdentifier(expr);
  if (!root) return false;
  const variable = resolveVariable(file, root);
  if (!variable || variable.defs.length === 0) return false;
  return variable.scope.type === "module" || variable.scope.type === "global";
}

/** A module-level binding initialised with `new Map(...)` / `new Set(...)`. */
function isSharedMapOrSet(expr: TSESTree.Node, file: AnalysisFile): boolean {
  const n = unwrapExpression(expr);
  if (n.type !== AST_NODE_TYPES.Identifier || !isSharedBinding(n, file)) return false;
  const def = resolveVariable(file, n)?.defs[0];
  if (def?.node.type !== AST_NODE_TYPES.VariableDeclarator || !def.node.init) return false;
  const init = unwrapExpression(def.node.init);
  return (
    init.type === AST_NODE_TYPES.NewExpression &&
    init.callee.type === AST_NODE_TYPES.Identifier &&
    ["Map", "Set"].includes(init.callee.name)
  );
}

/** True if the code yields or calls a durable API that schedules work (callActivity, createTimer, ...). */
export function schedulesDurableWork(body: TSESTree.Node, file: AnalysisFile): boolean {
  let found = false;
  walk(body, file.visitorKeys, (node) => {
    if (found) return false;
    if (node.type === AST_NODE_TYPES.YieldExpression) found = true;
    else if (node.type === AST_NODE_TYPES.CallExpression) {
      const callee = unwrapExpression(node.callee);
      if (callee.type === AST_NODE_TYPES.MemberExpression && TASK_METHODS.has(memberName(callee) ?? "")) found = true;
    }
    return !found;
  });
  return found;
}
