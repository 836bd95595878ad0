/**
 * Rule 12: logging in orchestrator code runs again on every replay, so each line is written once
 * per episode of the orchestration, not once. Logging is fine when guarded by "not replaying"
 * (`if (!ctx.isReplaying)`, `!ctx.isReplaying && ...`, an early `if (ctx.isReplaying) return`) or
 * made through a logger from `ctx.createReplaySafeLogger(logger)` (durabletask-js).
 */
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { contextParamInScope } from "../analysis/durable-calls.js";
import { enclosingOrchestrator, findOrchestrators, type OrchestratorInfo } from "../analysis/orchestrators.js";
import { replacement } from "../catalogue/sdks.js";
import { isGlobalReference, memberName, resolveVariable, unwrapExpression } from "../util/ast.js";
import { createRule } from "../util/create-rule.js";

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

    return {
      "CallExpression > MemberExpression.callee"(callee: TSESTree.MemberExpression) {
        const method = memberName(callee);
        if (method === undefined || !(CONSOLE_METHODS.has(method) || LOGGER_METHODS.has(method))) return;
        const orchestrator = enclosingOrchestrator(context, callee);
        if (!orchestrator || !isLoggingCall(callee, method, orchestrator, extraLoggers, sourceCode)) return;
        if (isReplayGuarded(callee, orchestrator, sourceCode)) return;
        const call = callee.parent as TSESTree.CallExpression;
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
    };
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

type ReplayTest = "replaying" | "notReplaying" | undefined;

/**
 * What a condition says about replay: `ctx.isReplaying`, `!ctx.isReplaying()`, `x.isReplaying === false`,
 * `a && !b`, `!(context.df?.isReplaying ?? true)`, and a `const replaying = ctx.isReplaying` read later.
 */
function replayTest(expression: TSESTree.Node, sourceCode: Readonly<TSESLint.SourceCode>, depth = 0): ReplayTest {
  if (depth > 8) return undefined;
  const e = unwrapExpression(expression);
  const test = (inner: TSESTree.Node) => replayTest(inner, sourceCode, depth + 1);
  switch (e.type) {
    case AST_NODE_TYPES.ChainExpression:
      return test(e.expression);
    case AST_NODE_TYPES.Identifier: {
      // `const replaying = ctx.isReplaying;` then `if (!replaying)`: only a never-reassigned const.
      const variable = resolveVariable(sourceCode, e);
      const def = variable?.defs[0];
      if (variable?.defs.length !== 1 || def?.node.type !== AST_NODE_TYPES.VariableDeclarator || def.parent?.type !== AST_NODE_TYPES.VariableDeclaration) return undefined;
      return def.parent.kind === "const" && def.node.init ? test(def.node.init) : undefined;
    }
    case AST_NODE_TYPES.UnaryExpression:
      return e.operator === "!" ? invert(test(e.argument)) : undefined;
    case AST_NODE_TYPES.MemberExpression:
      return memberName(e) === "isReplaying" ? "replaying" : undefined;
    case AST_NODE_TYPES.CallExpression: {
      const callee = unwrapExpression(e.callee);
      return callee.type === AST_NODE_TYPES.MemberExpression && memberName(callee) === "isReplaying" ? "replaying" : undefined;
    }
    case AST_NODE_TYPES.BinaryExpression: {
      if (!["===", "==", "!==", "!="].includes(e.operator)) return undefined;
      const [testSide, literal] = e.right.type === AST_NODE_TYPES.Literal ? [e.left, e.right] : [e.right, e.left];
      if (literal.type !== AST_NODE_TYPES.Literal || typeof literal.value !== "boolean") return undefined;
      const base = replayTest(testSide, sourceCode, depth + 1);
      const negate = (literal.value === false) !== (e.operator === "!==" || e.operator === "!=");
      return negate ? invert(base) : base;
    }
    case AST_NODE_TYPES.LogicalExpression:
      // `a && !isReplaying`: both hold inside; `isReplaying || x`: x only runs when not replaying.
      if (e.operator === "&&") return test(e.left) === "notReplaying" || test(e.right) === "notReplaying" ? "notReplaying" : undefined;
      if (e.operator === "||") return test(e.left) === "replaying" && test(e.right) === "replaying" ? "replaying" : undefined;
      // `isReplaying ?? true`: the flag when the SDK sets it (it always does); the default only decides
      // when it is missing, and a boolean default keeps the test's meaning.
      if (e.operator === "??" && e.right.type === AST_NODE_TYPES.Literal && typeof e.right.value === "boolean") return test(e.left);
      return undefined;
    default:
      return undefined;
  }
}

function invert(test: ReplayTest): ReplayTest {
  return test === "replaying" ? "notReplaying" : test === "notReplaying" ? "replaying" : undefined;
}

/** True if every path to `node` inside the orchestrator has checked that it is not replaying. */
function isReplayGuarded(node: TSESTree.Node, orchestrator: OrchestratorInfo, sourceCode: Readonly<TSESLint.SourceCode>): boolean {
  let child: TSESTree.Node = node;
  for (let parent = node.parent; parent && child !== orchestrator.node; child = parent, parent = parent.parent) {
    switch (parent.type) {
      case AST_NODE_TYPES.IfStatement:
      case AST_NODE_TYPES.ConditionalExpression:
        if (child === parent.consequent && replayTest(parent.test, sourceCode) === "notReplaying") return true;
        if (child === parent.alternate && replayTest(parent.test, sourceCode) === "replaying") return true;
        break;
      case AST_NODE_TYPES.LogicalExpression:
        if (child === parent.right) {
          if (parent.operator === "&&" && replayTest(parent.left, sourceCode) === "notReplaying") return true;
          if (parent.operator === "||" && replayTest(parent.left, sourceCode) === "replaying") return true;
        }
        break;
      case AST_NODE_TYPES.BlockStatement:
      case AST_NODE_TYPES.Program:
        if (hasEarlyExitWhenReplaying(parent.body, child, sourceCode)) return true;
        break;
      default:
        break;
    }
  }
  return false;
}

/** An `if (ctx.isReplaying) return;` (or continue/throw) among the statements before `child`. */
function hasEarlyExitWhenReplaying(statements: readonly TSESTree.Node[], child: TSESTree.Node, sourceCode: Readonly<TSESLint.SourceCode>): boolean {
  for (const statement of statements) {
    if (statement === child) return false;
    if (statement.type === AST_NODE_TYPES.IfStatement && replayTest(statement.test, sourceCode) === "replaying" && exits(statement.consequent)) return true;
  }
  return false;
}

function exits(statement: TSESTree.Statement): boolean {
  if (statement.type === AST_NODE_TYPES.BlockStatement) {
    const last = statement.body.at(-1);
    return last !== undefined && exits(last);
  }
  return (
    statement.type === AST_NODE_TYPES.ReturnStatement ||
    statement.type === AST_NODE_TYPES.ContinueStatement ||
    statement.type === AST_NODE_TYPES.ThrowStatement
  );
}
