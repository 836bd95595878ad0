import { noAwait } from "../../src/rules/no-await.js";
import { StrictRuleTester } from "../helpers/rule-tester.js";
import { dapr, durableFunctions, durabletask } from "../helpers/sdk-code.js";

const ruleTester = new StrictRuleTester();

const awaitTaskWhy = "Tasks are not thenable, so the value is the Task object itself and the orchestration goes on (or completes) with it";

ruleTester.run("no-await", noAwait, {
  valid: [
    durabletask({ body: `  const greeting: string = yield ctx.callActivity(sayHello, "Tokyo");
  return greeting;` }),
    durableFunctions({ body: `  const results = yield context.df.Task.all([context.df.callActivity("sayHello", "Tokyo")]);
  return results;` }),
    dapr({ body: `  const results = yield ctx.whenAll([ctx.callActivity(sayHello, "Tokyo")]);
  return results;` }),
    // Activities await freely, even when defined inside an orchestrator file.
    durabletask({ top: `async function lookup(_: ActivityContext, id: string) { const r = await fetch(id); return r.status; }
worker.addActivity(lookup);`, body: `  return yield ctx.callActivity(lookup, input.id);` }),
    // An await in a nested async function is that function's own business (other rules look at it).
    durabletask({ body: `  const format = async (s: string) => await Promise.resolve(s.trim());
  return yield ctx.callActivity(sayHello, String(format));` }),
    // Code outside the orchestrator.
    durabletask({ top: `export async function main() { await worker.start(); }`, body: `  return yield ctx.callActivity(sayHello, "x");` }),
  ],
  invalid: [
    {
      code: durabletask({ body: `  const greeting = await ctx.callActivity(sayHello, "Tokyo");
  return greeting;` }),
      errors: [
        {
          messageId: "awaitTask", line: 5, column: 20, endLine: 5, endColumn: 61,
          data: { call: "ctx.callActivity(...)", why: awaitTaskWhy },
          suggestions: [{ messageId: "useYield", output: durabletask({ body: `  const greeting = yield ctx.callActivity(sayHello, "Tokyo");
  return greeting;` }) }],
        },
      ],
    },
    {
      // Inside a larger expression the yield is parenthesised; whenAll imported from the SDK counts.
      code: durabletask({ body: `  const n = (await whenAll([ctx.callActivity(sayHello, "a")])).length + 1;
  return n;` }),
      errors: [
        {
          messageId: "awaitTask", line: 5, column: 14, endLine: 5, endColumn: 62,
          data: { call: "whenAll(...)", why: awaitTaskWhy },
          suggestions: [{ messageId: "useYield", output: durabletask({ body: `  const n = (yield whenAll([ctx.callActivity(sayHello, "a")])).length + 1;
  return n;` }) }],
        },
      ],
    },
    {
      code: durabletask({ body: `  const total = 1 + await ctx.callActivity(sayHello, "a");
  return total;` }),
      errors: [{ messageId: "awaitTask", line: 5, column: 21, endLine: 5, endColumn: 58, data: { call: "ctx.callActivity(...)", why: "Tasks are not thenable, so the value is the Task object itself and the orchestration goes on (or completes) with it" }, suggestions: [{ messageId: "useYield", output: durabletask({ body: `  const total = 1 + (yield ctx.callActivity(sayHello, "a"));
  return total;` }) }] }],
    },
    {
      // A real Promise: no yield rewrite (yielding a Promise fails); move it into an activity.
      code: dapr({ body: `  const res = await fetch("https://example.com");
  yield ctx.callActivity(sayHello, String(res.status));` }),
      errors: [{ messageId: "awaitOther", line: 5, column: 15, endLine: 5, endColumn: 49, data: { api: "ctx" }, suggestions: [] }],
    },
    {
      // A call that returns nothing: drop the await.
      code: durabletask({ body: `  yield ctx.callActivity(sayHello, "a");
  await ctx.continueAsNew(input, false);` }),
      errors: [
        {
          messageId: "awaitVoid", line: 6, column: 3, endLine: 6, endColumn: 40,
          data: { call: "ctx.continueAsNew(...)" },
          suggestions: [{ messageId: "removeAwait", output: durabletask({ body: `  yield ctx.callActivity(sayHello, "a");
  ctx.continueAsNew(input, false);` }) }],
        },
      ],
    },
    {
      code: durableFunctions({ body: `  for await (const line of input.lines) {
    yield context.df.callActivity("sayHello", line);
  }` }),
      errors: [{ messageId: "forAwait", line: 4, column: 3, endLine: 4, endColumn: 39 }],
    },
    {
      // durable-functions as an async generator (generator-shape reports the shape): the Task is never scheduled.
      code: `import * as df from "durable-functions";
df.app.orchestration("greet", async function* (context) {
  const df2 = context.df;
  return await df2.callActivity("sayHello", "Tokyo");
});`,
      errors: [
        {
          messageId: "awaitTask", line: 4, column: 10, endLine: 4, endColumn: 53,
          data: {
            call: "df2.callActivity(...)",
            why: "durable-functions only schedules Tasks that are yielded, so it is never scheduled and the result is the Task object",
          },
          suggestions: [{ messageId: "useYield", output: `import * as df from "durable-functions";
df.app.orchestration("greet", async function* (context) {
  const df2 = context.df;
  return yield df2.callActivity("sayHello", "Tokyo");
});` }],
        },
      ],
    },
    {
      // Not a generator: yield is not available, so no suggestion.
      code: `import type { OrchestrationContext } from "@microsoft/durabletask-js";
/** @orchestrator */
export async function greet(ctx: OrchestrationContext) {
  return await ctx.callActivity("sayHello", "x");
}`,
      errors: [{ messageId: "awaitTask", line: 4, column: 10, endLine: 4, endColumn: 49, data: { call: "ctx.callActivity(...)", why: "Tasks are not thenable, so the value is the Task object itself and the orchestration goes on (or completes) with it" }, suggestions: [] }],
    },
  ],
});
