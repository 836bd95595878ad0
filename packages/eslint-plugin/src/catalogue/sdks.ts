/**
 * What dtcheck knows about each SDK's public API: the modules, how orchestrators are registered,
 * the context types, the durable calls, and the SDK-correct replacement text for each hazard.
 * Checked against @microsoft/durabletask-js 0.4.0, @dapr/durabletask-js 1.0.0, @dapr/dapr and
 * durable-functions 3.5.0 as installed (their .d.ts files).
 */

export type Sdk = "durabletask" | "dapr" | "durable-functions";

/**
 * The shape of the context object the orchestrator receives. Dapr has two: the `WorkflowContext`
 * of `@dapr/dapr` (getter *methods*: `getCurrentUtcDateTime()`, `isReplaying()`, a `whenAll` method,
 * no `newGuid`) and the `OrchestrationContext` of its fork `@dapr/durabletask-js` (properties, no
 * `newGuid`, `whenAll` as a module function).
 */
export type ContextApi = "durabletask" | "dapr-workflow" | "dapr-durabletask" | "durable-functions";

export const SDKS: readonly Sdk[] = ["durabletask", "dapr", "durable-functions"];

/** Module specifier → which SDK (and context API) it belongs to. */
export const SDK_MODULES: Readonly<Record<string, { sdk: Sdk; api: ContextApi }>> = {
  "@microsoft/durabletask-js": { sdk: "durabletask", api: "durabletask" },
  "@dapr/durabletask-js": { sdk: "dapr", api: "dapr-durabletask" },
  "@dapr/dapr": { sdk: "dapr", api: "dapr-workflow" },
  "durable-functions": { sdk: "durable-functions", api: "durable-functions" },
};

/** Deep imports (e.g. `@microsoft/durabletask-js/dist/...`) belong to their package. */
export function sdkOfModule(specifier: string): { sdk: Sdk; api: ContextApi } | undefined {
  const direct = SDK_MODULES[specifier];
  if (direct) return direct;
  for (const [name, info] of Object.entries(SDK_MODULES)) {
    if (specifier.startsWith(`${name}/`)) return info;
  }
  return undefined;
}

/** Type names that, on an orchestrator's first parameter, identify its SDK (per module). */
export const CONTEXT_TYPES: Readonly<Record<string, readonly string[]>> = {
  "@microsoft/durabletask-js": ["OrchestrationContext"],
  "@dapr/durabletask-js": ["OrchestrationContext"],
  "@dapr/dapr": ["WorkflowContext"],
  // IOrchestrationFunctionContext is the durable-functions v2 name, still common in older apps.
  "durable-functions": ["OrchestrationContext", "IOrchestrationFunctionContext"],
};

/** Function types that make a variable typed with them an orchestrator (per module). */
export const ORCHESTRATOR_TYPES: Readonly<Record<string, readonly string[]>> = {
  "@microsoft/durabletask-js": ["TOrchestrator"],
  "@dapr/durabletask-js": ["TOrchestrator"],
  "@dapr/dapr": ["TWorkflow"],
  "durable-functions": ["OrchestrationHandler"],
};

/**
 * Registration calls, by method name: which argument is the orchestrator and which SDK the method
 * implies when the receiver's import cannot be seen (e.g. a worker passed in as a parameter).
 */
export interface RegistrationCall {
  method: string;
  fnArg: number;
  nameArg?: number;
  sdk: Sdk;
  /** `orchestration` / `orchestrator` are too generic to trust without a durable-functions import. */
  needsImportOf?: "durable-functions";
  /**
   * For calls that take the name from `fn.name` (anonymous throws at startup, a rename or a minifier
   * changes it): the method that takes the name explicitly, as its first argument.
   */
  namedVariant?: string;
}

export const ORCHESTRATOR_REGISTRATIONS: readonly RegistrationCall[] = [
  { method: "addOrchestrator", fnArg: 0, sdk: "durabletask", namedVariant: "addNamedOrchestrator" },
  { method: "addNamedOrchestrator", fnArg: 1, nameArg: 0, sdk: "durabletask" },
  { method: "registerWorkflow", fnArg: 0, sdk: "dapr", namedVariant: "registerWorkflowWithName" },
  { method: "registerWorkflowWithName", fnArg: 1, nameArg: 0, sdk: "dapr" },
  { method: "orchestration", fnArg: 1, nameArg: 0, sdk: "durable-functions", needsImportOf: "durable-functions" },
  { method: "orchestrator", fnArg: 0, sdk: "durable-functions", needsImportOf: "durable-functions" },
];

/**
 * Activity and entity registrations that, like `addOrchestrator`, take the name from `fn.name`
 * (`addEntity` lower-cases it), with the method that takes the name explicitly.
 */
export const NAME_FROM_FUNCTION_REGISTRATIONS: readonly { method: string; namedVariant: string; sdk: Sdk; kind: "activity" | "entity" }[] = [
  { method: "addActivity", namedVariant: "addNamedActivity", sdk: "durabletask", kind: "activity" },
  { method: "addEntity", namedVariant: "addNamedEntity", sdk: "durabletask", kind: "entity" },
  { method: "registerActivity", namedVariant: "registerActivityWithName", sdk: "dapr", kind: "activity" },
];

/** Calls whose function argument is an activity or entity: that function is *not* orchestrator code. */
export const NON_ORCHESTRATOR_REGISTRATIONS: ReadonlySet<string> = new Set([
  "addActivity",
  "addNamedActivity",
  "addEntity",
  "addNamedEntity",
  "registerActivity",
  "registerActivityWithName",
  "activity",
  "entity",
  "callActivity",
  "callActivityWithRetry",
]);

import { DURABLE_CALL_METHODS, VOID_METHODS } from "@dtcheck/sdk-catalogue";

// The context methods themselves live once, in @dtcheck/sdk-catalogue, which the replay tester's
// coverage also reads: TASK_METHODS (return a Task that must reach a `yield`), VOID_METHODS (return
// nothing: yielding them is a bug), DURABLE_CALL_METHODS (each call is a durable call site).
export { DURABLE_CALL_METHODS, TASK_METHODS, VOID_METHODS } from "@dtcheck/sdk-catalogue";

/**
 * Methods only a durable context has, on a generator's first parameter: a durable call, or one of
 * the orchestration-only methods (`continueAsNew`, `setCustomStatus`, `newGuid`,
 * `createReplaySafeLogger`, `compareVersionTo`). Detection by use reads these.
 */
export const CONTEXT_USE_METHODS: ReadonlySet<string> = new Set([
  ...DURABLE_CALL_METHODS,
  ...VOID_METHODS,
  "newGuid",
  "createReplaySafeLogger",
  "compareVersionTo",
]);

/** Where each SDK's fan-out/fan-in combinators live. */
export const COMBINATORS: Readonly<Record<ContextApi, { all: string; any: string; importFrom?: string }>> = {
  durabletask: { all: "whenAll", any: "whenAny", importFrom: "@microsoft/durabletask-js" },
  "dapr-durabletask": { all: "whenAll", any: "whenAny", importFrom: "@dapr/durabletask-js/task" },
  "dapr-workflow": { all: "<ctx>.whenAll", any: "<ctx>.whenAny" },
  "durable-functions": { all: "<ctx>.Task.all", any: "<ctx>.Task.any" },
};

/** The deterministic stand-ins a hazard can point to. */
export type ReplacementKey =
  | "currentTime"
  | "currentTimeMs"
  | "newGuid"
  | "timer"
  | "whenAll"
  | "whenAny"
  | "isReplaying"
  | "activity"
  | "input"
  | "localState"
  | "sortedKeys"
  | "none";

/** Default API of each SDK when only the SDK (not the exact module) is known. */
export function defaultApi(sdk: Sdk): ContextApi {
  return sdk === "dapr" ? "dapr-workflow" : sdk;
}

function apiOf(sdkOrApi: Sdk | ContextApi): ContextApi {
  return sdkOrApi === "dapr" ? "dapr-workflow" : sdkOrApi;
}

/**
 * The SDK-correct replacement text for `what`, using the orchestrator's own context text
 * (`ctx` for durabletask/Dapr, `context.df` for durable-functions).
 */
export function replacement(sdk: Sdk | ContextApi, what: ReplacementKey, ctxText: string): string {
  const api = apiOf(sdk);
  const activityCall = `yield ${ctxText}.callActivity(...)`;
  switch (what) {
    case "currentTime":
      return api === "dapr-workflow" ? `${ctxText}.getCurrentUtcDateTime()` : `${ctxText}.currentUtcDateTime`;
    case "currentTimeMs":
      return `${replacement(api, "currentTime", ctxText)}.getTime()`;
    case "newGuid":
      if (api === "durabletask") return `${ctxText}.newGuid()`;
      if (api === "durable-functions") return `${ctxText}.newGuid(${ctxText}.instanceId)`;
      // Dapr has no deterministic id API: derive one from the instance id or create it in an activity.
      return api === "dapr-workflow"
        ? `an id derived from ${ctxText}.getWorkflowInstanceId() or one created in an activity (${activityCall})`
        : `an id derived from ${ctxText}.instanceId or one created in an activity (${activityCall})`;
    case "timer":
      return api === "durable-functions"
        ? `yield ${ctxText}.createTimer(new Date(${ctxText}.currentUtcDateTime.getTime() + ms))`
        : `yield ${ctxText}.createTimer(seconds)`;
    case "whenAll":
    case "whenAny": {
      const c = COMBINATORS[api];
      const fn = (what === "whenAll" ? c.all : c.any).replace("<ctx>", ctxText);
      return c.importFrom ? `yield ${fn}([...]) (import { ${fn} } from "${c.importFrom}")` : `yield ${fn}([...])`;
    }
    case "isReplaying":
      return api === "dapr-workflow" ? `${ctxText}.isReplaying()` : `${ctxText}.isReplaying`;
    case "activity":
      return `an activity (${activityCall})`;
    case "input":
      return api === "durable-functions"
        ? `the orchestration input (${ctxText}.getInput()) or an activity (${activityCall})`
        : `the orchestration input or an activity (${activityCall})`;
    case "localState":
      return `local variables (pass values in as orchestration input and return results)`;
    case "sortedKeys":
      return `a sorted copy (Object.keys(x).sort(), [...map.keys()].sort())`;
    case "none":
      return "deterministic code";
  }
}

/** The context text used when an orchestrator's context parameter has no plain name. */
export function apiTextFor(api: ContextApi, contextParam: string | undefined): string {
  const param = contextParam ?? (api === "durable-functions" ? "context" : "ctx");
  return api === "durable-functions" ? `${param}.df` : param;
}
