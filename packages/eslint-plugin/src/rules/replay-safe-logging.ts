/**
 * Rule 12: logging in orchestrator code runs again on every replay, so each line is written once
 * per episode of the orchestration, not once. Logging is fine when guarded by "not replaying"
 * (`if (!ctx.isReplaying)`, `!ctx.isReplaying && ...`, an early `if (ctx.isReplaying) return`) or
 * made through a logger from `ctx.createReplaySafeLogger(logger)` (durabletask-js).
 */
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { contextParamInScope } from "../analysis/durable-calls.js";
import { enclosingOrchestrator, findOrchestrators, type OrchestratorInfo } from "../analysis/orchestrators.js";
import { replayGuards } from "../analysis/replay-guard.js";
import { replacement } from "../catalogue/sdks.js";
import { isGlobalReference, memberName, resolveVariable, unwrapExpression } from "../util/ast.js";
import { createRule } from "../util/create-rule.js";
import { onMethodCalls } from "../util/method-calls.js";

type MessageIds = "unguardedLog" | "guard";

interface Options {
  /** Extra names of logger objects (identifiers or properties), beyond `console`, `log`, `logger`, `*Logger`. */
  loggers?: string[];
}

const CONSOLE_METHODS = new Set(["log", "info", "warn", "error", "debug", "trace", "dir", "table"]);
const LOGGER_METHODS = new Set(["log", "info", "warn", "warning", "error", "debug", "trace", "verbose", "fatal"]);
/** durable-functions' InvocationContext logs through the orchestrator's own `context`. */
const INVOCATION_CONTEXT_METHODS = new Set(["log", "trace", "debug", "info", "warn", "error"]);
const LOGGER_NAME = /^log$|logger$/i;

export const replaySafeLogging = createRule<[Options], MessageIds>({
  name: "replay-safe-logging",
  meta: {
    type: "suggestion",
    hasSuggestions: true,
    docs: {
      description: "Require logging in orchestrators to be guarded by isReplaying or made through a replay-safe logger",
      recommended: "warn",
    },
    messages: {
      unguardedLog:
        "{{call}} in an orchestrator runs again on every replay, so the line is logged once per replay, not once; {{advice}}.",
      guard: "Wrap it in if (!{{isReplaying}}).",
    },
    schema: [
      {
        type: "object",
        additionalProperties: false,
        properties: {
          loggers: {
            type: "array",
            items: { type: "string" },
            uniqueItems: true,
            description: "Extra names of logger objects (identifier or property names) whose calls are logging.",
          },
        },
      },
    ],
    defaultOptions: [{ loggers: [] }],
  },
  create(context, [options]) {
    if (findOrchestrators(context).size === 0) return {};
    const sourceCode = context.sourceCode;
    const extraLoggers = new Set(options.loggers ?? []);

    return onMethodCalls(
      (method) => CONSOLE_METHODS.has(method) || LOGGER_METHODS.has(method),
      (callee, method, call) => {
        const orchestrator = enclosingOrchestrator(context, callee);
        if (!orchestrator || !isLoggingCall(callee, method, orchestrator, extraLoggers, sourceCode)) return;
        // Fine where every path to it has checked that the orchestrator is not replaying.
        if (replayGuards(callee, orchestrator, sourceCode).some((guard) => guard.state === "notReplaying")) return;
        const isReplaying = replacement(orchestrator.api, "isReplaying", orchestrator.apiText);
        const advice =
          orchestrator.api === "durabletask"
            ? `guard it with if (!${isReplaying}) or log through ${orchestrator.apiText}.createReplaySafeLogger(logger)`
            : `guard it with if (!${isReplaying})`;
        const statement = call.parent;
        // Only a statement of its own in a block: under another `if` a wrap could make it dead code.
        const canWrap =
          statement.type === AST_NODE_TYPES.ExpressionStatement &&
          (statement.parent.type === AST_NODE_TYPES.BlockStatement || statement.parent.type === AST_NODE_TYPES.Program) &&
          contextParamInScope(orchestrator, call, sourceCode);
        context.report({
          node: call,
          messageId: "unguardedLog",
          data: { call: `${sourceCode.getText(callee)}()`, advice },
          suggest: canWrap
            ? [
                {
                  messageId: "guard",
                  data: { isReplaying },
                  fix: (fixer) => fixer.replaceText(statement, `if (!${isReplaying}) ${sourceCode.getText(statement)}`),
                },
              ]
            : null,
        });
      },
    );
  },
});

function isLoggingCall(
  callee: TSESTree.MemberExpression,
  method: string,
  orchestrator: OrchestratorInfo,
  extraLoggers: ReadonlySet<string>,
  sourceCode: Readonly<TSESLint.SourceCode>,
): boolean {
  const object = unwrapExpression(callee.object);
  if (object.type === AST_NODE_TYPES.Identifier) {
    if (object.name === "console") return CONSOLE_METHODS.has(method) && isGlobalReference(sourceCode, object);
    if (orchestrator.api === "durable-functions" && object.name === orchestrator.contextParam) {
      return INVOCATION_CONTEXT_METHODS.has(method) && resolveVariable(sourceCode, object)?.defs[0]?.node === orchestrator.node;
    }
    if (!LOGGER_METHODS.has(method) || !(LOGGER_NAME.test(object.name) || extraLoggers.has(object.name))) return false;
    return !isReplaySafeLogger(object, sourceCode);
  }
  // `this.logger.info(...)`, `deps.log.warn(...)`
  if (object.type === AST_NODE_TYPES.MemberExpression) {
    const name = memberName(object);
    return name !== undefined && LOGGER_METHODS.has(method) && (LOGGER_NAME.test(name) || extraLoggers.has(name));
  }
  return false;
}

/** `const log = ctx.createReplaySafeLogger(logger)` */
function isReplaySafeLogger(identifier: TSESTree.Identifier, sourceCode: Readonly<TSESLint.SourceCode>): boolean {
  const def = resolveVariable(sourceCode, identifier)?.defs[0];
  if (def?.node.type !== AST_NODE_TYPES.VariableDeclarator || !def.node.init) return false;
  const init = unwrapExpression(def.node.init);
  if (init.type !== AST_NODE_TYPES.CallExpression) return false;
  const callee = unwrapExpression(init.callee);
  return callee.type === AST_NODE_TYPES.MemberExpression && memberName(callee) === "createReplaySafeLogger";
}
