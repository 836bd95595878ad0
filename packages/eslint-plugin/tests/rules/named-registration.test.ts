import { namedRegistration } from "../../src/rules/named-registration.js";
import { StrictRuleTester } from "../helpers/rule-tester.js";

const ruleTester = new StrictRuleTester();

const DT = `import { TaskHubGrpcWorker, type OrchestrationContext } from "@microsoft/durabletask-js";
const worker = new TaskHubGrpcWorker({ hostAddress: "localhost:4001" });
`;
const DAPR = `import { WorkflowRuntime, type WorkflowContext } from "@dapr/dapr";
const runtime = new WorkflowRuntime();
`;
// messageId + data: RuleTester checks the filled-in template, whose text lives once, in the rule.
const renamed = (method: string, arg: string, name: string, named: string, kind = "orchestration") =>
  ({ messageId: "nameFromFunction", data: { method, arg, name, named, kind } }) as const;

ruleTester.run("named-registration", namedRegistration, {
  valid: [
    `${DT}async function* sequence(ctx: OrchestrationContext): any { yield ctx.createTimer(1); }
worker.addNamedOrchestrator("sequence", sequence);
worker.addActivity(async function hello() { return 1; });`,
    `${DAPR}runtime.registerWorkflowWithName("ship", async function* (ctx: WorkflowContext): any { yield ctx.createTimer(1); });`,
    `import * as df from "durable-functions";
df.app.orchestration("approval", function* (context) { yield context.df.createTimer(new Date(0)); });`,
    // Activities and entities are only checked with { activities: true }.
    `${DT}async function greet(_: unknown, name: string) { return name; }
worker.addActivity(greet);
worker.addActivity(async () => 1);`,
    // Same method names without an SDK import belong to something else.
    `const registry = { addOrchestrator: (f: () => void) => f };
registry.addOrchestrator(() => undefined);`,
  ],
  invalid: [
    {
      code: `${DT}async function* processOrder(ctx: OrchestrationContext): any { yield ctx.createTimer(1); }
worker.addOrchestrator(processOrder);`,
      errors: [
        {
          ...renamed("addOrchestrator", "processOrder", "processOrder", "addNamedOrchestrator"), line: 4, column: 24, endLine: 4, endColumn: 36,
          
          suggestions: [{ messageId: "useNamed", data: { method: "addOrchestrator", named: "addNamedOrchestrator", kind: "orchestration", arg: "processOrder", name: "processOrder" }, output: `${DT}async function* processOrder(ctx: OrchestrationContext): any { yield ctx.createTimer(1); }
worker.addNamedOrchestrator("processOrder", processOrder);` }],
        },
      ],
    },
    {
      // The name is the imported one, not the local alias; an inferred const name; a function expression's own id.
      code: `${DT}import { processOrder as legacyOrder } from "./orders.js";
const refund = async function* (ctx: OrchestrationContext): any { yield ctx.createTimer(1); };
const audit = async function* auditTrail(ctx: OrchestrationContext): any { yield ctx.createTimer(1); };
worker.addOrchestrator(legacyOrder);
worker.addOrchestrator(refund);
worker.addOrchestrator(audit);`,
      errors: [
        { ...renamed("addOrchestrator", "legacyOrder", "processOrder", "addNamedOrchestrator"), line: 6, column: 24, endLine: 6, endColumn: 35, suggestions: [{ messageId: "useNamed", data: { method: "addOrchestrator", named: "addNamedOrchestrator", kind: "orchestration", arg: "legacyOrder", name: "processOrder" }, output: `${DT}import { processOrder as legacyOrder } from "./orders.js";
const refund = async function* (ctx: OrchestrationContext): any { yield ctx.createTimer(1); };
const audit = async function* auditTrail(ctx: OrchestrationContext): any { yield ctx.createTimer(1); };
worker.addNamedOrchestrator("processOrder", legacyOrder);
worker.addOrchestrator(refund);
worker.addOrchestrator(audit);` }] },
        { ...renamed("addOrchestrator", "refund", "refund", "addNamedOrchestrator"), line: 7, column: 24, endLine: 7, endColumn: 30, suggestions: [{ messageId: "useNamed", data: { method: "addOrchestrator", named: "addNamedOrchestrator", kind: "orchestration", arg: "refund", name: "refund" }, output: `${DT}import { processOrder as legacyOrder } from "./orders.js";
const refund = async function* (ctx: OrchestrationContext): any { yield ctx.createTimer(1); };
const audit = async function* auditTrail(ctx: OrchestrationContext): any { yield ctx.createTimer(1); };
worker.addOrchestrator(legacyOrder);
worker.addNamedOrchestrator("refund", refund);
worker.addOrchestrator(audit);` }] },
        { ...renamed("addOrchestrator", "audit", "auditTrail", "addNamedOrchestrator"), line: 8, column: 24, endLine: 8, endColumn: 29, suggestions: [{ messageId: "useNamed", data: { method: "addOrchestrator", named: "addNamedOrchestrator", kind: "orchestration", arg: "audit", name: "auditTrail" }, output: `${DT}import { processOrder as legacyOrder } from "./orders.js";
const refund = async function* (ctx: OrchestrationContext): any { yield ctx.createTimer(1); };
const audit = async function* auditTrail(ctx: OrchestrationContext): any { yield ctx.createTimer(1); };
worker.addOrchestrator(legacyOrder);
worker.addOrchestrator(refund);
worker.addNamedOrchestrator("auditTrail", audit);` }] },
      ],
    },
    {
      // Anonymous inline: a startup crash; no name to suggest.
      code: `${DT}worker.addOrchestrator(async function* (ctx: OrchestrationContext): any { yield ctx.createTimer(1); });`,
      errors: [
        {
          messageId: "anonymous", line: 3, column: 24, endLine: 3, endColumn: 102,
          data: { method: "addOrchestrator", named: "addNamedOrchestrator", kind: "orchestration", failure: 'the worker throws at startup ("A non-empty orchestrator name is required")' },
          suggestions: [],
        },
      ],
    },
    {
      code: `${DAPR}runtime.registerWorkflow(async function* (ctx: WorkflowContext): any { yield ctx.createTimer(1); });`,
      errors: [
        {
          messageId: "anonymous", line: 3, column: 26, endLine: 3, endColumn: 99,
          data: { method: "registerWorkflow", named: "registerWorkflowWithName", kind: "orchestration", failure: 'the runtime throws at startup ("Cannot infer a name from a lambda function")' },
        },
      ],
    },
    {
      // Dapr, chained, and a name that cannot be known here (a parameter).
      code: `${DAPR}async function* ship(ctx: WorkflowContext): any { yield ctx.createTimer(1); }
export function register(extra: (ctx: WorkflowContext) => unknown) {
  runtime.registerWorkflow(ship).registerWorkflow(extra);
}`,
      errors: [
        {
          ...renamed("registerWorkflow", "ship", "ship", "registerWorkflowWithName"), line: 5, column: 28, endLine: 5, endColumn: 32,
          suggestions: [{ messageId: "useNamed", data: { method: "registerWorkflow", named: "registerWorkflowWithName", kind: "orchestration", arg: "ship", name: "ship" }, output: `${DAPR}async function* ship(ctx: WorkflowContext): any { yield ctx.createTimer(1); }
export function register(extra: (ctx: WorkflowContext) => unknown) {
  runtime.registerWorkflowWithName("ship", ship).registerWorkflow(extra);
}` }],
        },
        { messageId: "nameUnknown", line: 5, column: 51, endLine: 5, endColumn: 56, data: { method: "registerWorkflow", named: "registerWorkflowWithName", kind: "orchestration", arg: "extra" }, suggestions: [] },
      ],
    },
    {
      // With { activities: true }: activity and entity registrations read fn.name too.
      code: `${DT}async function greet(_: unknown, name: string) { return name; }
class Counter {}
worker.addActivity(greet);
worker.addEntity(() => new Counter());`,
      options: [{ activities: true }],
      errors: [
        {
          ...renamed("addActivity", "greet", "greet", "addNamedActivity", "activity"), line: 5, column: 20, endLine: 5, endColumn: 25,
          suggestions: [{ messageId: "useNamed", data: { method: "addActivity", named: "addNamedActivity", kind: "activity", arg: "greet", name: "greet" }, output: `${DT}async function greet(_: unknown, name: string) { return name; }
class Counter {}
worker.addNamedActivity("greet", greet);
worker.addEntity(() => new Counter());` }],
        },
        {
          messageId: "anonymous", line: 6, column: 18, endLine: 6, endColumn: 37,
          data: { method: "addEntity", named: "addNamedEntity", kind: "entity", failure: 'the worker throws at startup ("A non-empty entity name is required")' },
        },
      ],
    },
    {
      code: `${DAPR}const book = async (_: unknown, carrier: string) => carrier;
runtime.registerActivity(book);`,
      options: [{ activities: true }],
      errors: [
        {
          ...renamed("registerActivity", "book", "book", "registerActivityWithName", "activity"), line: 4, column: 26, endLine: 4, endColumn: 30,
          suggestions: [{ messageId: "useNamed", data: { method: "registerActivity", named: "registerActivityWithName", kind: "activity", arg: "book", name: "book" }, output: `${DAPR}const book = async (_: unknown, carrier: string) => carrier;
runtime.registerActivityWithName("book", book);` }],
        },
      ],
    },
  ],
});
