/**
 * Rule 13: `while (true)` / `for (;;)` / `do ... while (true)` in an orchestrator that schedules
 * durable work, never leaves (no break/return out of it) and never calls continueAsNew. Every
 * iteration appends events to the orchestration's history, which is replayed in full on each
 * resume: the history grows without bound and each episode gets slower until storage limits fail it.
 */
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { contextParamInScope, durableCallOf, nearestFunction } from "../analysis/durable-calls.js";
import { findOrchestrators, type OrchestratorInfo } from "../analysis/orchestrators.js";
import { isFunctionNode } from "../util/ast.js";
import { createRule } from "../util/create-rule.js";

type MessageIds = "eternalLoop" | "addContinueAsNew";

type Loop = TSESTree.WhileStatement | TSESTree.DoWhileStatement | TSESTree.ForStatement;

export const noEternalLoop = createRule<[], MessageIds>({
  name: "no-eternal-loop",
  meta: {
    type: "problem",
    hasSuggestions: true,
    docs: {
      description: "Disallow endless loops that schedule durable work without continueAsNew (unbounded history)",
      recommended: "error",
    },
    messages: {
      eternalLoop:
        "This endless loop schedules durable work and never calls continueAsNew: every iteration adds to the orchestration's history, which is replayed in full on each resume, so it grows without bound and each replay gets slower; end each iteration (or every N) with {{continueAsNew}} and return.",
      addContinueAsNew: "End the iteration with {{continueAsNew}}; return; (pass the state the next iteration needs as its input).",
    },
    schema: [],
  },
  create(context) {
    const orchestrators = findOrchestrators(context);
    if (orchestrators.size === 0) return {};
    const sourceCode = context.sourceCode;

    const check = (loop: Loop) => {
      if (!isAlwaysTrue(loop.test)) return;
      const fn = nearestFunction(loop);
      const orchestrator = fn ? orchestrators.get(fn) : undefined;
      if (!orchestrator) return;
      const facts = scanLoop(loop, orchestrator, sourceCode);
      if (!facts.schedules || facts.leaves || facts.continuesAsNew) return;
      const call = continueAsNewCall(orchestrator);
      const fix = call && loop.body.type === AST_NODE_TYPES.BlockStatement && contextParamInScope(orchestrator, loop, sourceCode)
        ? insertAtEnd(loop.body, loop, `${call};`, sourceCode)
        : undefined;
      const shown = call ?? `${orchestrator.apiText}.continueAsNew(input, false)`;
      context.report({
        node: loop,
        loc: headLoc(loop),
        messageId: "eternalLoop",
        data: { continueAsNew: shown },
        suggest: fix ? [{ messageId: "addContinueAsNew", data: { continueAsNew: shown }, fix }] : null,
      });
    };
    return { WhileStatement: check, DoWhileStatement: check, ForStatement: check };
  },
});

/** `true`, `1`, `!0`, or no test at all (`for (;;)`). */
function isAlwaysTrue(test: TSESTree.Expression | null): boolean {
  if (test === null) return true;
  if (test.type === AST_NODE_TYPES.Literal) return Boolean(test.value) && !(test.value instanceof RegExp);
  if (test.type === AST_NODE_TYPES.UnaryExpression && test.operator === "!" && test.argument.type === AST_NODE_TYPES.Literal) {
    return !test.argument.value;
  }
  return false;
}

interface LoopFacts {
  schedules: boolean;
  continuesAsNew: boolean;
  /** A `return`, or a `break` that leaves this loop. */
  leaves: boolean;
}

function scanLoop(loop: Loop, orchestrator: OrchestratorInfo, sourceCode: Readonly<TSESLint.SourceCode>): LoopFacts {
  const facts: LoopFacts = { schedules: false, continuesAsNew: false, leaves: false };
  const ownLabel = loop.parent.type === AST_NODE_TYPES.LabeledStatement ? loop.parent.label.name : undefined;
  // Labels declared inside the loop: a `break` to one of them stays inside.
  const innerLabels = new Set<string>();
  const visit = (node: TSESTree.Node, breakable: number, inFunction: boolean): void => {
    switch (node.type) {
      case AST_NODE_TYPES.CallExpression: {
        const call = durableCallOf(node, orchestrator, sourceCode);
        if (call?.kind === "task" || call?.kind === "combinator") facts.schedules = true;
        if (call?.method === "continueAsNew") facts.continuesAsNew = true;
        break;
      }
      case AST_NODE_TYPES.ReturnStatement:
        if (!inFunction) facts.leaves = true;
        break;
      case AST_NODE_TYPES.BreakStatement:
        if (!inFunction) {
          if (node.label ? !innerLabels.has(node.label.name) || node.label.name === ownLabel : breakable === 0) facts.leaves = true;
        }
        break;
      case AST_NODE_TYPES.LabeledStatement:
        innerLabels.add(node.label.name);
        break;
      default:
        break;
    }
    const nestedBreakable =
      node.type === AST_NODE_TYPES.WhileStatement ||
      node.type === AST_NODE_TYPES.DoWhileStatement ||
      node.type === AST_NODE_TYPES.ForStatement ||
      node.type === AST_NODE_TYPES.ForInStatement ||
      node.type === AST_NODE_TYPES.ForOfStatement ||
      node.type === AST_NODE_TYPES.SwitchStatement;
    const childInFunction = inFunction || isFunctionNode(node);
    for (const key of sourceCode.visitorKeys[node.type] ?? []) {
      const value = (node as unknown as Record<string, unknown>)[key];
      const children = Array.isArray(value) ? value : [value];
      for (const child of children) {
        if (child && typeof (child as TSESTree.Node).type === "string") {
          visit(child as TSESTree.Node, breakable + (nestedBreakable ? 1 : 0), childInFunction);
        }
      }
    }
  };
  visit(loop.body, 0, false);
  if (loop.type === AST_NODE_TYPES.ForStatement && loop.update) visit(loop.update, 0, false);
  return facts;
}

/** The SDK's continueAsNew call with the orchestrator's own input, or undefined if it has no plain input name. */
function continueAsNewCall(orchestrator: OrchestratorInfo): string | undefined {
  if (orchestrator.api === "durable-functions") return `${orchestrator.apiText}.continueAsNew(${orchestrator.apiText}.getInput())`;
  const input = orchestrator.node.params[1];
  if (input?.type !== AST_NODE_TYPES.Identifier) return undefined;
  return `${orchestrator.apiText}.continueAsNew(${input.name}, false)`;
}

function insertAtEnd(
  body: TSESTree.BlockStatement,
  loop: Loop,
  statement: string,
  sourceCode: Readonly<TSESLint.SourceCode>,
): (fixer: TSESLint.RuleFixer) => TSESLint.RuleFix {
  const last = body.body.at(-1);
  const indentOf = (node: TSESTree.Node) => /^\s*/.exec(sourceCode.lines[node.loc.start.line - 1] ?? "")?.[0] ?? "";
  const inner = last ? indentOf(last) : `${indentOf(loop)}  `;
  const text = `\n${inner}${statement}\n${inner}return;`;
  return (fixer) => (last ? fixer.insertTextAfter(last, text) : fixer.insertTextAfterRange([body.range[0], body.range[0] + 1], text));
}

/** `while (true)` / `for (;;)` / `do`: the loop's head, not its whole body. */
function headLoc(loop: Loop): TSESTree.SourceLocation {
  return { start: loop.loc.start, end: loop.body.loc.start };
}
