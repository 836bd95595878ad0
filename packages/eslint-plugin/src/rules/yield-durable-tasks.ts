/**
 * Rule 11: every durable Task an orchestrator creates must reach a `yield` (directly, through a
 * local variable, an array pushed to or mapped into, or a whenAll/whenAny/Task.all/Task.any), and
 * calls that return nothing must not be yielded.
 *
 * Why: durable-functions only schedules a Task when it is yielded, so a dropped one silently never
 * runs; durabletask-js and Dapr schedule it at once, but nobody waits for it, so its result and
 * failure are lost and the orchestration may complete before it. Yielding `continueAsNew(...)` or
 * `signalEntity(...)` hands `undefined` to the executor, which fails the orchestration.
 *
 * The value tracking is deliberately simple and conservative: any use it does not understand
 * (passed to another function, stored in an object, destructured) counts as "may be yielded".
 */
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { durableCallOf, isProbablyHelper, nearestFunction } from "../analysis/durable-calls.js";
import { fileImports } from "../analysis/imports.js";
import { enclosingOrchestrator, findOrchestrators, type OrchestratorInfo } from "../analysis/orchestrators.js";
import { TASK_METHODS, VOID_METHODS } from "../catalogue/sdks.js";
import { type FunctionNode, memberName, resolveVariable, unwrapExpression } from "../util/ast.js";
import { createRule } from "../util/create-rule.js";

type MessageIds = "dropped" | "neverYielded" | "returned" | "yieldVoid" | "addYield" | "removeYield";

/** What finally happens to a Task value. */
type Fate = "yielded" | "dropped" | "unused" | "returned" | "unknown";

const COMBINATOR_LIKE = new Set(["whenAll", "whenAny"]);

export const yieldDurableTasks = createRule<[], MessageIds>({
  name: "yield-durable-tasks",
  meta: {
    type: "problem",
    hasSuggestions: true,
    docs: {
      description: "Require every durable Task to reach a yield, and forbid yielding calls that return no Task",
      recommended: "error",
    },
    messages: {
      dropped: "The Task from {{call}} is dropped: {{consequence}}; yield it (or pass it to {{combinator}} and yield that).",
      neverYielded: "The Task from {{call}} is stored but never yielded: {{consequence}}; yield it (or pass it to {{combinator}} and yield that).",
      returned:
        "The orchestrator returns the Task from {{call}} instead of its result: {{consequence}}, and the orchestration's output is the Task object; write `return yield {{text}}`.",
      yieldVoid: "{{call}} returns no Task: yielding it hands undefined to the executor, which {{failure}}; call it without yield.",
      addYield: "Yield the Task.",
      removeYield: "Remove the yield.",
    },
    schema: [],
  },
  create(context) {
    const orchestrators = findOrchestrators(context);
    if (orchestrators.size === 0) return {};
    const sourceCode = context.sourceCode;

    return {
      CallExpression(call) {
        const callee = unwrapExpression(call.callee);
        // Cheap name test before any scope work.
        if (callee.type === AST_NODE_TYPES.MemberExpression) {
          const name = memberName(callee);
          if (name === undefined || !(TASK_METHODS.has(name) || VOID_METHODS.has(name) || name === "all" || name === "any")) return;
        } else if (callee.type !== AST_NODE_TYPES.Identifier || !COMBINATOR_LIKE.has(fileImports(sourceCode).byLocal.get(callee.name)?.imported ?? "")) {
          return;
        }
        const orchestrator = enclosingOrchestrator(context, call);
        if (!orchestrator) return;
        const durable = durableCallOf(call, orchestrator, sourceCode);
        if (!durable) return;
        const flow = new TaskFlow(orchestrator, orchestrators, sourceCode);
        const callText = `${sourceCode.getText(call.callee)}(...)`;
        if (durable.kind === "void") {
          const yieldNode = outerOf(call);
          if (yieldNode.parent?.type !== AST_NODE_TYPES.YieldExpression || yieldNode.parent.delegate) return;
          const yieldExpr = yieldNode.parent;
          context.report({
            node: yieldExpr,
            messageId: "yieldVoid",
            data: { call: callText, failure: voidFailure(orchestrator) },
            suggest:
              yieldExpr.parent.type === AST_NODE_TYPES.ExpressionStatement
                ? [{ messageId: "removeYield", fix: (fixer) => fixer.replaceText(yieldExpr, sourceCode.getText(call)) }]
                : null,
          });
          return;
        }
        const fate = flow.fateOfValue(call, new Set());
        const data = { call: callText, consequence: consequence(orchestrator), combinator: combinatorName(orchestrator), text: sourceCode.getText(call) };
        if (fate === "dropped") {
          const statement = outerOf(call).parent;
          const canYield = statement?.type === AST_NODE_TYPES.ExpressionStatement && nearestFunction(statement) === orchestrator.node && orchestrator.node.generator;
          context.report({
            node: call,
            messageId: "dropped",
            data,
            suggest: canYield ? [{ messageId: "addYield", fix: (fixer) => fixer.insertTextBefore(call, "yield ") }] : null,
          });
        } else if (fate === "unused") {
          context.report({ node: call, messageId: "neverYielded", data });
        } else if (fate === "returned") {
          const direct = outerOf(call).parent?.type === AST_NODE_TYPES.ReturnStatement && orchestrator.node.generator;
          context.report({
            node: call,
            messageId: "returned",
            data,
            suggest: direct ? [{ messageId: "addYield", fix: (fixer) => fixer.insertTextBefore(call, "yield ") }] : null,
          });
        }
      },
    };
  },
});

function consequence(orchestrator: OrchestratorInfo): string {
  return orchestrator.sdk === "durable-functions"
    ? "durable-functions only schedules Tasks that are yielded, so it never runs"
    : "it is scheduled, but nothing waits for it, so its result and any failure are lost and the orchestration may complete before it";
}

function voidFailure(orchestrator: OrchestratorInfo): string {
  return orchestrator.sdk === "durable-functions"
    ? 'fails with "Orchestration yielded data of type undefined"'
    : 'fails with "The orchestrator generator yielded a non-Task object"';
}

function combinatorName(orchestrator: OrchestratorInfo): string {
  switch (orchestrator.api) {
    case "durable-functions":
      return `${orchestrator.apiText}.Task.all`;
    case "dapr-workflow":
      return `${orchestrator.apiText}.whenAll`;
    default:
      return "whenAll";
  }
}

/** The outermost node that still is `node`'s value (through `as`, `!`, `satisfies`, `?.`). */
function outerOf(node: TSESTree.Node): TSESTree.Node {
  let n = node;
  while (
    n.parent &&
    (n.parent.type === AST_NODE_TYPES.TSAsExpression ||
      n.parent.type === AST_NODE_TYPES.TSNonNullExpression ||
      n.parent.type === AST_NODE_TYPES.TSSatisfiesExpression ||
      n.parent.type === AST_NODE_TYPES.TSTypeAssertion ||
      n.parent.type === AST_NODE_TYPES.ChainExpression)
  ) {
    n = n.parent;
  }
  return n;
}

/** Follows one Task value through the orchestrator's code. */
class TaskFlow {
  constructor(
    private readonly orchestrator: OrchestratorInfo,
    private readonly orchestrators: ReadonlyMap<FunctionNode, OrchestratorInfo>,
    private readonly sourceCode: Readonly<TSESLint.SourceCode>,
  ) {}

  fateOfValue(node: TSESTree.Node, seen: Set<TSESLint.Scope.Variable>): Fate {
    const child = outerOf(node);
    const parent = child.parent;
    if (!parent) return "unknown";
    switch (parent.type) {
      case AST_NODE_TYPES.YieldExpression:
        return parent.delegate ? "unknown" : "yielded";
      case AST_NODE_TYPES.AwaitExpression:
        // no-await reports it; nothing more to say here.
        return "unknown";
      case AST_NODE_TYPES.ExpressionStatement:
        return "dropped";
      case AST_NODE_TYPES.SequenceExpression:
        return parent.expressions.at(-1) === child ? this.fateOfValue(parent, seen) : "dropped";
      case AST_NODE_TYPES.ArrayExpression:
      case AST_NODE_TYPES.SpreadElement:
        return this.fateOfValue(parent, seen);
      case AST_NODE_TYPES.ConditionalExpression:
        return parent.test === child ? "unused" : this.fateOfValue(parent, seen);
      case AST_NODE_TYPES.BinaryExpression:
        // `winner === timer`: a comparison, not a use of the Task.
        return "unused";
      case AST_NODE_TYPES.CallExpression:
        return parent.callee === child ? "unknown" : this.fateOfArgument(parent, seen);
      case AST_NODE_TYPES.MemberExpression: {
        if (parent.object !== child) return "unknown";
        const grand = parent.parent;
        // `timer.cancel()` / `task.result`: no Task leaves; any other method call may pass it on.
        if (grand?.type === AST_NODE_TYPES.CallExpression && grand.callee === parent) return memberName(parent) === "cancel" ? "unused" : "unknown";
        return "unused";
      }
      case AST_NODE_TYPES.VariableDeclarator:
        return parent.init === child && parent.id.type === AST_NODE_TYPES.Identifier ? this.fateOfVariable(parent.id, seen) : "unknown";
      case AST_NODE_TYPES.AssignmentExpression:
        return parent.right === child && parent.operator === "=" && parent.left.type === AST_NODE_TYPES.Identifier
          ? this.fateOfVariable(parent.left, seen)
          : "unknown";
      case AST_NODE_TYPES.ReturnStatement: {
        const fn = nearestFunction(parent);
        return fn ? this.fateOfResult(fn, seen) : "unknown";
      }
      case AST_NODE_TYPES.ArrowFunctionExpression:
        return parent.body === child ? this.fateOfResult(parent, seen) : "unknown";
      default:
        return "unknown";
    }
  }

  /** A Task passed as an argument: into a combinator (fine), pushed onto a local array, or elsewhere. */
  private fateOfArgument(call: TSESTree.CallExpression, seen: Set<TSESLint.Scope.Variable>): Fate {
    const durable = durableCallOf(call, this.orchestrator, this.sourceCode);
    if (durable?.kind === "combinator") return "yielded";
    const callee = unwrapExpression(call.callee);
    if (callee.type === AST_NODE_TYPES.MemberExpression) {
      const method = memberName(callee);
      const target = unwrapExpression(callee.object);
      if ((method === "push" || method === "unshift") && target.type === AST_NODE_TYPES.Identifier) return this.fateOfVariable(target, seen);
    }
    return "unknown";
  }

  /** The value a function returns: the orchestrator's output, an array built by `.map`, or unknown. */
  private fateOfResult(fn: FunctionNode, seen: Set<TSESLint.Scope.Variable>): Fate {
    if (this.orchestrators.has(fn)) {
      // A context-typed helper returning a Task to its caller is fine; an orchestrator doing so is not.
      return fn === this.orchestrator.node && !isProbablyHelper(this.orchestrator, this.sourceCode) ? "returned" : "unknown";
    }
    const call = fn.parent;
    if (call?.type !== AST_NODE_TYPES.CallExpression || call.arguments[0] !== fn) return "unknown";
    const callee = unwrapExpression(call.callee);
    const method = callee.type === AST_NODE_TYPES.MemberExpression ? memberName(callee) : undefined;
    if (method === "map" || method === "flatMap") return this.fateOfValue(call, seen);
    if (method === "forEach") return "dropped";
    return "unknown";
  }

  /** A local variable holding the Task (or an array of Tasks): the best fate among its reads. */
  private fateOfVariable(identifier: TSESTree.Identifier, seen: Set<TSESLint.Scope.Variable>): Fate {
    const variable = resolveVariable(this.sourceCode, identifier);
    // Module-level, or not resolvable: it may be used anywhere.
    if (!variable || variable.scope.type === "module" || variable.scope.type === "global") return "unknown";
    if (seen.has(variable)) return "unused";
    seen.add(variable);
    let unknown = false;
    let returned = false;
    for (const ref of variable.references) {
      if (!ref.isRead()) continue;
      const fate = this.fateOfValue(ref.identifier, seen);
      if (fate === "yielded") return "yielded";
      if (fate === "unknown") unknown = true;
      if (fate === "returned") returned = true;
    }
    if (unknown) return "unknown";
    return returned ? "returned" : "unused";
  }
}
