/**
 * Which parameters a function calls: `retrying(fn) { return fn(); }` calls its parameter 0, and so
 * does `withRetry(fn) { return retrying(fn); }` (it hands the parameter to a function that calls
 * it). The summaries use this to follow a statically known function passed at a call site
 * (`retrying(loadRates)`) into what it reaches. Computed once per function and memoized.
 */
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { type CodeUnit, type FunctionNode, isClassNode, memberName, resolveVariable, unwrapExpression, walk } from "../util/ast.js";
import type { CalleeResolver } from "./callees.js";
import type { AnalysisFile } from "./file.js";

const NONE: ReadonlySet<number> = new Set();

/** Passing a parameter on through more functions than this is not followed. */
const MAX_DEPTH = 16;

export class CalledParameters {
  private readonly memo = new WeakMap<FunctionNode, ReadonlySet<number>>();
  private readonly inProgress = new Set<FunctionNode>();

  constructor(private readonly resolver: () => CalleeResolver) {}

  /** Indexes of `fn`'s parameters that it calls (directly, with `.call`/`.apply`, or by passing them on). */
  of(unit: CodeUnit, file: AnalysisFile, depth = 0): ReadonlySet<number> {
    if (isClassNode(unit)) return NONE;
    const fn = unit;
    const cached = this.memo.get(fn);
    if (cached) return cached;
    const params = parameterVariables(fn, file);
    if (params.size === 0) return NONE;
    // A cycle or a very long hand-over chain: nothing more is known here (not cached).
    if (this.inProgress.has(fn) || depth > MAX_DEPTH) return NONE;
    this.inProgress.add(fn);
    const called = new Set<number>();
    const names = new Set([...params.keys()].map((v) => v.name));
    const paramIndex = (node: TSESTree.Node): number | undefined => {
      const n = unwrapExpression(node);
      // The name first: most identifiers are not a parameter's, and scope lookups cost.
      if (n.type !== AST_NODE_TYPES.Identifier || !names.has(n.name)) return undefined;
      const variable = resolveVariable(file, n);
      return variable ? params.get(variable) : undefined;
    };
    walk(fn.body, file.visitorKeys, (node) => {
      if (node.type !== AST_NODE_TYPES.CallExpression && node.type !== AST_NODE_TYPES.NewExpression) return;
      const callee = unwrapExpression(node.callee);
      const direct = paramIndex(callee) ?? (isCallOrApply(callee) ? paramIndex(callee.object) : undefined);
      if (direct !== undefined) called.add(direct);
      // Handed on: `retrying(fn)` where retrying calls that argument.
      const handedOn = node.arguments.map((arg) => paramIndex(arg));
      if (!handedOn.some((i) => i !== undefined && !called.has(i))) return;
      const target = this.resolver().resolve(node.callee, file);
      if (!target) return;
      const calledThere = this.of(target.fn, target.file, depth + 1);
      handedOn.forEach((i, position) => {
        if (i !== undefined && calledThere.has(position)) called.add(i);
      });
    });
    this.inProgress.delete(fn);
    const result = called.size === 0 ? NONE : called;
    this.memo.set(fn, result);
    return result;
  }
}

/** `fn.call(...)` / `fn.apply(...)`. */
function isCallOrApply(node: TSESTree.Node): node is TSESTree.MemberExpression {
  if (node.type !== AST_NODE_TYPES.MemberExpression) return false;
  const name = memberName(node);
  return name === "call" || name === "apply";
}

/** The function's simple parameters (`fn`, `fn = x`), by their variable. */
function parameterVariables(fn: FunctionNode, file: AnalysisFile): Map<TSESLint.Scope.Variable, number> {
  const params = new Map<TSESLint.Scope.Variable, number>();
  fn.params.forEach((param, index) => {
    const p = param.type === AST_NODE_TYPES.TSParameterProperty ? param.parameter : param;
    const id = p.type === AST_NODE_TYPES.AssignmentPattern ? p.left : p;
    if (id.type !== AST_NODE_TYPES.Identifier) return;
    const variable = resolveVariable(file, id);
    if (variable) params.set(variable, index);
  });
  return params;
}
