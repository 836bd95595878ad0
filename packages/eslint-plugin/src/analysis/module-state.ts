/**
 * Detects mutation of module-level (or global) state from orchestrator code: assignment, `++`/`--`,
 * `delete`, and mutating calls (`push`, `set`, `add`, `splice`, `Object.assign(target, ...)`, ...).
 * Such state outlives one orchestration run: other orchestrations on the same worker see the change,
 * and a replay on another worker or after a restart starts without it, so decisions drift.
 * Reading module-level constants is fine and not reported.
 */
import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/utils";
import { GLOBAL_OBJECT_NAMES } from "../catalogue/hazards.js";
import { isGlobalReference, memberName, resolveVariable, rootIdentifier, staticPath, unwrapExpression } from "../util/ast.js";
import type { AnalysisFile } from "./file.js";
import type { Detector, MatchedHazard } from "./hazard-matcher.js";

const MUTATING_METHODS = new Set([
  "push", "pop", "shift", "unshift", "splice", "sort", "reverse", "fill", "copyWithin",
  "set", "add", "delete", "clear",
]);
const MUTATING_STATICS = new Set(["Object.assign", "Object.defineProperty", "Object.defineProperties", "Reflect.set", "Reflect.deleteProperty"]);

const WHY =
  "changes module-level state that outlives this orchestration run (other orchestrations on the worker see it; a replay on another worker or after a restart starts without it)";

export class ModuleStateDetector implements Detector {
  /** `hazards` first gets a say, so `redis.set()` on an I/O client is an I/O finding, not module state. */
  constructor(private readonly hazards: Detector) {}

  match(node: TSESTree.Node, file: AnalysisFile): MatchedHazard | undefined {
    switch (node.type) {
      case AST_NODE_TYPES.AssignmentExpression:
        return this.target(node.left, node, file, (name) => `assigning ${name}`);
      case AST_NODE_TYPES.UpdateExpression:
        return this.target(node.argument, node, file, (name) => `${name}${node.operator}`);
      case AST_NODE_TYPES.UnaryExpression:
        return node.operator === "delete" ? this.target(node.argument, node, file, (name) => `delete ${name}`) : undefined;
      case AST_NODE_TYPES.CallExpression:
        return this.call(node, file);
      default:
        return undefined;
    }
  }

  private call(node: TSESTree.CallExpression, file: AnalysisFile): MatchedHazard | undefined {
    const callee = unwrapExpression(node.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
    const path = staticPath(callee);
    const first = node.arguments[0];
    if (path !== undefined && MUTATING_STATICS.has(path) && first && first.type !== AST_NODE_TYPES.SpreadElement) {
      const root = rootIdentifier(callee);
      if (root && !isGlobalReference(file, root)) return undefined; // a local `Object`
      return this.target(first, node, file, (name) => `${path}(${name}, ...)`);
    }
    const method = memberName(callee);
    if (method === undefined || !MUTATING_METHODS.has(method)) return undefined;
    if (this.hazards.match(callee, file)) return undefined;
    return this.target(callee.object, node, file, (name) => `${name}.${method}()`);
  }

  private target(
    target: TSESTree.Node,
    node: TSESTree.Node,
    file: AnalysisFile,
    label: (name: string) => string,
  ): MatchedHazard | undefined {
    const root = rootIdentifier(target);
    if (!root) return undefined;
    const variable = resolveVariable(file, root);
    const name = staticPath(target) ?? root.name;
    if (!variable) {
      // Undeclared: `x = 1` creates a global; `globalThis.x = 1` writes one.
      const isGlobalWrite = GLOBAL_OBJECT_NAMES.has(root.name) ? unwrapExpression(target) !== root : node.type === AST_NODE_TYPES.AssignmentExpression;
      if (!isGlobalWrite) return undefined;
      return this.hazard(node, label(name), name);
    }
    const scopeType = variable.scope.type;
    if (scopeType !== "module" && scopeType !== "global") return undefined;
    if (variable.defs.length === 0) {
      // A configured global (`window`, `process`): only writes through the global object count.
      if (!GLOBAL_OBJECT_NAMES.has(root.name) || unwrapExpression(target) === root) return undefined;
      return this.hazard(node, label(name), name);
    }
    if (variable.defs.some((d) => d.type === "ImportBinding")) return undefined;
    return this.hazard(node, label(name), root.name);
  }

  private hazard(node: TSESTree.Node, label: string, key: string): MatchedHazard {
    return { category: "module-state", label, why: WHY, replacement: "localState", key, id: key, node };
  }
}
