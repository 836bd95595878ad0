/**
 * What the code around a node checks about replay: the `isReplaying` tests every path to it has
 * passed (`if (!ctx.isReplaying)`, `!ctx.isReplaying && ...`, `ctx.isReplaying ? a : b`, an
 * early `if (ctx.isReplaying) return`). Shared by replay-safe-logging (logging is fine where the
 * orchestrator is not replaying) and no-replay-conditional-calls (a durable call must not depend
 * on it either way).
 */
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { memberName, resolveVariable, unwrapExpression } from "../util/ast.js";
import type { OrchestratorInfo } from "./orchestrators.js";

type SourceCode = Readonly<TSESLint.SourceCode>;

/** Where a node runs: only while replaying, or only while not. */
export type ReplayState = "replaying" | "notReplaying";

export interface ReplayGuard {
  /** What holds wherever the node runs. */
  state: ReplayState;
  /** The test that makes it hold (an if's condition, the left of `&&`). */
  test: TSESTree.Node;
}

/** What holds about replay when a condition is true, and when it is false (undefined: nothing known). */
export interface ReplayTest {
  whenTrue?: ReplayState;
  whenFalse?: ReplayState;
}

const NOTHING: ReplayTest = {};

/**
 * What a condition says about replay: `ctx.isReplaying`, `!ctx.isReplaying()`, `x.isReplaying === false`,
 * `a && !b`, `!(context.df?.isReplaying ?? true)`, and a `const replaying = ctx.isReplaying` read later.
 */
export function replayTest(expression: TSESTree.Node, sourceCode: SourceCode, depth = 0): ReplayTest {
  if (depth > 8) return NOTHING;
  const e = unwrapExpression(expression);
  const test = (inner: TSESTree.Node) => replayTest(inner, sourceCode, depth + 1);
  switch (e.type) {
    case AST_NODE_TYPES.ChainExpression:
      return test(e.expression);
    case AST_NODE_TYPES.Identifier: {
      // `const replaying = ctx.isReplaying;` then `if (!replaying)`: only a never-reassigned const.
      const variable = resolveVariable(sourceCode, e);
      const def = variable?.defs[0];
      if (variable?.defs.length !== 1 || def?.node.type !== AST_NODE_TYPES.VariableDeclarator || def.parent?.type !== AST_NODE_TYPES.VariableDeclaration) return NOTHING;
      return def.parent.kind === "const" && def.node.init ? test(def.node.init) : NOTHING;
    }
    case AST_NODE_TYPES.UnaryExpression:
      return e.operator === "!" ? negate(test(e.argument)) : NOTHING;
    case AST_NODE_TYPES.MemberExpression:
      return memberName(e) === "isReplaying" ? IS_REPLAYING : NOTHING;
    case AST_NODE_TYPES.CallExpression: {
      const callee = unwrapExpression(e.callee);
      return callee.type === AST_NODE_TYPES.MemberExpression && memberName(callee) === "isReplaying" ? IS_REPLAYING : NOTHING;
    }
    case AST_NODE_TYPES.BinaryExpression: {
      if (!["===", "==", "!==", "!="].includes(e.operator)) return NOTHING;
      const [testSide, literal] = e.right.type === AST_NODE_TYPES.Literal ? [e.left, e.right] : [e.right, e.left];
      if (literal.type !== AST_NODE_TYPES.Literal || typeof literal.value !== "boolean") return NOTHING;
      const base = test(testSide);
      return (literal.value === false) !== (e.operator === "!==" || e.operator === "!=") ? negate(base) : base;
    }
    case AST_NODE_TYPES.LogicalExpression: {
      // `isReplaying ?? true`: the flag when the SDK sets it (it always does); the default only decides
      // when it is missing, and a boolean default keeps the test's meaning.
      if (e.operator === "??") return e.right.type === AST_NODE_TYPES.Literal && typeof e.right.value === "boolean" ? test(e.left) : NOTHING;
      const [left, right] = [test(e.left), test(e.right)];
      // `a && b` is true when both are, false when either is; `a || b` the other way round.
      if (e.operator === "&&") return { whenTrue: left.whenTrue ?? right.whenTrue, whenFalse: same(left.whenFalse, right.whenFalse) };
      return { whenTrue: same(left.whenTrue, right.whenTrue), whenFalse: left.whenFalse ?? right.whenFalse };
    }
    default:
      return NOTHING;
  }
}

const IS_REPLAYING: ReplayTest = { whenTrue: "replaying", whenFalse: "notReplaying" };

function negate(test: ReplayTest): ReplayTest {
  return { whenTrue: test.whenFalse, whenFalse: test.whenTrue };
}

function same(a: ReplayState | undefined, b: ReplayState | undefined): ReplayState | undefined {
  return a === b ? a : undefined;
}

/** The replay tests every path from the orchestrator's start to `node` has passed, innermost first. */
export function replayGuards(node: TSESTree.Node, orchestrator: OrchestratorInfo, sourceCode: SourceCode): ReplayGuard[] {
  const guards: ReplayGuard[] = [];
  const add = (test: TSESTree.Node, holds: boolean) => {
    const known = replayTest(test, sourceCode);
    const state = holds ? known.whenTrue : known.whenFalse;
    if (state) guards.push({ state, test });
  };
  let child: TSESTree.Node = node;
  for (let parent = node.parent; parent && child !== orchestrator.node; child = parent, parent = parent.parent) {
    switch (parent.type) {
      case AST_NODE_TYPES.IfStatement:
      case AST_NODE_TYPES.ConditionalExpression:
        if (child === parent.consequent) add(parent.test, true);
        else if (child === parent.alternate) add(parent.test, false);
        break;
      case AST_NODE_TYPES.LogicalExpression:
        // `a && b`: b runs where a holds; `a || b`: where it does not.
        if (child === parent.right && (parent.operator === "&&" || parent.operator === "||")) add(parent.left, parent.operator === "&&");
        break;
      case AST_NODE_TYPES.BlockStatement:
      case AST_NODE_TYPES.Program:
        for (const exit of earlyExits(parent.body, child)) add(exit, false);
        break;
      default:
        break;
    }
  }
  return guards;
}

/** The tests of the `if (...) return;` (or continue/throw) statements before `child`: past them, each test is false. */
function earlyExits(statements: readonly TSESTree.Node[], child: TSESTree.Node): TSESTree.Expression[] {
  const tests: TSESTree.Expression[] = [];
  for (const statement of statements) {
    if (statement === child) break;
    if (statement.type === AST_NODE_TYPES.IfStatement && exits(statement.consequent)) tests.push(statement.test);
  }
  return tests.reverse();
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
