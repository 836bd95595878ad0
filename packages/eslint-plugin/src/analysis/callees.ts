/**
 * Resolving a call to the function it runs. The summaries only talk to the `CalleeResolver`
 * interface, so the type-aware mode can resolve across files with the type checker without any
 * rule changing. The same-file resolver handles function declarations, `const` arrows/function
 * expressions, object-literal methods (`helpers.makeId()`) and static methods of local classes.
 */
import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/utils";
import { calleeLabel, type CodeUnit, type FunctionNode, isFunctionNode, memberName, resolveVariable, unwrapExpression } from "../util/ast.js";
import type { AnalysisFile } from "./file.js";

export interface ResolvedCallee {
  /** The code the call runs (a class for `new C()` of a class whose field initialisers are its only construction code). */
  fn: CodeUnit;
  /** The file the function lives in (the linted file, or another file of the program). */
  file: AnalysisFile;
  /** How the call reads in a chain: `formatId()`, `ids.make()`. */
  label: string;
}

export interface CalleeResolver {
  /**
   * The function an expression denotes: a call's callee, or a value passed as a callback
   * (`retrying(loadRates)`), so both are resolved the same way.
   */
  resolve(expression: TSESTree.Node, file: AnalysisFile): ResolvedCallee | undefined;
}

export const sameFileResolver: CalleeResolver = {
  resolve(expression, file) {
    const callee = unwrapExpression(expression);
    const fn = resolveFunctionValue(callee, file, 0);
    if (!fn) return undefined;
    return { fn, file, label: calleeLabel(callee) };
  },
};

/** The function an expression evaluates to, when it is statically known in the same file. */
export function resolveFunctionValue(node: TSESTree.Node, file: AnalysisFile, depth: number): FunctionNode | undefined {
  if (depth > 4) return undefined;
  const n = unwrapExpression(node);
  if (isFunctionNode(n)) return n;
  if (n.type === AST_NODE_TYPES.Identifier) {
    const variable = resolveVariable(file, n);
    // Only bindings that are never reassigned denote one function.
    if (!variable || variable.defs.length !== 1 || variable.references.some((r) => r.isWrite() && !r.init)) return undefined;
    const def = variable.defs[0];
    // A parameter's def node is its function: calling a parameter does not run that function.
    if (def?.type === "Parameter") return undefined;
    if (def?.node.type === AST_NODE_TYPES.FunctionDeclaration) return def.node;
    if (def?.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.id.type === AST_NODE_TYPES.Identifier && def.node.init) {
      return resolveFunctionValue(def.node.init, file, depth + 1);
    }
    return undefined;
  }
  if (n.type === AST_NODE_TYPES.MemberExpression) {
    const property = memberName(n);
    if (property === undefined) return undefined;
    const container = resolveContainer(n.object, file, depth);
    if (!container) return undefined;
    return memberFunction(container, property, file, depth);
  }
  return undefined;
}

/** `const helpers = { ... }` or `class Ids { static make() {} }` that `obj` names. */
function resolveContainer(obj: TSESTree.Node, file: AnalysisFile, depth: number): TSESTree.ObjectExpression | TSESTree.ClassDeclaration | undefined {
  const n = unwrapExpression(obj);
  if (n.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = resolveVariable(file, n);
  if (!variable || variable.defs.length !== 1) return undefined;
  const def = variable.defs[0];
  if (def?.node.type === AST_NODE_TYPES.ClassDeclaration) return def.node;
  if (def?.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init) {
    const init = unwrapExpression(def.node.init);
    if (init.type === AST_NODE_TYPES.ObjectExpression) return init;
    if (init.type === AST_NODE_TYPES.Identifier && depth < 4) return resolveContainer(init, file, depth + 1);
  }
  return undefined;
}

function memberFunction(
  container: TSESTree.ObjectExpression | TSESTree.ClassDeclaration,
  property: string,
  file: AnalysisFile,
  depth: number,
): FunctionNode | undefined {
  if (container.type === AST_NODE_TYPES.ObjectExpression) {
    for (const prop of container.properties) {
      if (prop.type === AST_NODE_TYPES.Property && !prop.computed && keyName(prop.key) === property) {
        return resolveFunctionValue(prop.value, file, depth + 1);
      }
    }
    return undefined;
  }
  for (const member of container.body.body) {
    if (member.type === AST_NODE_TYPES.MethodDefinition && member.static && !member.computed && keyName(member.key) === property && member.kind !== "set") {
      return member.value.type === AST_NODE_TYPES.FunctionExpression ? member.value : undefined;
    }
    if (member.type === AST_NODE_TYPES.PropertyDefinition && member.static && !member.computed && keyName(member.key) === property && member.value) {
      return resolveFunctionValue(member.value, file, depth + 1);
    }
  }
  return undefined;
}

function keyName(key: TSESTree.Node): string | undefined {
  if (key.type === AST_NODE_TYPES.Identifier) return key.name;
  if (key.type === AST_NODE_TYPES.Literal && typeof key.value === "string") return key.value;
  return undefined;
}
