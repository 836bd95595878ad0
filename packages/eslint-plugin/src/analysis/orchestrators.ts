/**
 * Finds the orchestrator functions of a file, once per SourceCode, for every rule to share.
 *
 * An orchestrator is found by (in order of trust):
 * - registration: `addOrchestrator(fn)`, `addNamedOrchestrator(name, fn)`, `registerWorkflow(fn)`,
 *   `registerWorkflowWithName(name, fn)`, durable-functions `app.orchestration(name, fn | { handler })`
 *   and legacy `df.orchestrator(fn)`, where `fn` is inline or bound in the same file;
 * - the type of its first parameter (`OrchestrationContext`, `WorkflowContext`, through import
 *   renames, namespace imports and same-file type aliases), or a variable typed `TOrchestrator`,
 *   `TWorkflow` or `OrchestrationHandler`;
 * - use: a generator whose first parameter is used as a durable context (`ctx.callActivity(...)`,
 *   `ctx.createTimer(...)`, `context.df.*`, `yield* step(ctx)`) and that its own file never calls (a called generator is
 *   a helper, walked from its caller), for orchestrators a worker registers from another file;
 * - a `/** @orchestrator *\/` JSDoc tag;
 * - a name listed in `settings.dtcheck.orchestrators`.
 * Functions passed as values to `callActivity`/`addActivity`/... are activities, never orchestrators.
 */
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import {
  apiTextFor,
  CONTEXT_TYPES,
  type ContextApi,
  CONTEXT_USE_METHODS,
  NON_ORCHESTRATOR_REGISTRATIONS,
  ORCHESTRATOR_REGISTRATIONS,
  ORCHESTRATOR_TYPES,
  type RegistrationCall,
  type Sdk,
  SDK_MODULES,
  sdkOfModule,
} from "../catalogue/sdks.js";
import { type FunctionNode, functionName, isFunctionNode, memberName, resolveVariable, rootIdentifier, unwrapExpression, walk } from "../util/ast.js";
import { type FileImports, fileImports } from "./imports.js";
import { readSettings } from "./settings.js";
import { typedContextSdk } from "../typed/context-types.js";

export type { FunctionNode } from "../util/ast.js";

export interface OrchestratorInfo {
  node: FunctionNode;
  sdk: Sdk;
  /** The exact context API shape (Dapr has two). */
  api: ContextApi;
  /** Registered name, or the function's own name. */
  name?: string;
  /** The first parameter's name, e.g. "ctx" or "context". */
  contextParam?: string;
  /** What SDK calls hang off: "ctx" for durabletask/Dapr, "context.df" for durable-functions. */
  apiText: string;
  foundBy: "registration" | "context-type" | "context-use" | "jsdoc" | "settings";
}

type AnyContext = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;

interface FileOrchestrators {
  map: ReadonlyMap<FunctionNode, OrchestratorInfo>;
  /** Memo for enclosingOrchestrator: function node → the orchestrator it runs inside (or null). */
  enclosing: Map<TSESTree.Node, OrchestratorInfo | null>;
}

const EMPTY: FileOrchestrators = { map: new Map(), enclosing: new Map() };
const cache = new WeakMap<TSESLint.SourceCode, FileOrchestrators>();

/** Texts a generator using its first parameter as a durable context contains. */
const CONTEXT_USE_MARKERS = [...CONTEXT_USE_METHODS, ".df.", ".entities."];

/** Texts one of which any orchestrator file contains; a file with none of them is skipped at once. */
const MARKERS = [
  "durabletask",
  "durable-functions",
  "@dapr/dapr",
  "@orchestrator",
  "addOrchestrator",
  "addNamedOrchestrator",
  "registerWorkflow",
  // Detection by use: a generator calling these on its first parameter.
  ...CONTEXT_USE_MARKERS,
];

const TYPED_MARKERS = ["Context", "Orchestrat", "Workflow"];

export function findOrchestrators(context: AnyContext): ReadonlyMap<FunctionNode, OrchestratorInfo> {
  return analyse(context).map;
}

/**
 * The orchestrator whose code `node` is part of: the nearest enclosing orchestrator function,
 * unless a function in between is passed as a value to an activity/entity registration or call.
 */
export function enclosingOrchestrator(context: AnyContext, node: TSESTree.Node): OrchestratorInfo | undefined {
  const file = analyse(context);
  if (file.map.size === 0) return undefined;
  const visited: TSESTree.Node[] = [];
  let result: OrchestratorInfo | null = null;
  for (let n: TSESTree.Node | undefined = node; n; n = n.parent) {
    if (!isFunctionNode(n)) continue;
    const memo = file.enclosing.get(n);
    if (memo !== undefined) {
      result = memo;
      break;
    }
    visited.push(n);
    const info = file.map.get(n);
    if (info) {
      result = info;
      break;
    }
    if (isPassedToNonOrchestrator(n)) break;
  }
  for (const v of visited) file.enclosing.set(v, result);
  return result ?? undefined;
}

/**
 * A text-only check (no AST work) that is false when the file certainly has no orchestrator: it
 * imports no SDK, has no registration call, no `@orchestrator` tag and no name from the settings.
 * Rules call it in `create()` and return no listeners at all when it is false, so ESLint does no
 * per-node work for them in the (many) files that are not orchestrator files.
 */
export function mayContainOrchestrators(context: AnyContext): boolean {
  const sourceCode = context.sourceCode;
  const cached = cache.get(sourceCode);
  if (cached) return cached.map.size > 0;
  // Every rule asks in its create(): the text is scanned once per file, not once per rule.
  let may = mayContainCache.get(sourceCode);
  if (may === undefined) {
    may = scanForMarkers(context);
    mayContainCache.set(sourceCode, may);
  }
  return may;
}

const mayContainCache = new WeakMap<TSESLint.SourceCode, boolean>();
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** One pass over the text for all markers (a string search per marker measured 2-3x slower). */
const MARKERS_PATTERN = new RegExp(MARKERS.map(escape).join("|"));
const TYPED_MARKERS_PATTERN = new RegExp(TYPED_MARKERS.map(escape).join("|"));

function scanForMarkers(context: AnyContext): boolean {
  const sourceCode = context.sourceCode;
  return textMayContainOrchestrators(sourceCode.text, {
    typed: Boolean(sourceCode.parserServices?.program),
    orchestratorNames: readSettings(context).orchestrators,
  });
}

/**
 * mayContainOrchestrators's text check, for callers that have only the text (dtcheck lint decides
 * with it which files ESLint need not parse). Every rule starts from the file's orchestrators (and
 * named-registration from an SDK import, itself a marker), so where this is false no rule of the
 * plugin reports. `typed`: the file is linted with type information (a context type can then come
 * through an alias declared in another file); `orchestratorNames`: `settings.dtcheck.orchestrators`.
 */
export function textMayContainOrchestrators(text: string, options: { typed: boolean; orchestratorNames?: Iterable<string> }): boolean {
  if (MARKERS_PATTERN.test(text)) return true;
  if (options.typed && TYPED_MARKERS_PATTERN.test(text)) return true;
  for (const name of options.orchestratorNames ?? []) if (text.includes(name)) return true;
  return false;
}

function analyse(context: AnyContext): FileOrchestrators {
  const sourceCode = context.sourceCode;
  const cached = cache.get(sourceCode);
  if (cached) return cached;
  const settings = readSettings(context);
  const result = mayContainOrchestrators(context)
    ? { map: detect(sourceCode, settings.orchestrators), enclosing: new Map() }
    : EMPTY;
  cache.set(sourceCode, result);
  return result;
}

function detect(sourceCode: Readonly<TSESLint.SourceCode>, settingsNames: ReadonlySet<string>): Map<FunctionNode, OrchestratorInfo> {
  const imports = fileImports(sourceCode);
  const aliases = typeAliases(sourceCode.ast);
  const found = new Map<FunctionNode, OrchestratorInfo>();
  const hasJsdocTag = sourceCode.text.includes("@orchestrator");
  const fileSdk = sdkOfFile(imports);
  const typed = Boolean(sourceCode.parserServices?.program);

  const record = (fn: FunctionNode, foundBy: OrchestratorInfo["foundBy"], sdk: { sdk: Sdk; api: ContextApi } | undefined, name?: string) => {
    const existing = found.get(fn);
    if (existing) {
      if (!existing.name && name) existing.name = name;
      return;
    }
    const fromParam = contextTypeOf(fn.params[0], imports, aliases) ?? (typed ? typedContextSdk(sourceCode, fn.params[0]) : undefined);
    const chosen = fromParam ?? sdk ?? sdkFromBody(fn, sourceCode) ?? fileSdk ?? { sdk: "durabletask", api: "durabletask" };
    const contextParam = paramName(fn.params[0]);
    found.set(fn, {
      node: fn,
      sdk: chosen.sdk,
      api: chosen.api,
      name: name ?? functionName(fn),
      contextParam,
      apiText: apiTextFor(chosen.api, contextParam),
      foundBy,
    });
  };

  const pending: Array<() => void> = [];
  walk(sourceCode.ast, sourceCode.visitorKeys, (node) => {
    if (node.type === AST_NODE_TYPES.CallExpression) {
      const registration = registrationOf(node, imports);
      if (registration) {
        // Resolve after the walk so that non-registration findings never win over a registration.
        pending.unshift(() => {
          const fn = resolveFunction(node.arguments[registration.call.fnArg], sourceCode, 0);
          if (fn) record(fn, "registration", registration.sdk, registeredName(node, registration.call, fn));
        });
      }
    } else if (isFunctionNode(node)) {
      const byType =
        contextTypeOf(node.params[0], imports, aliases) ??
        orchestratorTypeOfVariable(node, imports, aliases) ??
        (typed && mayHaveContextType(node) ? typedContextSdk(sourceCode, node.params[0]) : undefined);
      if (byType) {
        pending.push(() => record(node, "context-type", byType));
      } else if (hasJsdocTag && hasOrchestratorTag(node, sourceCode)) {
        pending.push(() => record(node, "jsdoc", undefined));
      } else if (settingsNames.size > 0 && settingsNames.has(functionName(node) ?? "")) {
        pending.push(() => record(node, "settings", undefined));
      } else if (node.generator && usesDurableContext(node, sourceCode) && !isCalledInFile(node, sourceCode)) {
        pending.push(() => record(node, "context-use", undefined));
      }
    }
  });
  for (const run of pending) run();
  // An activity wrongly typed with a context type is still an activity if registered as one.
  for (const fn of [...found.keys()]) if (isPassedToNonOrchestrator(fn)) found.delete(fn);
  return found;
}

/**
 * The first parameter is a durable context by use: a durable call or an orchestration-only method
 * on it (`p.callActivity(...)`, `p.createTimer(...)`, `p.sendEvent(...)`, `p.continueAsNew(...)`,
 * `p.newGuid()`, ...: CONTEXT_USE_METHODS), any `p.df.*` or `p.entities.*`, where `p` is the
 * parameter itself (not a shadowing local).
 */
function usesDurableContext(fn: FunctionNode, sourceCode: Readonly<TSESLint.SourceCode>): boolean {
  const param = paramName(fn.params[0]);
  if (!param) return false;
  const text = sourceCode.getText(fn.body);
  if (!text.includes(param)) return false;
  let used = false;
  const isParam = (n: TSESTree.Node) => {
    const id = unwrapExpression(n);
    return id.type === AST_NODE_TYPES.Identifier && id.name === param && resolveVariable(sourceCode, id)?.defs[0]?.node === fn;
  };
  walk(fn.body, sourceCode.visitorKeys, (node) => {
    if (used) return false;
    // `yield* step(ctx)`: the context handed to a sub-generator, the SDKs' way to split an orchestrator.
    if (node.type === AST_NODE_TYPES.YieldExpression && node.delegate && node.argument?.type === AST_NODE_TYPES.CallExpression) {
      if (node.argument.arguments.some(isParam)) used = true;
      return;
    }
    if (node.type !== AST_NODE_TYPES.MemberExpression) return;
    const object = unwrapExpression(node.object);
    if (object.type !== AST_NODE_TYPES.Identifier || object.name !== param) return;
    const name = memberName(node);
    // `context.df.*` (durable-functions), `ctx.entities.*` (durabletask-js's entity client), or a
    // durable call on the parameter itself.
    const isContextUse =
      name === "df" ||
      (name === "entities" && node.parent?.type === AST_NODE_TYPES.MemberExpression && node.parent.object === node) ||
      (name !== undefined && CONTEXT_USE_METHODS.has(name) && node.parent?.type === AST_NODE_TYPES.CallExpression && node.parent.callee === node);
    if (isContextUse && isParam(object)) used = true;
  });
  return used;
}

/** A named function its own file calls (`yield* step(ctx)`): a helper of the caller, not an entry point. */
function isCalledInFile(fn: FunctionNode, sourceCode: Readonly<TSESLint.SourceCode>): boolean {
  const declarator = fn.parent?.type === AST_NODE_TYPES.VariableDeclarator && fn.parent.init === fn ? fn.parent : undefined;
  const owner = fn.type === AST_NODE_TYPES.FunctionDeclaration ? fn : declarator;
  if (!owner) return false;
  for (const variable of sourceCode.getDeclaredVariables(owner)) {
    for (const ref of variable.references) {
      const parent = ref.identifier.parent;
      if (parent?.type === AST_NODE_TYPES.CallExpression && parent.callee === ref.identifier) return true;
    }
  }
  return false;
}

function sdkOfFile(imports: FileImports): { sdk: Sdk; api: ContextApi } | undefined {
  for (const module of imports.modules) {
    const sdk = sdkOfModule(module);
    if (sdk) return sdk;
  }
  return undefined;
}

/** `context.df.*` in the body is unmistakably durable-functions. */
function sdkFromBody(fn: FunctionNode, sourceCode: Readonly<TSESLint.SourceCode>): { sdk: Sdk; api: ContextApi } | undefined {
  const param = paramName(fn.params[0]);
  if (!param) return undefined;
  const body = sourceCode.getText(fn.body);
  if (body.includes(`${param}.df.`)) return { sdk: "durable-functions", api: "durable-functions" };
  // Dapr's WorkflowContext has getter methods where durabletask-js has properties.
  if (body.includes(`${param}.getCurrentUtcDateTime(`) || body.includes(`${param}.isReplaying(`)) return { sdk: "dapr", api: "dapr-workflow" };
  return undefined;
}

/**
 * Whether to ask the checker for the first parameter's type: when it is annotated, or when it is a
 * generator's unannotated parameter, typed by its context (`const o: AppOrchestrator = async
 * function* (ctx) {...}`, a project's own `defineOrchestrator(async function* (ctx) {...})`).
 * Orchestrators are generators in every SDK; asking about every callback's parameter would create a
 * type checker for each new program (each edit in the editor) for nothing.
 */
function mayHaveContextType(fn: FunctionNode): boolean {
  const param = fn.params[0];
  return param !== undefined && (hasTypeAnnotation(param) || fn.generator);
}

function hasTypeAnnotation(param: TSESTree.Parameter | undefined): boolean {
  const annotated = param?.type === AST_NODE_TYPES.AssignmentPattern ? param.left : param;
  return Boolean(annotated && "typeAnnotation" in annotated && annotated.typeAnnotation);
}

function paramName(param: TSESTree.Parameter | undefined): string | undefined {
  if (!param) return undefined;
  if (param.type === AST_NODE_TYPES.Identifier) return param.name;
  if (param.type === AST_NODE_TYPES.AssignmentPattern && param.left.type === AST_NODE_TYPES.Identifier) return param.left.name;
  return undefined;
}

interface Registration {
  call: RegistrationCall;
  sdk: { sdk: Sdk; api: ContextApi } | undefined;
}

const REGISTRATIONS_BY_METHOD = new Map(ORCHESTRATOR_REGISTRATIONS.map((r) => [r.method, r]));

function registrationOf(call: TSESTree.CallExpression, imports: FileImports): Registration | undefined {
  const callee = unwrapExpression(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const method = memberName(callee);
  const reg = method === undefined ? undefined : REGISTRATIONS_BY_METHOD.get(method);
  if (!reg || call.arguments.length <= reg.fnArg) return undefined;
  if (reg.needsImportOf) {
    // `df.app.orchestration(...)`, `app.orchestration(...)`, `df.orchestrator(...)`: the receiver
    // must come from durable-functions, or `orchestration` on some other `app` would match.
    const root = rootIdentifier(callee.object);
    const binding = root ? imports.byLocal.get(root.name) : undefined;
    if (binding?.module !== reg.needsImportOf) return undefined;
    return { call: reg, sdk: { sdk: "durable-functions", api: "durable-functions" } };
  }
  if (reg.sdk === "dapr") return { call: reg, sdk: { sdk: "dapr", api: "dapr-workflow" } };
  // addOrchestrator exists on both durabletask-js and its Dapr fork: the file's import decides.
  if (imports.modules.has("@dapr/durabletask-js")) return { call: reg, sdk: { sdk: "dapr", api: "dapr-durabletask" } };
  return { call: reg, sdk: { sdk: "durabletask", api: "durabletask" } };
}

function registeredName(call: TSESTree.CallExpression, reg: RegistrationCall, fn: FunctionNode): string | undefined {
  if (reg.nameArg !== undefined) {
    const arg = call.arguments[reg.nameArg];
    if (arg?.type === AST_NODE_TYPES.Literal && typeof arg.value === "string") return arg.value;
  }
  return functionName(fn);
}

/** The function an argument denotes: inline, an identifier bound in this file, or `{ handler }`. */
function resolveFunction(arg: TSESTree.Node | undefined, sourceCode: Readonly<TSESLint.SourceCode>, depth: number): FunctionNode | undefined {
  if (!arg || depth > 5) return undefined;
  const node = unwrapExpression(arg);
  if (isFunctionNode(node)) return node;
  if (node.type === AST_NODE_TYPES.Identifier) {
    const def = resolveVariable(sourceCode, node)?.defs[0];
    // A parameter's def node is the function that declares it: `function start(orch) {
    // worker.addOrchestrator(orch) }` registers whatever it is given, it is not an orchestrator.
    if (!def || def.type === "Parameter") return undefined;
    if (def.node.type === AST_NODE_TYPES.FunctionDeclaration) return def.node;
    if (def.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init) {
      return resolveFunction(def.node.init, sourceCode, depth + 1);
    }
    return undefined;
  }
  if (node.type === AST_NODE_TYPES.ObjectExpression) {
    for (const prop of node.properties) {
      if (prop.type === AST_NODE_TYPES.Property && !prop.computed && prop.key.type === AST_NODE_TYPES.Identifier && prop.key.name === "handler") {
        return resolveFunction(prop.value, sourceCode, depth + 1);
      }
    }
  }
  // Legacy `df.orchestrator(fn)` nested in a registration: the inner call is a registration itself.
  return undefined;
}

/** True if `fn` is itself an argument of addActivity/callActivity/app.activity/... (an activity). */
export function isPassedToNonOrchestrator(fn: TSESTree.Node): boolean {
  let child: TSESTree.Node = fn;
  let parent = fn.parent;
  // `{ handler: fn }` options objects.
  if (parent?.type === AST_NODE_TYPES.Property && parent.parent?.type === AST_NODE_TYPES.ObjectExpression) {
    child = parent.parent;
    parent = child.parent;
  }
  if (parent?.type !== AST_NODE_TYPES.CallExpression || !parent.arguments.includes(child as TSESTree.CallExpressionArgument)) {
    return false;
  }
  const callee = unwrapExpression(parent.callee);
  const method = callee.type === AST_NODE_TYPES.MemberExpression ? memberName(callee) : undefined;
  return method !== undefined && NON_ORCHESTRATOR_REGISTRATIONS.has(method);
}

type TypeAliases = ReadonlyMap<string, TSESTree.TypeNode>;

/** Same-file `type Ctx = OrchestrationContext` aliases (top level and exported). */
function typeAliases(program: TSESTree.Program): TypeAliases {
  const aliases = new Map<string, TSESTree.TypeNode>();
  for (const statement of program.body) {
    const decl =
      statement.type === AST_NODE_TYPES.ExportNamedDeclaration && statement.declaration ? statement.declaration : statement;
    if (decl.type === AST_NODE_TYPES.TSTypeAliasDeclaration) aliases.set(decl.id.name, decl.typeAnnotation);
  }
  return aliases;
}

/** The SDK a parameter's type annotation names, if it is an SDK context type. */
function contextTypeOf(param: TSESTree.Parameter | undefined, imports: FileImports, aliases: TypeAliases) {
  if (!param) return undefined;
  const annotated = param.type === AST_NODE_TYPES.AssignmentPattern ? param.left : param;
  if (!("typeAnnotation" in annotated) || !annotated.typeAnnotation) return undefined;
  return sdkOfTypeNode(annotated.typeAnnotation.typeAnnotation, CONTEXT_TYPES, imports, aliases, 0);
}

/** `const f: TOrchestrator = async function* (ctx) {...}` */
function orchestratorTypeOfVariable(fn: FunctionNode, imports: FileImports, aliases: TypeAliases) {
  const parent = fn.parent;
  if (parent?.type !== AST_NODE_TYPES.VariableDeclarator || parent.init !== fn) return undefined;
  const annotation = parent.id.typeAnnotation?.typeAnnotation;
  return annotation ? sdkOfTypeNode(annotation, ORCHESTRATOR_TYPES, imports, aliases, 0) : undefined;
}

function sdkOfTypeNode(
  type: TSESTree.TypeNode,
  names: Readonly<Record<string, readonly string[]>>,
  imports: FileImports,
  aliases: TypeAliases,
  depth: number,
): { sdk: Sdk; api: ContextApi } | undefined {
  if (depth > 8) return undefined;
  if (type.type === AST_NODE_TYPES.TSIntersectionType || type.type === AST_NODE_TYPES.TSUnionType) {
    for (const t of type.types) {
      const sdk = sdkOfTypeNode(t, names, imports, aliases, depth + 1);
      if (sdk) return sdk;
    }
    return undefined;
  }
  if (type.type !== AST_NODE_TYPES.TSTypeReference) return undefined;
  const typeName = type.typeName;
  if (typeName.type === AST_NODE_TYPES.Identifier) {
    const binding = imports.byLocal.get(typeName.name);
    if (binding) {
      return names[binding.module]?.includes(binding.imported) ? SDK_MODULES[binding.module] : undefined;
    }
    const alias = aliases.get(typeName.name);
    return alias ? sdkOfTypeNode(alias, names, imports, aliases, depth + 1) : undefined;
  }
  // `df.OrchestrationContext` with `import * as df from "durable-functions"`.
  if (typeName.type === AST_NODE_TYPES.TSQualifiedName && typeName.left.type === AST_NODE_TYPES.Identifier) {
    const binding = imports.byLocal.get(typeName.left.name);
    if (binding && (binding.imported === "*" || binding.imported === "default") && names[binding.module]?.includes(typeName.right.name)) {
      return SDK_MODULES[binding.module];
    }
  }
  return undefined;
}

/** A JSDoc tag: after whitespace or `*`, so prose that mentions `@orchestrator` in backticks is not one. */
const ORCHESTRATOR_TAG = /(?:^|[\s*])@orchestrator(?![\w`-])/;

/** A `/** ... @orchestrator ... *\/` block comment right before the function or its declaration. */
function hasOrchestratorTag(fn: FunctionNode, sourceCode: Readonly<TSESLint.SourceCode>): boolean {
  let target: TSESTree.Node = fn;
  const parent = fn.parent;
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator) target = parent.parent ?? parent;
  else if (parent?.type === AST_NODE_TYPES.Property || parent?.type === AST_NODE_TYPES.MethodDefinition) target = parent;
  if (target.parent?.type === AST_NODE_TYPES.ExportNamedDeclaration || target.parent?.type === AST_NODE_TYPES.ExportDefaultDeclaration) {
    target = target.parent;
  }
  return sourceCode
    .getCommentsBefore(target)
    .some((c) => c.type === "Block" && c.value.startsWith("*") && ORCHESTRATOR_TAG.test(c.value));
}
