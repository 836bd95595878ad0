/**
 * Calls resolved by their syntax alone, across files: a callee becomes a root binding plus a member
 * path (`ids.make` → `ids`, ["make"]), objects and classes included, and the path is looked up where
 * the root is declared: in the same file, or in the module it is imported from (through the mode's
 * module resolution). Classes follow JavaScript's own shape: `new C()` runs
 * `C.prototype.constructor`, `store.region()` with `const store = new Store()` runs
 * `Store.prototype.region`, and `this.m()` inside a class runs that class's `m`.
 */
import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/utils";
import { type ClassNode, type CodeUnit, isFunctionNode, memberName, resolveVariable, staticPath, unwrapExpression } from "../util/ast.js";
import { type ExportEnvironment, findExportedFunction, instanceMember, localFunction } from "./exports.js";
import type { AnalysisFile } from "./file.js";

export interface SyntacticEnvironment<F extends AnalysisFile> extends ExportEnvironment<F> {
  /** The file an import specifier written in `from` (the linted file or another) denotes. */
  resolveFrom(specifier: string, from: AnalysisFile): F | undefined;
}

/** The function a callee runs, when its syntax pins it down; `file` is where the function is. */
export function resolveSyntactically<F extends AnalysisFile>(
  env: SyntacticEnvironment<F>,
  expression: TSESTree.Node,
  file: AnalysisFile,
): { fn: CodeUnit; file: AnalysisFile } | undefined {
  const callee = unwrapExpression(expression);
  const isNew = callee.parent?.type === AST_NODE_TYPES.NewExpression && callee.parent.callee === expression;
  if (callee.type === AST_NODE_TYPES.MemberExpression) {
    const member = memberName(callee);
    if (member === undefined) return undefined;
    const object = unwrapExpression(callee.object);
    if (object.type === AST_NODE_TYPES.ThisExpression) {
      const cls = enclosingClass(callee);
      return cls && !isNew ? instanceMember(file, cls, member, 0) : undefined;
    }
    const instanceOf = constructedClass(object, file);
    if (instanceOf) {
      const base = pathOf(instanceOf);
      return base ? lookUp(env, file, base.root, [...base.members, "prototype", member]) : undefined;
    }
  }
  const path = pathOf(callee);
  if (!path) return undefined;
  return lookUp(env, file, path.root, isNew ? [...path.members, "prototype", "constructor"] : path.members);
}

/** `new C(...)` itself, or a never-reassigned `const x = new C(...)`: the expression naming `C`. */
function constructedClass(object: TSESTree.Node, file: AnalysisFile): TSESTree.Node | undefined {
  if (object.type === AST_NODE_TYPES.NewExpression) return object.callee;
  if (object.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = resolveVariable(file, object);
  const def = variable?.defs[0];
  if (variable?.defs.length !== 1 || def?.node.type !== AST_NODE_TYPES.VariableDeclarator || !def.node.init) return undefined;
  if (variable.references.some((r) => r.isWrite() && !r.init)) return undefined;
  const init = unwrapExpression(def.node.init);
  return init.type === AST_NODE_TYPES.NewExpression ? init.callee : undefined;
}

function pathOf(node: TSESTree.Node): { root: TSESTree.Identifier; members: string[] } | undefined {
  const text = staticPath(node);
  if (text === undefined) return undefined;
  let root = unwrapExpression(node);
  while (root.type === AST_NODE_TYPES.MemberExpression) root = unwrapExpression(root.object);
  if (root.type !== AST_NODE_TYPES.Identifier) return undefined;
  return { root, members: text.split(".").slice(1) };
}

/** `this` inside a class's method (arrow functions keep it; other functions rebind it). */
function enclosingClass(node: TSESTree.Node): ClassNode | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === AST_NODE_TYPES.ClassBody) return n.parent as ClassNode;
    if (isFunctionNode(n) && n.type !== AST_NODE_TYPES.ArrowFunctionExpression) {
      const owner = n.parent;
      const isMember = owner?.type === AST_NODE_TYPES.MethodDefinition || owner?.type === AST_NODE_TYPES.PropertyDefinition;
      if (!isMember) return undefined;
    }
  }
  return undefined;
}

function lookUp<F extends AnalysisFile>(
  env: SyntacticEnvironment<F>,
  file: AnalysisFile,
  root: TSESTree.Identifier,
  members: readonly string[],
): { fn: CodeUnit; file: AnalysisFile } | undefined {
  const variable = resolveVariable(file, root);
  if (!variable || (variable.scope.type !== "module" && variable.scope.type !== "global")) return undefined;
  const binding = file.imports.byLocal.get(root.name);
  if (binding) {
    if (binding.typeOnly) return undefined;
    const target = env.resolveFrom(binding.module, file);
    if (!target) return undefined;
    const [first, ...rest] = members;
    // A namespace or whole `require()`: its first member is the export; called itself, it is the
    // CommonJS `module.exports` (or `export =`) value.
    if (binding.imported === "*") return findExportedFunction(env, target, first ?? "*", first === undefined ? [] : rest);
    return findExportedFunction(env, target, binding.imported, members);
  }
  return localFunction(file, root.name, members);
}
