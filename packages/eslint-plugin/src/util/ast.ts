/** Small AST helpers shared by the analysis modules. */
import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from "@typescript-eslint/utils";

export type FunctionNode =
  | TSESTree.FunctionDeclaration
  | TSESTree.FunctionExpression
  | TSESTree.ArrowFunctionExpression;

export type ClassNode = TSESTree.ClassDeclaration | TSESTree.ClassExpression;

/**
 * The code a call runs: a function, or, for `new C()` of a class without a constructor of its
 * own, the class (whose instance field initialisers then run).
 */
export type CodeUnit = FunctionNode | ClassNode;

export function isClassNode(node: TSESTree.Node): node is ClassNode {
  return node.type === AST_NODE_TYPES.ClassDeclaration || node.type === AST_NODE_TYPES.ClassExpression;
}

/** `get x() {}` in a class or an object literal: reading `obj.x` runs it. */
export function isGetter(fn: CodeUnit): boolean {
  const owner = fn.parent;
  return (owner?.type === AST_NODE_TYPES.MethodDefinition || owner?.type === AST_NODE_TYPES.Property) && owner.kind === "get" && owner.value === fn;
}

/**
 * The initialisers a class runs on `new` before its constructor's body: instance fields whose
 * value is not itself a function (an arrow-function field only runs when called).
 */
export function instanceFieldInitialisers(cls: ClassNode): TSESTree.Expression[] {
  const out: TSESTree.Expression[] = [];
  for (const el of cls.body.body) {
    if (el.type !== AST_NODE_TYPES.PropertyDefinition || el.static || !el.value) continue;
    if (!isFunctionNode(unwrapExpression(el.value))) out.push(el.value);
  }
  return out;
}

export function isFunctionNode(node: TSESTree.Node): node is FunctionNode {
  return (
    node.type === AST_NODE_TYPES.FunctionDeclaration ||
    node.type === AST_NODE_TYPES.FunctionExpression ||
    node.type === AST_NODE_TYPES.ArrowFunctionExpression
  );
}

/**
 * Visits every node below `root` once, depth first, in source order. `visit` returning `false`
 * skips the node's children.
 */
export function walk(
  root: TSESTree.Node,
  visitorKeys: TSESLint.SourceCode.VisitorKeys,
  visit: (node: TSESTree.Node) => boolean | void,
): void {
  const stack: TSESTree.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as TSESTree.Node;
    if (visit(node) === false) continue;
    const keys = visitorKeys[node.type] ?? [];
    // Push children in reverse so they pop in source order.
    for (let k = keys.length - 1; k >= 0; k--) {
      const child = (node as unknown as Record<string, unknown>)[keys[k] as string];
      if (Array.isArray(child)) {
        for (let i = child.length - 1; i >= 0; i--) {
          const c = child[i] as TSESTree.Node | null;
          if (c && typeof c.type === "string") stack.push(c);
        }
      } else if (child && typeof (child as TSESTree.Node).type === "string") {
        stack.push(child as TSESTree.Node);
      }
    }
  }
}

/** Strips TS-only wrappers (`x as T`, `x!`, `x satisfies T`) and parentheses ESTree already drops. */
export function unwrapExpression(node: TSESTree.Node): TSESTree.Node {
  let n = node;
  while (
    n.type === AST_NODE_TYPES.TSAsExpression ||
    n.type === AST_NODE_TYPES.TSNonNullExpression ||
    n.type === AST_NODE_TYPES.TSSatisfiesExpression ||
    n.type === AST_NODE_TYPES.TSTypeAssertion
  ) {
    n = n.expression;
  }
  return n;
}

/** `a.b.c` → "a.b.c"; undefined for computed non-literal members, calls, `this` etc. */
export function staticPath(node: TSESTree.Node): string | undefined {
  const n = unwrapExpression(node);
  if (n.type === AST_NODE_TYPES.Identifier) return n.name;
  if (n.type === AST_NODE_TYPES.MemberExpression) {
    const object = staticPath(n.object);
    const property = memberName(n);
    return object !== undefined && property !== undefined ? `${object}.${property}` : undefined;
  }
  return undefined;
}

/** The property name of `a.b` / `a["b"]`, if static. */
export function memberName(node: TSESTree.MemberExpression): string | undefined {
  if (!node.computed && node.property.type === AST_NODE_TYPES.Identifier) return node.property.name;
  if (node.computed && node.property.type === AST_NODE_TYPES.Literal && typeof node.property.value === "string") {
    return node.property.value;
  }
  return undefined;
}

/** The leftmost identifier of a member chain (`a` in `a.b.c()`). */
export function rootIdentifier(node: TSESTree.Node): TSESTree.Identifier | undefined {
  let n = unwrapExpression(node);
  while (n.type === AST_NODE_TYPES.MemberExpression) n = unwrapExpression(n.object);
  return n.type === AST_NODE_TYPES.Identifier ? n : undefined;
}

/** The variable an identifier refers to, searching outwards from the scope at `node`. */
/** Anything that can give the scope of a node: ESLint's SourceCode or an AnalysisFile. */
export interface ScopeSource {
  getScope(node: TSESTree.Node): TSESLint.Scope.Scope;
}

export function resolveVariable(scopes: ScopeSource, identifier: TSESTree.Identifier): TSESLint.Scope.Variable | undefined {
  return ASTUtils.findVariable(scopes.getScope(identifier), identifier.name) ?? undefined;
}

/** True if the identifier is a global (configured, implicit, or not declared anywhere in the file). */
export function isGlobalReference(scopes: ScopeSource, identifier: TSESTree.Identifier): boolean {
  const variable = resolveVariable(scopes, identifier);
  return !variable || (variable.scope.type === "global" && variable.defs.length === 0);
}

/** The name a function is known by: its id, or the variable/property/method it is assigned to. */
export function functionName(fn: FunctionNode): string | undefined {
  if (fn.id) return fn.id.name;
  const parent = fn.parent;
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier) {
    return parent.id.name;
  }
  if (
    (parent?.type === AST_NODE_TYPES.Property || parent?.type === AST_NODE_TYPES.MethodDefinition ||
      parent?.type === AST_NODE_TYPES.PropertyDefinition) &&
    parent.key.type === AST_NODE_TYPES.Identifier
  ) {
    return parent.key.name;
  }
  if (parent?.type === AST_NODE_TYPES.AssignmentExpression) return staticPath(parent.left);
  return undefined;
}

/** How a call reads in a chain: `formatId()`, `ids.make()`, `….region()` for `new Store().region()`. */
export function calleeLabel(callee: TSESTree.Node): string {
  const path = staticPath(callee);
  if (path !== undefined) return `${path}()`;
  const n = unwrapExpression(callee);
  const name = n.type === AST_NODE_TYPES.MemberExpression ? memberName(n) : undefined;
  return name !== undefined ? `….${name}()` : "(callee)()";
}
