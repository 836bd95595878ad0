/**
 * Rule 9: `await` and `for await` in an orchestrator. durabletask Tasks are not thenable, so
 * `await ctx.callActivity(...)` evaluates to the Task object itself, not its result; awaiting a real
 * Promise runs outside the replay model (its value is not in history). Only `yield` hands a Task to
 * the SDK's executor.
 */
import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { durableCallOf, nearestFunction } from "../analysis/durable-calls.js";
import { findOrchestrators, type OrchestratorInfo } from "../analysis/orchestrators.js";
import { createRule } from "../util/create-rule.js";

type MessageIds = "awaitTask" | "awaitVoid" | "awaitOther" | "forAwait" | "useYield" | "removeAwait";

export const noAwait = createRule<[], MessageIds>({
  name: "no-await",
  meta: {
    type: "problem",
    hasSuggestions: true,
    docs: { description: "Disallow await and for await in orchestrators; yield durable Tasks instead", recommended: "error" },
    messages: {
      awaitTask:
        "`await {{call}}` in an orchestrator does not wait for the durable Task: {{why}}; use `yield` instead.",
      awaitOther:
        "`await` in an orchestrator waits outside the replay model: the awaited value is not recorded in history and is computed again (or differently) on every replay; move the work into an activity and `yield {{api}}.callActivity(...)`.",
      awaitVoid: "`await {{call}}`: {{call}} returns no Task, so there is nothing to wait for; call it without await.",
      forAwait:
        "`for await` in an orchestrator consumes an async iterator outside the replay model; iterate over a plain array and `yield` a durable Task per item.",
      useYield: "Replace `await` with `yield`.",
      removeAwait: "Remove the `await`.",
    },
    schema: [],
  },
  create(context) {
    const orchestrators = findOrchestrators(context);
    if (orchestrators.size === 0) return {};
    const sourceCode = context.sourceCode;
    /** The orchestrator whose own body (not a nested callback) contains `node`. */
    const ownOrchestrator = (node: TSESTree.Node): OrchestratorInfo | undefined => {
      const fn = nearestFunction(node);
      return fn ? orchestrators.get(fn) : undefined;
    };

    return {
      AwaitExpression(node) {
        const orchestrator = ownOrchestrator(node);
        if (!orchestrator) return;
        const argument = node.argument.type === AST_NODE_TYPES.CallExpression ? node.argument : undefined;
        const call = argument ? durableCallOf(argument, orchestrator, sourceCode) : undefined;
        if (!argument || !call) {
          context.report({ node, messageId: "awaitOther", data: { api: orchestrator.apiText } });
          return;
        }
        if (call.kind === "void") {
          const data = { call: `${sourceCode.getText(argument.callee)}(...)` };
          const fix = (fixer: TSESLint.RuleFixer) => fixer.replaceText(node, sourceCode.getText(argument));
          context.report({ node, messageId: "awaitVoid", data, suggest: [{ messageId: "removeAwait", fix }] });
          return;
        }
        const why =
          orchestrator.sdk === "durable-functions"
            ? "durable-functions only schedules Tasks that are yielded, so it is never scheduled and the result is the Task object"
            : "Tasks are not thenable, so the value is the Task object itself and the orchestration goes on (or completes) with it";
        // `yield` binds more loosely than `await`: keep the expression's meaning with parentheses.
        const text = `yield ${sourceCode.getText(argument)}`;
        const replacement = yieldNeedsNoParens(node) || ASTUtils.isParenthesized(node, sourceCode) ? text : `(${text})`;
        context.report({
          node,
          messageId: "awaitTask",
          data: { call: `${sourceCode.getText(argument.callee)}(...)`, why },
          // `yield` is only valid directly inside a generator.
          suggest: orchestrator.node.generator
            ? [{ messageId: "useYield", fix: (fixer) => fixer.replaceText(node, replacement) }]
            : null,
        });
      },
      ForOfStatement(node) {
        if (node.await && ownOrchestrator(node)) context.report({ node, loc: forAwaitLoc(node), messageId: "forAwait" });
      },
    };
  },
});

/** Positions where `yield x` means the same as `await x` without parentheses. */
function yieldNeedsNoParens(node: TSESTree.AwaitExpression): boolean {
  const parent = node.parent;
  switch (parent.type) {
    case AST_NODE_TYPES.ExpressionStatement:
    case AST_NODE_TYPES.ReturnStatement:
    case AST_NODE_TYPES.ArrayExpression:
    case AST_NODE_TYPES.YieldExpression:
      return true;
    case AST_NODE_TYPES.VariableDeclarator:
      return parent.init === node;
    case AST_NODE_TYPES.AssignmentExpression:
      return parent.right === node;
    case AST_NODE_TYPES.Property:
      return parent.value === node;
    case AST_NODE_TYPES.CallExpression:
      return parent.arguments.includes(node);
    default:
      return false;
  }
}

function forAwaitLoc(node: TSESTree.ForOfStatement): TSESTree.SourceLocation {
  return { start: node.loc.start, end: node.right.loc.end };
}
