import { generatorShape } from "../../src/rules/generator-shape.js";
import { StrictRuleTester } from "../helpers/rule-tester.js";
import { dapr, durableFunctions, durabletask } from "../helpers/sdk-code.js";

const ruleTester = new StrictRuleTester();

const dt = (fn: string) => `import { TaskHubGrpcWorker, type OrchestrationContext } from "@microsoft/durabletask-js";
const worker = new TaskHubGrpcWorker({ hostAddress: "localhost:4001" });
${fn}
worker.addNamedOrchestrator("greet", greet);
`;
const df = (fn: string) => `import * as df from "durable-functions";
df.app.orchestration("greet", ${fn});
`;

ruleTester.run("generator-shape", generatorShape, {
  valid: [
    durabletask({ body: `  return yield ctx.callActivity(sayHello, "Tokyo");` }),
    durableFunctions({ body: `  return yield context.df.callActivity("sayHello", "Tokyo");` }),
    dapr({ body: `  return yield ctx.callActivity(sayHello, "Tokyo");` }),
    // A durabletask orchestrator that schedules nothing may be a plain (async) function.
    dt(`async function greet(ctx: OrchestrationContext, name: string) {
  return \`Hello \${name} from \${ctx.instanceId}\`;
}`),
    // Activities and ordinary generators are not orchestrators.
    dt(`async function* greet(ctx: OrchestrationContext) { yield ctx.callActivity("a"); }
function* ids() { yield 1; }
worker.addActivity(async function hello() { return 1; });`),
    // Context-typed helpers the orchestrator calls have a free shape.
    dt(`function* twice(ctx: OrchestrationContext): any { yield ctx.callActivity("a"); yield ctx.callActivity("a"); }
const deadline = (ctx: OrchestrationContext) => ctx.createTimer(60);
async function* greet(ctx: OrchestrationContext): any { yield* twice(ctx); yield deadline(ctx); }`),
    // A sync function* elsewhere in a durable-functions file is fine.
    `import * as df from "durable-functions";
function* range(n: number) { for (let i = 0; i < n; i++) yield i; }
df.app.orchestration("greet", function* (context) { for (const i of range(3)) yield context.df.callActivity("a", i); });`,
  ],
  invalid: [
    {
      // Found by its context type alone (registered in another file).
      code: `import type { OrchestrationContext } from "@microsoft/durabletask-js";
export function* processOrder(ctx: OrchestrationContext): any {
  yield ctx.callActivity("reserve");
}`,
      errors: [{ messageId: "syncGenerator", line: 2, column: 8, endLine: 2, endColumn: 63, data: { name: "\"processOrder\"", sdk: "durabletask-js" }, suggestions: [{ messageId: "makeAsyncGenerator", output: `import type { OrchestrationContext } from "@microsoft/durabletask-js";
export async function* processOrder(ctx: OrchestrationContext): any {
  yield ctx.callActivity("reserve");
}` }] }],
    },
    {
      code: dt(`function* greet(ctx: OrchestrationContext, name: string): any {
  return yield ctx.callActivity("sayHello", name);
}`),
      errors: [
        {
          messageId: "syncGenerator", line: 3, column: 1, endLine: 3, endColumn: 63,
          data: { name: '"greet"', sdk: "durabletask-js" },
          suggestions: [
            { messageId: "makeAsyncGenerator", output: dt(`async function* greet(ctx: OrchestrationContext, name: string): any {
  return yield ctx.callActivity("sayHello", name);
}`) },
          ],
        },
      ],
    },
    {
      // Dapr: a sync function expression registered by name; no "schedules work" needed for this.
      code: `import { WorkflowRuntime, type WorkflowContext } from "@dapr/dapr";
const ship = function* (ctx: WorkflowContext): any { return ctx.getWorkflowInstanceId(); };
new WorkflowRuntime().registerWorkflowWithName("ship", ship);`,
      errors: [
        {
          messageId: "syncGenerator", line: 2, column: 14, endLine: 2, endColumn: 52,
          data: { name: '"ship"', sdk: "Dapr" },
          suggestions: [
            { messageId: "makeAsyncGenerator", output: `import { WorkflowRuntime, type WorkflowContext } from "@dapr/dapr";
const ship = async function* (ctx: WorkflowContext): any { return ctx.getWorkflowInstanceId(); };
new WorkflowRuntime().registerWorkflowWithName("ship", ship);` },
          ],
        },
      ],
    },
    {
      // durabletask: an async function that schedules work (through a context alias inside a callback).
      code: dt(`async function greet(ctx: OrchestrationContext, names: string[]) {
  const c = ctx;
  return names.map((n) => c.callActivity("sayHello", n));
}`),
      errors: [
        {
          messageId: "notGenerator", line: 3, column: 1, endLine: 3, endColumn: 66, data: { name: "\"greet\"", sdk: "durabletask-js" },
          suggestions: [
            { messageId: "makeAsyncGenerator", output: dt(`async function* greet(ctx: OrchestrationContext, names: string[]) {
  const c = ctx;
  return names.map((n) => c.callActivity("sayHello", n));
}`) },
          ],
        },
      ],
    },
    {
      // An arrow cannot be a generator: reported without a suggestion.
      code: dt(`const greet = async (ctx: OrchestrationContext) => ctx.createTimer(5);`),
      errors: [{ messageId: "notGenerator", line: 3, column: 15, endLine: 3, endColumn: 52, data: { name: '"greet"', sdk: "durabletask-js" }, suggestions: [] }],
    },
    {
      code: df(`async function* (context) {
  return yield context.df.callActivity("sayHello", "Tokyo");
}`),
      errors: [
        {
          messageId: "asyncGeneratorDf", line: 2, column: 31, endLine: 2, endColumn: 57, data: { name: "\"greet\"", sdk: "durabletask-js" },
          suggestions: [{ messageId: "makeSyncGenerator", output: df(`function* (context) {
  return yield context.df.callActivity("sayHello", "Tokyo");
}`) }],
        },
      ],
    },
    {
      // With an await inside, dropping async would not parse: no suggestion.
      code: df(`async function* (context) {
  const x = await context.df.callActivity("a");
  return x;
}`),
      errors: [{ messageId: "asyncGeneratorDf", line: 2, column: 31, endLine: 2, endColumn: 57, data: { name: "\"greet\"", sdk: "durabletask-js" }, suggestions: [] }],
    },
    {
      code: df(`function (context) {
  return context.df.callActivity("sayHello", "Tokyo");
}`),
      errors: [
        {
          messageId: "notGeneratorDf", line: 2, column: 31, endLine: 2, endColumn: 50,
          data: { name: '"greet"' },
          suggestions: [{ messageId: "makeSyncGenerator", output: df(`function* (context) {
  return context.df.callActivity("sayHello", "Tokyo");
}`) }],
        },
      ],
    },
  ],
});
