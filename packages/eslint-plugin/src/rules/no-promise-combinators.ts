/**
 * Rule 10: `Promise.all/race/any/allSettled` and `new Promise` in orchestrator code. The SDK
 * executors only accept their own Tasks: yielding a Promise fails ("yielded a non-Task object" in
 * durabletask-js and Dapr, "Orchestration yielded data of type object" in durable-functions), and
 * a Promise's settlement is not recorded in history. Fan-out/fan-in goes through the SDK's
 * combinators (whenAll/whenAny, `context.df.Task.all/any`).
 */
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { combinatorModule, contextParamInScope } from "../analysis/durable-calls.js";
import { fileImports } from "../analysis/imports.js";
import { enclosingOrchestrator, findOrchestrators, type OrchestratorInfo } from "../analysis/orchestrators.js";
import { COMBINATORS, replacement } from "../catalogue/sdks.js";
import { isGlobalReference, unwrapExpression } from "../util/ast.js";
import { createRule } from "../util/create-rule.js";
import { onMethodCalls } from "../util/method-calls.js";

type MessageIds = "combinator" | "newPromise" | "useCombinator";

/** Promise statics → which SDK combinator does that job (allSettled has none: catch per Task). */
const PROMISE_STATICS: Readonly<Record<string, "whenAll" | "whenAny" | undefined>> = {
  all: "whenAll",
  race: "whenAny",
  any: "whenAny",
  allSettled: undefined,
};

export const noPromiseCombinators = createRule<[], MessageIds>({
  name: "no-promise-combinators",
  meta: {
    type: "problem",
    hasSuggestions: true,
    docs: {
      description: "Disallow Promise combinators and new Promise in orchestrators; use the SDK's whenAll/whenAny or context.df.Task.all/any",
      recommended: "error",
    },
    messages: {
      combinator:
        "Promise.{{method}}() in an orchestrator: the SDK cannot yield a Promise (the orchestration fails) and its outcome is not recorded in history; {{advice}}.",
      newPromise:
        "new Promise() in an orchestrator settles outside the replay model: the SDK cannot yield it and its outcome is not recorded in history; wait with durable Tasks ({{timer}}, {{event}}) instead.",
      useCombinator: "Replace Promise.all with {{replacement}}.",
    },
    schema: [],
  },
  create(context) {
    if (findOrchestrators(context).size === 0) return {};
    const sourceCode = context.sourceCode;

    return {
      ...onMethodCalls((method) => method in PROMISE_STATICS, (callee, method) => {
        const object = unwrapExpression(callee.object);
        if (object.type !== AST_NODE_TYPES.Identifier || object.name !== "Promise" || !isGlobalReference(sourceCode, object)) return;
        const orchestrator = enclosingOrchestrator(context, callee);
        if (!orchestrator) return;
        const target = PROMISE_STATICS[method];
        const advice = target
          ? `use ${replacement(orchestrator.api, target, orchestrator.apiText)}${target === "whenAny" ? whenAnyNote(orchestrator) : ""}`
          : `yield each Task in a try/catch, or ${replacement(orchestrator.api, "whenAll", orchestrator.apiText)} with a try/catch around it`;
        const fix = method === "all" ? allFix(callee, orchestrator, sourceCode) : undefined;
        context.report({
          node: callee.parent as TSESTree.CallExpression,
          messageId: "combinator",
          data: { method, advice },
          suggest: fix ? [{ messageId: "useCombinator", data: { replacement: fix.text }, fix: fix.apply }] : null,
        });
      }),
      NewExpression(node) {
        const callee = unwrapExpression(node.callee);
        if (callee.type !== AST_NODE_TYPES.Identifier || callee.name !== "Promise" || !isGlobalReference(sourceCode, callee)) return;
        const orchestrator = enclosingOrchestrator(context, node);
        if (!orchestrator) return;
        context.report({
          node,
          messageId: "newPromise",
          data: {
            timer: replacement(orchestrator.api, "timer", orchestrator.apiText),
            event: `yield ${orchestrator.apiText}.waitForExternalEvent(name)`,
          },
        });
      },
    };
  },
});

function whenAnyNote(orchestrator: OrchestratorInfo): string {
  // Promise.race/any resolve to a value; the SDK's whenAny yields the winning Task.
  return orchestrator.api === "durable-functions" ? "; it yields the winning Task (read winner.result)" : "; it yields the winning Task (call winner.getResult())";
}

/**
 * `Promise.all` → the SDK's all-combinator. Module functions (durabletask-js, @dapr/durabletask-js)
 * reuse an existing import or add one; context methods need the context parameter in scope.
 */
function allFix(
  callee: TSESTree.MemberExpression,
  orchestrator: OrchestratorInfo,
  sourceCode: Readonly<TSESLint.SourceCode>,
): { text: string; apply: (fixer: TSESLint.RuleFixer) => TSESLint.RuleFix[] } | undefined {
  const module = combinatorModule(orchestrator);
  if (!module) {
    if (!contextParamInScope(orchestrator, callee, sourceCode)) return undefined;
    const text = COMBINATORS[orchestrator.api].all.replace("<ctx>", orchestrator.apiText);
    return { text, apply: (fixer) => [fixer.replaceText(callee, text)] };
  }
  const imported = [...fileImports(sourceCode).byLocal.values()].find(
    (b) => b.module === module && b.imported === "whenAll" && !b.typeOnly,
  );
  const local = imported?.local ?? "whenAll";
  if (!imported && isShadowed(callee, "whenAll", sourceCode)) return undefined;
  return {
    text: imported ? local : `${local} (import { whenAll } from "${module}")`,
    apply: (fixer) => {
      const fixes = [fixer.replaceText(callee, local)];
      if (!imported) fixes.push(addImport(fixer, module, sourceCode));
      return fixes;
    },
  };
}

/** A local `whenAll` declared between the call and the module scope would capture the new name. */
function isShadowed(node: TSESTree.Node, name: string, sourceCode: Readonly<TSESLint.SourceCode>): boolean {
  for (let scope: TSESLint.Scope.Scope | null = sourceCode.getScope(node); scope; scope = scope.upper) {
    if (scope.set.has(name)) return true;
  }
  return false;
}

/** Adds `whenAll` to a value import from `module`, or a new import declaration after the last import. */
function addImport(fixer: TSESLint.RuleFixer, module: string, sourceCode: Readonly<TSESLint.SourceCode>): TSESLint.RuleFix {
  const imports = sourceCode.ast.body.filter((s): s is TSESTree.ImportDeclaration => s.type === AST_NODE_TYPES.ImportDeclaration);
  const existing = imports.find(
    (d) =>
      d.source.value === module &&
      d.importKind !== "type" &&
      d.specifiers.length > 0 &&
      d.specifiers.every((s) => s.type === AST_NODE_TYPES.ImportSpecifier || s.type === AST_NODE_TYPES.ImportDefaultSpecifier),
  );
  const lastNamed = existing?.specifiers.filter((s) => s.type === AST_NODE_TYPES.ImportSpecifier).at(-1);
  if (lastNamed) return fixer.insertTextAfter(lastNamed, ", whenAll");
  const last = imports.at(-1);
  const line = `import { whenAll } from "${module}";`;
  return last ? fixer.insertTextAfter(last, `\n${line}`) : fixer.insertTextBeforeRange([0, 0], `${line}\n`);
}
