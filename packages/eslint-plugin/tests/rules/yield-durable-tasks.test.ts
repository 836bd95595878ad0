import { yieldDurableTasks } from "../../src/rules/yield-durable-tasks.js";
import { StrictRuleTester } from "../helpers/rule-tester.js";
import { dapr, durableFunctions, durabletask } from "../helpers/sdk-code.js";

const ruleTester = new StrictRuleTester();

const dtLost = "it is scheduled, but nothing waits for it, so its result and any failure are lost and the orchestration may complete before it";
const dfLost = "durable-functions only schedules Tasks that are yielded, so it never runs";

ruleTester.run("yield-durable-tasks", yieldDurableTasks, {
  valid: [
    // Yielded directly, through a variable, through map → whenAll, through push → whenAll.
    durabletask({ body: `  const a: string = yield ctx.callActivity(sayHello, "a");
  const t = ctx.callActivity(sayHello, "b");
  const b: string = yield t;
  const many = input.cities.map((c: string) => ctx.callActivity(sayHello, c));
  const pushed = [];
  for (const c of input.cities) pushed.push(ctx.callActivity(sayHello, c));
  return [a, b, yield whenAll(many), yield whenAll(pushed)];` }),
    // durable-functions race: the timer and the event reach Task.any; timer.cancel() and comparisons are fine.
    durableFunctions({ body: `  const timer = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 60_000));
  const approval = context.df.waitForExternalEvent("Approved");
  const winner = yield context.df.Task.any([approval, timer]);
  if (winner === approval) { timer.cancel(); return approval.result; }
  return "timeout";` }),
    dapr({ body: `  const tasks = [ctx.callActivity(sayHello, "a"), ctx.callActivity(sayHello, "b")];
  const results = yield ctx.whenAll(tasks);
  ctx.setCustomStatus("done");
  ctx.continueAsNew(results, false);` }),
    // Handed to a function it does not understand: may be yielded there (conservative).
    durabletask({ top: `function* withRetry(t: unknown): any { return yield t; }`, body: `  return yield* withRetry(ctx.callActivity(sayHello, "a"));` }),
    // Not the context: a local object with the same method names, and code outside orchestrators.
    durabletask({ top: `const queue = { callActivity: (n: string) => n };
export function schedule(client: { callActivity(n: string): void }) { client.callActivity("x"); }`, body: `  queue.callActivity("x");
  return yield ctx.callActivity(sayHello, "a");` }),
    // A context-typed helper may return a Task to the orchestrator that yields it.
    durabletask({ top: `const deadline = (c: OrchestrationContext, s: number) => c.createTimer(s);
function step(c: OrchestrationContext, name: string) { return c.callActivity(sayHello, name); }`, body: `  yield deadline(ctx, 60);
  return yield step(ctx, "a");` }),
        // signalEntity is fire-and-forget by design.
    durableFunctions({ body: `  context.df.signalEntity(new df.EntityId("counter", "c1"), "add", 1);
  return yield context.df.callActivity("sayHello", "a");` }),
  ],
  invalid: [
    {
      code: durabletask({ body: `  ctx.callActivity(sayHello, "audit");
  return yield ctx.callActivity(sayHello, "a");` }),
      errors: [
        {
          messageId: "dropped", line: 5, column: 3, endLine: 5, endColumn: 38,
          data: { call: "ctx.callActivity(...)", consequence: dtLost, combinator: "whenAll" },
          suggestions: [{ messageId: "addYield", output: durabletask({ body: `  yield ctx.callActivity(sayHello, "audit");
  return yield ctx.callActivity(sayHello, "a");` }) }],
        },
      ],
    },
    {
      // durable-functions: forEach drops every Task; a stored timer never reaches a yield.
      code: durableFunctions({ body: `  ["a", "b"].forEach((x) => context.df.callActivity("sayHello", x));
  const reminder = context.df.createTimer(new Date(0));
  return reminder.isCompleted;` }),
      errors: [
        { messageId: "dropped", line: 4, column: 29, endLine: 4, endColumn: 67, data: { call: "context.df.callActivity(...)", consequence: dfLost, combinator: "context.df.Task.all" }, suggestions: [] },
        { messageId: "neverYielded", line: 5, column: 20, endLine: 5, endColumn: 55, data: { call: "context.df.createTimer(...)", consequence: dfLost, combinator: "context.df.Task.all" } },
      ],
    },
    {
      // The array of Tasks reaches whenAll, but whenAll's own Task is dropped (Dapr WorkflowContext).
      code: dapr({ body: `  const tasks = input.ids.map((id: string) => ctx.callActivity(sayHello, id));
  ctx.whenAll(tasks);
  return "done";` }),
      errors: [
        {
          messageId: "dropped", line: 6, column: 3, endLine: 6, endColumn: 21,
          data: { call: "ctx.whenAll(...)", consequence: dtLost, combinator: "ctx.whenAll" },
          suggestions: [{ messageId: "addYield", output: dapr({ body: `  const tasks = input.ids.map((id: string) => ctx.callActivity(sayHello, id));
  yield ctx.whenAll(tasks);
  return "done";` }) }],
        },
      ],
    },
    {
      code: durabletask({ body: `  return ctx.callSubOrchestrator("child", input);` }),
      errors: [
        {
          messageId: "returned", line: 5, column: 10, endLine: 5, endColumn: 49,
          data: { call: "ctx.callSubOrchestrator(...)", consequence: dtLost, combinator: "whenAll", text: 'ctx.callSubOrchestrator("child", input)' },
          suggestions: [{ messageId: "addYield", output: durabletask({ body: `  return yield ctx.callSubOrchestrator("child", input);` }) }],
        },
      ],
    },
    {
      // Yielding calls that return nothing, in all three SDKs.
      code: durabletask({ body: `  yield ctx.setCustomStatus("starting");
  yield ctx.entities.signalEntity(input.entity, "reset");
  yield ctx.continueAsNew(input, false);` }),
      errors: [
        {
          messageId: "yieldVoid", line: 5, column: 3, endLine: 5, endColumn: 40,
          data: { call: "ctx.setCustomStatus(...)", failure: 'fails with "The orchestrator generator yielded a non-Task object"' },
          suggestions: [{ messageId: "removeYield", output: durabletask({ body: `  ctx.setCustomStatus("starting");
  yield ctx.entities.signalEntity(input.entity, "reset");
  yield ctx.continueAsNew(input, false);` }) }],
        },
        {
          messageId: "yieldVoid", line: 6, column: 3, endLine: 6, endColumn: 57,
          data: { call: "ctx.entities.signalEntity(...)", failure: 'fails with "The orchestrator generator yielded a non-Task object"' },
          suggestions: [{ messageId: "removeYield", output: durabletask({ body: `  yield ctx.setCustomStatus("starting");
  ctx.entities.signalEntity(input.entity, "reset");
  yield ctx.continueAsNew(input, false);` }) }],
        },
        {
          messageId: "yieldVoid", line: 7, column: 3, endLine: 7, endColumn: 40, data: { call: "ctx.continueAsNew(...)", failure: "fails with \"The orchestrator generator yielded a non-Task object\"" },
          suggestions: [{ messageId: "removeYield", output: durabletask({ body: `  yield ctx.setCustomStatus("starting");
  yield ctx.entities.signalEntity(input.entity, "reset");
  ctx.continueAsNew(input, false);` }) }],
        },
      ],
    },
    {
      code: durableFunctions({ body: `  const df2 = context.df;
  yield df2.continueAsNew(context.df.getInput());` }),
      errors: [
        {
          messageId: "yieldVoid", line: 5, column: 3, endLine: 5, endColumn: 49,
          data: { call: "df2.continueAsNew(...)", failure: 'fails with "Orchestration yielded data of type undefined"' },
          suggestions: [{ messageId: "removeYield", output: durableFunctions({ body: `  const df2 = context.df;
  df2.continueAsNew(context.df.getInput());` }) }],
        },
      ],
    },
  ],
});
