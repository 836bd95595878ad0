/**
 * Context methods of the Durable Task SDKs dtcheck knows (durabletask-js and its Dapr fork's
 * OrchestrationContext and entity client, Dapr's WorkflowContext, durable-functions' context.df),
 * shared by the lint plugin and the replay tester so the knowledge lives once. No dependencies:
 * importing it loads nothing else.
 */

/**
 * Methods that make a durable call: each one the SDK turns into an action its history records
 * (TaskScheduled, TimerCreated, SubOrchestrationInstanceCreated, EventSent, entity events), so
 * each call expression of one is a durable call site.
 */
export const DURABLE_CALL_METHODS: ReadonlySet<string> = new Set([
  "callActivity",
  "callActivityWithRetry",
  "callSubOrchestrator",
  "callSubOrchestratorWithRetry",
  "callSubWorkflow",
  "callChildWorkflow",
  "createTimer",
  "waitForExternalEvent",
  "callEntity",
  "signalEntity",
  "lockEntities",
  "callHttp",
  "sendEvent",
]);

/** Durable calls on the context that return a Task (the orchestrator must yield it). */
export const TASK_METHODS: ReadonlySet<string> = new Set([
  ...[...DURABLE_CALL_METHODS].filter((m) => m !== "signalEntity" && m !== "sendEvent"),
  // durable-functions' entity lock, and the combinators Dapr's WorkflowContext has as methods.
  "lock",
  "whenAll",
  "whenAny",
]);

/** Durable calls that return nothing: yielding their result is a bug. */
export const VOID_METHODS: ReadonlySet<string> = new Set(["continueAsNew", "signalEntity", "setCustomStatus", "sendEvent"]);
