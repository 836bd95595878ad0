/**
 * Realistic orchestrator files in the three SDK styles, for rule tests. Each puts `body` inside an
 * orchestrator registered the way that SDK's docs do, with `top` (imports, helpers) above it.
 * The context parameter is `ctx` (durabletask, Dapr) or `context` (durable-functions, API on context.df).
 */
export interface SdkCode {
  top?: string;
  body: string;
}

export function durabletask({ top = "", body }: SdkCode): string {
  return `import { TaskHubGrpcWorker, OrchestrationContext, ActivityContext, whenAll } from "@microsoft/durabletask-js";
${top}
const sayHello = async (_: ActivityContext, name: string) => \`Hello \${name}!\`;
export const sequence = async function* (ctx: OrchestrationContext, input: any): any {
${body}
};
const worker = new TaskHubGrpcWorker({ hostAddress: "localhost:4001" });
worker.addNamedOrchestrator("sequence", sequence);
worker.addActivity(sayHello);
`;
}

export function durableFunctions({ top = "", body }: SdkCode): string {
  return `import * as df from "durable-functions";
${top}
df.app.orchestration("sequence", function* (context) {
${body}
});
df.app.activity("sayHello", { handler: (name: string) => \`Hello \${name}\` });
`;
}

export function dapr({ top = "", body }: SdkCode): string {
  return `import { WorkflowRuntime, WorkflowContext, WorkflowActivityContext, TWorkflow } from "@dapr/dapr";
${top}
const sayHello = async (_: WorkflowActivityContext, name: string) => \`Hello \${name}!\`;
const sequence: TWorkflow = async function* (ctx: WorkflowContext, input: any): any {
${body}
};
const runtime = new WorkflowRuntime({ daprHost: "localhost", daprPort: "50001" });
runtime.registerWorkflow(sequence).registerActivity(sayHello);
`;
}

/** The orchestrator's context text in each style, for expected messages. */
export const API_TEXT = { durabletask: "ctx", "durable-functions": "context.df", dapr: "ctx" } as const;
