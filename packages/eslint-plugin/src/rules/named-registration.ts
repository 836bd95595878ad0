/**
 * Rule 15: `worker.addOrchestrator(fn)` (durabletask-js and its Dapr fork) and Dapr's
 * `runtime.registerWorkflow(fn)` take the orchestration name from `fn.name` at run time. An
 * anonymous function throws at startup; a named one silently changes name when the function is
 * renamed or a bundler/minifier rewrites it, and instances already running (whose history carries
 * the old name) can no longer be resumed. The explicit `addNamedOrchestrator("name", fn)` /
 * `registerWorkflowWithName("name", fn)` pin the name.
 */
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { fileImports } from "../analysis/imports.js";
import { NAME_FROM_FUNCTION_REGISTRATIONS, ORCHESTRATOR_REGISTRATIONS, type Sdk, sdkOfModule } from "../catalogue/sdks.js";
import { isFunctionNode, memberName, resolveVariable, unwrapExpression } from "../util/ast.js";
import { createRule } from "../util/create-rule.js";

type MessageIds = "anonymous" | "nameFromFunction" | "nameUnknown" | "useNamed";

interface Options {
  /** Also check activity and entity registrations (`addActivity`, `addEntity`, `registerActivity`). */
  activities?: boolean;
}

interface NameFromFunction {
  method: string;
  namedVariant: string;
  sdk: Sdk;
  kind: "orchestration" | "activity" | "entity";
}

/** Registrations that read `fn.name`, by method (from the catalogue). */
const ORCHESTRATIONS = new Map<string, NameFromFunction>(
  ORCHESTRATOR_REGISTRATIONS.flatMap((r) => (r.namedVariant ? [[r.method, { method: r.method, namedVariant: r.namedVariant, sdk: r.sdk, kind: "orchestration" }]] : [])),
);
const WITH_ACTIVITIES = new Map<string, NameFromFunction>([...ORCHESTRATIONS, ...NAME_FROM_FUNCTION_REGISTRATIONS.map((r) => [r.method, r] as const)]);

export const namedRegistration = createRule<[Options], MessageIds>({
  name: "named-registration",
  meta: {
    type: "problem",
    hasSuggestions: true,
    docs: {
      description: "Require orchestrations to be registered under an explicit name rather than the function's name",
      // strict only: at the SDKs' own README style (`addOrchestrator(fn)`) it is noise unless the build bundles or minifies.
      recommended: false,
    },
    messages: {
      anonymous: "{{method}}() takes the {{kind}} name from the function's name, and this function has none: {{failure}}; use {{named}}(\"name\", fn).",
      nameFromFunction:
        "{{method}}({{arg}}) registers the {{kind}} as \"{{name}}\", taken from the function's name: renaming the function (or minifying the bundle) changes it, and running instances whose history says \"{{name}}\" can no longer be resumed; use {{named}}(\"{{name}}\", {{arg}}).",
      nameUnknown:
        "{{method}}({{arg}}) registers the {{kind}} under whatever name the function has at run time: a rename or a minifier changes it and running instances can no longer be resumed; use {{named}}(\"name\", {{arg}}).",
      useNamed: "Register it explicitly as {{named}}(\"{{name}}\", ...).",
    },
    schema: [
      {
        type: "object",
        additionalProperties: false,
        properties: {
          activities: {
            type: "boolean",
            description:
              "Also check activity and entity registrations that take the name from the function (addActivity, addEntity, registerActivity).",
          },
        },
      },
    ],
    defaultOptions: [{ activities: false }],
  },
  create(context, [options]) {
    const sourceCode = context.sourceCode;
    const byMethod = options.activities ? WITH_ACTIVITIES : ORCHESTRATIONS;
    // Registration files need not contain an orchestrator, so the cheap gate is the method names.
    if (![...byMethod.keys()].some((m) => sourceCode.text.includes(m))) return {};
    const sdks = importedSdks(sourceCode);
    if (sdks.size === 0) return {};

    return {
      CallExpression(call) {
        const callee = unwrapExpression(call.callee);
        if (callee.type !== AST_NODE_TYPES.MemberExpression || call.arguments.length !== 1) return;
        const method = memberName(callee);
        const registration = method === undefined ? undefined : byMethod.get(method);
        const arg = call.arguments[0];
        if (!registration || !arg || arg.type === AST_NODE_TYPES.SpreadElement || !sdks.has(registration.sdk)) return;
        const named = registration.namedVariant;
        const argText = sourceCode.getText(arg);
        const runtimeName = nameAtRunTime(arg, sourceCode);
        if (runtimeName === "") {
          context.report({
            node: arg,
            messageId: "anonymous",
            data: {
              method: method as string,
              named,
              kind: registration.kind,
              failure:
                registration.sdk === "dapr"
                  ? 'the runtime throws at startup ("Cannot infer a name from a lambda function")'
                  : `the worker throws at startup ("A non-empty ${registration.kind === "orchestration" ? "orchestrator" : registration.kind} name is required")`,
            },
          });
          return;
        }
        const data = { method: method as string, named, kind: registration.kind, arg: argText, name: runtimeName ?? "name" };
        context.report({
          node: arg,
          messageId: runtimeName === undefined ? "nameUnknown" : "nameFromFunction",
          data,
          suggest:
            runtimeName === undefined
              ? null
              : [
                  {
                    messageId: "useNamed",
                    data,
                    fix: (fixer) => [fixer.replaceText(callee.property, named), fixer.insertTextBefore(arg, `${JSON.stringify(runtimeName)}, `)],
                  },
                ],
        });
      },
    };
  },
});

/** SDKs this file imports from (a registration method name alone is too generic to trust). */
function importedSdks(sourceCode: Readonly<TSESLint.SourceCode>): ReadonlySet<Sdk> {
  const sdks = new Set<Sdk>();
  for (const module of fileImports(sourceCode).modules) {
    const sdk = sdkOfModule(module);
    if (sdk) sdks.add(sdk.sdk);
  }
  // addOrchestrator exists on durabletask-js and its Dapr fork (both "durabletask"-style workers).
  if (fileImports(sourceCode).modules.has("@dapr/durabletask-js")) sdks.add("durabletask");
  return sdks;
}

/**
 * The `fn.name` the SDK will read: "" for an anonymous function, the declared or inferred name
 * (`const f = async function* () {}` is named "f"), the exported name of a named import; undefined
 * when it cannot be known here.
 */
function nameAtRunTime(arg: TSESTree.Node, sourceCode: Readonly<TSESLint.SourceCode>): string | undefined {
  const node = unwrapExpression(arg);
  // Inline: a function expression's own id, else anonymous (no name is inferred for arguments).
  if (isFunctionNode(node)) return node.id?.name ?? "";
  if (node.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = resolveVariable(sourceCode, node);
  const def = variable?.defs[0];
  if (!def) return undefined;
  if (def.type === "FunctionName" && def.node.type === AST_NODE_TYPES.FunctionDeclaration) return def.node.id?.name;
  if (def.type === "ImportBinding" && def.node.type === AST_NODE_TYPES.ImportSpecifier) {
    return def.node.imported.type === AST_NODE_TYPES.Identifier ? def.node.imported.name : def.node.imported.value;
  }
  if (def.type === "Variable" && def.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.id.type === AST_NODE_TYPES.Identifier && def.node.init) {
    const init = unwrapExpression(def.node.init);
    if (isFunctionNode(init)) return init.id?.name ?? def.node.id.name;
  }
  return undefined;
}
