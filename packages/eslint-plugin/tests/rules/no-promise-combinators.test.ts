import { noPromiseCombinators } from "../../src/rules/no-promise-combinators.js";
import { StrictRuleTester } from "../helpers/rule-tester.js";
import { dapr, durableFunctions, durabletask } from "../helpers/sdk-code.js";

const ruleTester = new StrictRuleTester();

const dtAdvice = 'use yield whenAll([...]) (import { whenAll } from "@microsoft/durabletask-js")';

ruleTester.run("no-promise-combinators", noPromiseCombinators, {
  valid: [
    durabletask({ body: `  const tasks = input.cities.map((c: string) => ctx.callActivity(sayHello, c));
  return yield whenAll(tasks);` }),
    durableFunctions({ body: `  return yield context.df.Task.any([context.df.waitForExternalEvent("Approved"), context.df.createTimer(new Date(0))]);` }),
    dapr({ body: `  return yield ctx.whenAll([ctx.callActivity(sayHello, "a")]);` }),
    // Activities and code outside orchestrators use Promises freely.
    durabletask({ top: `async function fanOut(_: ActivityContext, urls: string[]) { return Promise.all(urls.map((u) => fetch(u))); }
worker.addActivity(fanOut);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));`, body: `  return yield ctx.callActivity(fanOut, input.urls);` }),
    // A local named Promise is not the global.
    durabletask({ body: `  const Promise = { all: (xs: unknown[]) => whenAll(xs as never) };
  return yield Promise.all([]);` }),
  ],
  invalid: [
    {
      // whenAll is already imported: reuse it.
      code: durabletask({ body: `  const tasks = input.cities.map((c: string) => ctx.callActivity(sayHello, c));
  return yield Promise.all(tasks);` }),
      errors: [
        {
          messageId: "combinator", line: 6, column: 16, endLine: 6, endColumn: 34,
          data: { method: "all", advice: dtAdvice },
          suggestions: [
            {
              messageId: "useCombinator",
              data: { replacement: "whenAll" },
              output: durabletask({ body: `  const tasks = input.cities.map((c: string) => ctx.callActivity(sayHello, c));
  return yield whenAll(tasks);` }),
            },
          ],
        },
      ],
    },
    {
      // Not imported yet: the suggestion adds it to the SDK import.
      code: `import { TaskHubGrpcWorker, type OrchestrationContext } from "@microsoft/durabletask-js";
async function* fan(ctx: OrchestrationContext): any {
  return yield Promise.all([ctx.callActivity("a"), ctx.callActivity("b")]);
}
new TaskHubGrpcWorker().addNamedOrchestrator("fan", fan);`,
      errors: [
        {
          messageId: "combinator", line: 3, column: 16, endLine: 3, endColumn: 75, data: { method: "all", advice: "use yield whenAll([...]) (import { whenAll } from \"@microsoft/durabletask-js\")" },
          suggestions: [
            {
              messageId: "useCombinator",
              data: { replacement: 'whenAll (import { whenAll } from "@microsoft/durabletask-js")' },
              output: `import { TaskHubGrpcWorker, type OrchestrationContext, whenAll } from "@microsoft/durabletask-js";
async function* fan(ctx: OrchestrationContext): any {
  return yield whenAll([ctx.callActivity("a"), ctx.callActivity("b")]);
}
new TaskHubGrpcWorker().addNamedOrchestrator("fan", fan);`,
            },
          ],
        },
      ],
    },
    {
      // @dapr/durabletask-js: whenAll lives in its task module; only a type import from the root exists.
      code: `import type { OrchestrationContext } from "@dapr/durabletask-js";
export async function* fan(ctx: OrchestrationContext): any {
  return yield Promise.all([ctx.callActivity("a")]);
}`,
      errors: [
        {
          messageId: "combinator", line: 3, column: 16, endLine: 3, endColumn: 52, data: { method: "all", advice: "use yield whenAll([...]) (import { whenAll } from \"@dapr/durabletask-js/task\")" },
          suggestions: [
            {
              messageId: "useCombinator",
              data: { replacement: 'whenAll (import { whenAll } from "@dapr/durabletask-js/task")' },
              output: `import type { OrchestrationContext } from "@dapr/durabletask-js";
import { whenAll } from "@dapr/durabletask-js/task";
export async function* fan(ctx: OrchestrationContext): any {
  return yield whenAll([ctx.callActivity("a")]);
}`,
            },
          ],
        },
      ],
    },
    {
      code: durableFunctions({ body: `  const asks = ["a", "b"].map((x) => context.df.callActivity("ask", x));
  const done = yield Promise.all(asks);
  const first = yield Promise.race(asks);
  return [done, first];` }),
      errors: [
        {
          messageId: "combinator", line: 5, column: 22, endLine: 5, endColumn: 39,
          data: { method: "all", advice: "use yield context.df.Task.all([...])" },
          suggestions: [
            {
              messageId: "useCombinator", data: { replacement: "context.df.Task.all" },
              output: durableFunctions({ body: `  const asks = ["a", "b"].map((x) => context.df.callActivity("ask", x));
  const done = yield context.df.Task.all(asks);
  const first = yield Promise.race(asks);
  return [done, first];` }),
            },
          ],
        },
        { messageId: "combinator", line: 6, column: 23, endLine: 6, endColumn: 41, data: { method: "race", advice: "use yield context.df.Task.any([...]); it yields the winning Task (read winner.result)" }, suggestions: [] },
      ],
    },
    {
      code: dapr({ body: `  const results = yield Promise.allSettled([ctx.callActivity(sayHello, "a")]);
  yield new Promise((resolve) => setTimeout(resolve, 1000));
  return results;` }),
      errors: [
        { messageId: "combinator", line: 5, column: 25, endLine: 5, endColumn: 78, data: { method: "allSettled", advice: "yield each Task in a try/catch, or yield ctx.whenAll([...]) with a try/catch around it" }, suggestions: [] },
        { messageId: "newPromise", line: 6, column: 9, endLine: 6, endColumn: 60, data: { timer: "yield ctx.createTimer(seconds)", event: "yield ctx.waitForExternalEvent(name)" } },
      ],
    },
    {
      // In a callback inside the orchestrator; a shadowing `ctx` blocks the ctx.whenAll rewrite.
      code: dapr({ body: `  const groups = [[1], [2]].map((ctx) => Promise.all(ctx));
  return yield ctx.callActivity(sayHello, String(groups.length));` }),
      errors: [{ messageId: "combinator", line: 5, column: 42, endLine: 5, endColumn: 58, data: { method: "all", advice: "use yield ctx.whenAll([...])" }, suggestions: [] }],
    },
  ],
});
