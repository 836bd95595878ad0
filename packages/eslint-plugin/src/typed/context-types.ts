/**
 * Orchestrator detection by type: the first parameter's type is an SDK context type, seen through
 * type aliases, intersections/unions, interfaces extending it and generic wrappers
 * (`Readonly<OrchestrationContext>`), wherever the alias is declared.
 */
import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { CONTEXT_TYPES, type ContextApi, type Sdk, SDK_MODULES } from "../catalogue/sdks.js";
import { packageOf } from "./program-files.js";
import { typescript, type ts } from "./typescript.js";

export function typedContextSdk(
  sourceCode: Readonly<TSESLint.SourceCode>,
  param: TSESTree.Parameter | undefined,
): { sdk: Sdk; api: ContextApi } | undefined {
  const services = sourceCode.parserServices;
  if (!param || !services?.program || !services.esTreeNodeToTSNodeMap) return undefined;
  const tsParam = services.esTreeNodeToTSNodeMap.get(param);
  if (!tsParam) return undefined;
  const checker = services.program.getTypeChecker();
  return sdkOfType(checker.getTypeAtLocation(tsParam), checker, 0, new Set());
}

function sdkOfType(type: ts.Type, checker: ts.TypeChecker, depth: number, seen: Set<ts.Type>): { sdk: Sdk; api: ContextApi } | undefined {
  if (depth > 6 || seen.has(type)) return undefined;
  seen.add(type);
  const tsapi = typescript();
  for (const symbol of [type.aliasSymbol, type.getSymbol()]) {
    const sdk = symbol ? sdkOfSymbol(symbol) : undefined;
    if (sdk) return sdk;
  }
  const next: ts.Type[] = [];
  if (type.isUnionOrIntersection()) next.push(...type.types);
  if (type.aliasTypeArguments) next.push(...type.aliasTypeArguments);
  if (type.isClassOrInterface()) next.push(...(checker.getBaseTypes(type) ?? []));
  if (type.flags & tsapi.TypeFlags.Object && (type as ts.ObjectType).objectFlags & tsapi.ObjectFlags.Reference) {
    next.push(...checker.getTypeArguments(type as ts.TypeReference));
  }
  for (const t of next) {
    const sdk = sdkOfType(t, checker, depth + 1, seen);
    if (sdk) return sdk;
  }
  return undefined;
}

function sdkOfSymbol(symbol: ts.Symbol): { sdk: Sdk; api: ContextApi } | undefined {
  const name = symbol.getName();
  for (const decl of symbol.declarations ?? []) {
    const module = packageOf(decl.getSourceFile().fileName);
    if (module && CONTEXT_TYPES[module]?.includes(name)) return SDK_MODULES[module];
    // @dapr/dapr bundles the durabletask fork internally; its WorkflowContext lives in @dapr/dapr.
  }
  return undefined;
}

