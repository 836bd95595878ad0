/**
 * Rule 8: the orchestrator function must have the shape its SDK's executor drives. durabletask-js
 * and Dapr drive only async generators (anything else "completes" with its return value, a sync
 * generator object serialising as `{}`); durable-functions calls `.next()` synchronously and fails
 * on anything but a sync generator.
 */
import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { AST_NODE_TYPES } from "@typescript-eslint/utils";
import { durableCallOf, isProbablyHelper } from "../analysis/durable-calls.js";
import { enclosingOrchestrator, findOrchestrators, type OrchestratorInfo } from "../analysis/orchestrators.js";
import { TASK_METHODS } from "../catalogue/sdks.js";
import { memberName, unwrapExpression } from "../util/ast.js";
import { createRule } from "../util/create-rule.js";

type MessageIds = "syncGenerator" | "notGenerator" | "asyncGeneratorDf" | "notGeneratorDf" | "makeAsyncGenerator" | "makeSyncGenerator";

export const generatorShape = createRule<[], MessageIds>({
  name: "generator-shape",
  meta: {
    type: "problem",
    hasSuggestions: true,
    docs: {
      description: "Require the generator shape each SDK drives: an async generator for durabletask-js and Dapr, a plain generator for durable-functions",
      recommended: "error",
    },
    messages: {
      syncGenerator:
        "Orchestrator {{name}} is a sync function*: the {{sdk}} worker only drives async generators, so the orchestration completes at once with {} without running a step (and replay fails with a NonDeterminismError); declare it async function*.",
      notGenerator:
        "Orchestrator {{name}} schedules durable work but is not a generator: the {{sdk}} worker completes it with its return value and never waits for its Tasks; declare it async function* and yield each Task.",
      asyncGeneratorDf:
        "Orchestrator {{name}} is an async function*: durable-functions drives only sync generators and fails it at run time (\"Orchestration yielded data of type undefined\"); declare it function* and use yield instead of await.",
      notGeneratorDf:
        "Orchestrator {{name}} is not a generator: durable-functions calls .next() on what it returns and fails at run time; declare it function* and yield each Task.",
      makeAsyncGenerator: "Declare it async function*.",
      makeSyncGenerator: "Declare it function*.",
    },
    schema: [],
  },
  create(context) {
    const orchestrators = findOrchestrators(context);
    if (orchestrators.size === 0) return {};
    const sourceCode = context.sourceCode;
    // durabletask/Dapr orchestrators that are not generators: only a problem if they schedule work.
    const schedules = new Set<OrchestratorInfo>();
    const plainDurabletask = [...orchestrators.values()].some((o) => o.sdk !== "durable-functions" && !o.node.generator);

    return {
      CallExpression(call) {
        if (!plainDurabletask) return;
        const callee = unwrapExpression(call.callee);
        if (callee.type !== AST_NODE_TYPES.MemberExpression) return;
        const method = memberName(callee);
        if (method === undefined || !TASK_METHODS.has(method)) return;
        const orchestrator = enclosingOrchestrator(context, call);
        if (orchestrator && !orchestrator.node.generator && durableCallOf(call, orchestrator, sourceCode)) schedules.add(orchestrator);
      },
      "Program:exit"() {
        for (const orchestrator of orchestrators.values()) {
          const fn = orchestrator.node;
          if (isProbablyHelper(orchestrator, sourceCode)) continue;
          const data = { name: orchestrator.name ? `"${orchestrator.name}"` : "(anonymous)", sdk: sdkLabel(orchestrator) };
          const loc = headLoc(fn);
          if (orchestrator.sdk === "durable-functions") {
            if (fn.generator && !fn.async) continue;
            const fix = toSyncGenerator(fn, sourceCode);
            context.report({
              loc,
              messageId: fn.generator ? "asyncGeneratorDf" : "notGeneratorDf",
              data,
              suggest: fix ? [{ messageId: "makeSyncGenerator", fix }] : null,
            });
          } else if (fn.generator && !fn.async) {
            const fix = toAsyncGenerator(fn, sourceCode);
            context.report({ loc, messageId: "syncGenerator", data, suggest: fix ? [{ messageId: "makeAsyncGenerator", fix }] : null });
          } else if (!fn.generator && schedules.has(orchestrator)) {
            const fix = toAsyncGenerator(fn, sourceCode);
            context.report({ loc, messageId: "notGenerator", data, suggest: fix ? [{ messageId: "makeAsyncGenerator", fix }] : null });
          }
        }
      },
    };
  },
});

function sdkLabel(orchestrator: OrchestratorInfo): string {
  return orchestrator.sdk === "dapr" ? "Dapr" : "durabletask-js";
}

/** From the start of the function to the start of its body: the part a squiggle should cover. */
function headLoc(fn: TSESTree.FunctionLike): TSESTree.SourceLocation {
  return { start: fn.loc.start, end: fn.body ? fn.body.loc.start : fn.loc.end };
}

type Fix = (fixer: TSESLint.RuleFixer) => TSESLint.RuleFix[];

/**
 * Tokens of a plain `function` declaration or expression (methods and arrows have no `function`
 * keyword to rewrite, so no suggestion is offered for them).
 */
function functionTokens(fn: TSESTree.FunctionLike, sourceCode: Readonly<TSESLint.SourceCode>) {
  if (fn.type === AST_NODE_TYPES.ArrowFunctionExpression || fn.type === AST_NODE_TYPES.TSDeclareFunction) return undefined;
  const parent = fn.parent;
  if (parent?.type === AST_NODE_TYPES.MethodDefinition || (parent?.type === AST_NODE_TYPES.Property && (parent.method || parent.kind !== "init"))) {
    return undefined;
  }
  const first = sourceCode.getFirstToken(fn);
  if (!first) return undefined;
  const asyncToken = first.value === "async" ? first : undefined;
  const functionToken = asyncToken ? sourceCode.getTokenAfter(asyncToken) : first;
  if (functionToken?.value !== "function") return undefined;
  const star = fn.generator ? sourceCode.getTokenAfter(functionToken) : undefined;
  return { asyncToken, functionToken, star };
}

function toAsyncGenerator(fn: TSESTree.FunctionLike, sourceCode: Readonly<TSESLint.SourceCode>): Fix | undefined {
  const tokens = functionTokens(fn, sourceCode);
  if (!tokens) return undefined;
  return (fixer) => {
    const fixes: TSESLint.RuleFix[] = [];
    if (!tokens.asyncToken) fixes.push(fixer.insertTextBefore(tokens.functionToken, "async "));
    if (!tokens.star) fixes.push(fixer.insertTextAfter(tokens.functionToken, "*"));
    return fixes;
  };
}

function toSyncGenerator(fn: TSESTree.FunctionLike, sourceCode: Readonly<TSESLint.SourceCode>): Fix | undefined {
  const tokens = functionTokens(fn, sourceCode);
  // Without `async`, an `await` left in the body would no longer parse: no suggestion then.
  if (!tokens || (tokens.asyncToken && /\bawait\b/.test(sourceCode.getText(fn)))) return undefined;
  return (fixer) => {
    const fixes: TSESLint.RuleFix[] = [];
    if (tokens.asyncToken) fixes.push(fixer.removeRange([tokens.asyncToken.range[0], tokens.functionToken.range[0]]));
    if (!tokens.star) fixes.push(fixer.insertTextAfter(tokens.functionToken, "*"));
    return fixes;
  };
}
