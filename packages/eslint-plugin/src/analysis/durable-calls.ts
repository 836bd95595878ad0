/**
 * Recognises the SDK's own calls inside orchestrator code: durable calls on the context that return
 * a Task (`ctx.callActivity`, `context.df.createTimer`, `ctx.entities.callEntity`), calls that return
 * nothing (`continueAsNew`, `signalEntity`, `setCustomStatus`), and the fan-in combinators
 * (`whenAll`/`whenAny` imported from the SDK, `ctx.whenAll` on Dapr's WorkflowContext,
 * `context.df.Task.all/any`). Shared by the structural rules (generator shape, await, combinators,
 * yielded tasks, eternal loops), so the SDK knowledge stays in the catalogue and here.
 */
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { COMBINATORS, sdkOfModule, TASK_METHODS, VOID_METHODS } from "../catalogue/sdks.js";
import { type FunctionNode, isFunctionNode, memberName, resolveVariable, staticPath, unwrapExpression } from "../util/ast.js";
import { fileImports } from "./imports.js";
import type { OrchestratorInfo } from "./orchestrators.js";

export type DurableCallKind = "task" | "void" | "combinator";

export interface DurableCall {
  kind: DurableCallKind;
  /** `callActivity`, `whenAll`, `Task.all`, ... */
  method: string;
}

type SourceCode = Readonly<TSESLint.SourceCode>;

const COMBINATOR_NAMES = new Set(["whenAll", "whenAny"]);

/**
 * What `call` is, if it is one of the SDK's calls made through this orchestrator's context (or a
 * local alias of it, `const df = context.df`) or an SDK combinator; undefined otherwise.
 */
export function durableCallOf(call: TSESTree.CallExpression, orchestrator: OrchestratorInfo, sourceCode: SourceCode): DurableCall | undefined {
  const callee = unwrapExpression(call.callee);
  if (callee.type === AST_NODE_TYPES.Identifier) {
    // `whenAll(tasks)` imported from an SDK module (under any local name).
    const binding = fileImports(sourceCode).byLocal.get(callee.name);
    if (binding && !binding.typeOnly && COMBINATOR_NAMES.has(binding.imported) && sdkOfModule(binding.module)) {
      const variable = resolveVariable(sourceCode, callee);
      if (variable?.scope.type === "module") return { kind: "combinator", method: binding.imported };
    }
    return undefined;
  }
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const method = memberName(callee);
  if (method === undefined) return undefined;
  const receiver = staticPath(callee.object);
  if (receiver === undefined) return undefined;
  const api = apiReceiver(receiver, callee.object, orchestrator, sourceCode);
  if (api === "context") {
    if (COMBINATOR_NAMES.has(method)) return { kind: "combinator", method };
    if (TASK_METHODS.has(method)) return { kind: "task", method };
    if (VOID_METHODS.has(method)) return { kind: "void", method };
  } else if (api === "entities") {
    if (TASK_METHODS.has(method)) return { kind: "task", method };
    if (VOID_METHODS.has(method)) return { kind: "void", method };
  } else if (api === "Task" && (method === "all" || method === "any")) {
    return { kind: "combinator", method: `Task.${method}` };
  }
  return undefined;
}

/**
 * Whether `receiver` (the static text of a callee's object) is the orchestrator's context API,
 * its `entities` client, or durable-functions' `Task` namespace, with the root name really bound to
 * the orchestrator's parameter (or a local alias of it), not a shadowing variable.
 */
function apiReceiver(
  receiver: string,
  object: TSESTree.Node,
  orchestrator: OrchestratorInfo,
  sourceCode: SourceCode,
): "context" | "entities" | "Task" | undefined {
  const apiText = orchestrator.apiText;
  let rest: string | undefined;
  if (receiver === apiText || receiver.startsWith(`${apiText}.`)) {
    if (!rootIsContextParam(object, orchestrator, sourceCode)) return undefined;
    rest = receiver.slice(apiText.length);
  } else {
    // `const df = context.df; df.callActivity(...)`
    const root = receiver.split(".")[0] as string;
    const rootNode = rootOf(object);
    const init = rootNode ? aliasInit(rootNode, sourceCode) : undefined;
    if (!init || staticPath(init) !== apiText || !rootIsContextParam(init, orchestrator, sourceCode)) return undefined;
    rest = receiver.slice(root.length);
  }
  if (rest === "") return "context";
  if (rest === ".entities") return "entities";
  if (rest === ".Task" && orchestrator.api === "durable-functions") return "Task";
  return undefined;
}

function rootOf(node: TSESTree.Node): TSESTree.Identifier | undefined {
  let n = unwrapExpression(node);
  while (n.type === AST_NODE_TYPES.MemberExpression) n = unwrapExpression(n.object);
  return n.type === AST_NODE_TYPES.Identifier ? n : undefined;
}

function rootIsContextParam(node: TSESTree.Node, orchestrator: OrchestratorInfo, sourceCode: SourceCode): boolean {
  const root = rootOf(node);
  if (!root || root.name !== orchestrator.contextParam) return false;
  const def = resolveVariable(sourceCode, root)?.defs[0];
  return def?.type === "Parameter" && def.node === orchestrator.node;
}

/** The initializer of a `const` the identifier refers to, if any. */
function aliasInit(identifier: TSESTree.Identifier, sourceCode: SourceCode): TSESTree.Expression | undefined {
  const def = resolveVariable(sourceCode, identifier)?.defs[0];
  if (def?.node.type !== AST_NODE_TYPES.VariableDeclarator || def.node.id.type !== AST_NODE_TYPES.Identifier) return undefined;
  if (def.parent?.type !== AST_NODE_TYPES.VariableDeclaration || def.parent.kind !== "const") return undefined;
  return def.node.init ?? undefined;
}

/** The nearest function around `node` (its own code, not nested callbacks). */
export function nearestFunction(node: TSESTree.Node): FunctionNode | undefined {
  for (let n = node.parent; n; n = n.parent) if (isFunctionNode(n)) return n;
  return undefined;
}

/**
 * True when the orchestrator's context parameter can be written at `node` and still means the
 * parameter (a plain parameter name, not shadowed by a callback parameter in between).
 */
export function contextParamInScope(orchestrator: OrchestratorInfo, node: TSESTree.Node, sourceCode: SourceCode): boolean {
  const param = orchestrator.contextParam;
  if (param === undefined) return false;
  for (let scope: TSESLint.Scope.Scope | null = sourceCode.getScope(node); scope; scope = scope.upper) {
    const variable = scope.set.get(param);
    if (variable) return variable.defs[0]?.node === orchestrator.node;
  }
  return false;
}

/** The module a durabletask-style orchestrator imports `whenAll`/`whenAny` from, if they are module functions. */
export function combinatorModule(orchestrator: OrchestratorInfo): string | undefined {
  return COMBINATORS[orchestrator.api].importFrom;
}

/**
 * A function found only by its context-typed first parameter may be a helper the orchestrator
 * calls (`yield* step(ctx)`, `deadline(context, hours)`), whose shape and return value are free.
 * It is taken for an orchestrator only when it is declared one (`const f: TOrchestrator = ...`) or
 * is a named function the file never calls.
 */
export function isProbablyHelper(orchestrator: OrchestratorInfo, sourceCode: SourceCode): boolean {
  if (orchestrator.foundBy !== "context-type" && orchestrator.foundBy !== "context-use") return false;
  const fn = orchestrator.node;
  const declarator = fn.parent?.type === AST_NODE_TYPES.VariableDeclarator && fn.parent.init === fn ? fn.parent : undefined;
  if (declarator?.id.typeAnnotation) return false;
  const owner = fn.type === AST_NODE_TYPES.FunctionDeclaration ? fn : declarator;
  if (!owner) return true;
  for (const variable of sourceCode.getDeclaredVariables(owner)) {
    for (const ref of variable.references) {
      const parent = ref.identifier.parent;
      if (parent?.type === AST_NODE_TYPES.CallExpression && parent.callee === ref.identifier) return true;
    }
  }
  return false;
}
