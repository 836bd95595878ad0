import { noReplayConditionalCalls } from "../../src/rules/no-replay-conditional-calls.js";
import { StrictRuleTester } from "../helpers/rule-tester.js";
import { dapr, durableFunctions, durabletask } from "../helpers/sdk-code.js";

const ruleTester = new StrictRuleTester();

ruleTester.run("no-replay-conditional-calls", noReplayConditionalCalls, {
  valid: [
    // Logging behind the guard, the calls on every run.
    durabletask({ body: `  if (!ctx.isReplaying) console.log("starting", input);
  const a: string = yield ctx.callActivity(sayHello, "a");
  if (ctx.isReplaying) return a;
  return a;` }),
    // A condition on the input or a result is not one on replay; a `let` flag may have changed.
    durabletask({ body: `  let replaying = ctx.isReplaying;
  replaying = input.vip;
  if (!replaying) yield ctx.callActivity(sayHello, "vip");
  if (input.express && !input.vip) yield ctx.callActivity(sayHello, "express");
  return yield ctx.callActivity(sayHello, "a");` }),
    // `isReplaying || x` and `!isReplaying && x` in the else: the else runs both replaying and not.
    durableFunctions({ body: `  if (context.df.isReplaying && input) {
    context.log("replayed with input");
  } else {
    yield context.df.callActivity("sayHello", "a");
  }
  return yield context.df.callActivity("sayHello", "b");` }),
    // Not the orchestrator's context: a local object's isReplaying-named flag guards nothing durable.
    dapr({ top: `const queue = { callActivity: (n: string) => n, isReplaying: false };`, body: `  if (!queue.isReplaying) queue.callActivity("x");
  return yield ctx.callActivity(sayHello, "a");` }),
  ],
  invalid: [
    {
      code: durabletask({ body: `  if (!ctx.isReplaying) {
    yield ctx.callActivity(sayHello, "audit");
  }
  return yield ctx.callActivity(sayHello, "a");` }),
      errors: [
        {
          messageId: "replayConditional", line: 6, column: 11, endLine: 6, endColumn: 46,
          data: { call: "ctx.callActivity(...)", state: "not replaying", test: "!ctx.isReplaying" },
        },
      ],
    },
    {
      // An early return while replaying: everything after it runs only when not replaying.
      code: durabletask({ body: `  const replaying = ctx.isReplaying;
  if (replaying) return "cached";
  ctx.signalEntity(new EntityInstanceId("counter", "c1"), "add", 1);
  return yield ctx.createTimer(60);` }),
      errors: [
        { messageId: "replayConditional", line: 7, column: 3, endLine: 7, endColumn: 68, data: { call: "ctx.signalEntity(...)", state: "not replaying", test: "replaying" } },
        { messageId: "replayConditional", line: 8, column: 16, endLine: 8, endColumn: 35, data: { call: "ctx.createTimer(...)", state: "not replaying", test: "replaying" } },
      ],
    },
    {
      // durable-functions: a ternary and `&&`; the flag read through optional chaining.
      code: durableFunctions({ body: `  const first = context.df.isReplaying ? null : yield context.df.callActivity("sayHello", "first");
  !context.df?.isReplaying && context.df.signalEntity(new df.EntityId("counter", "c1"), "add", 1);
  return first;` }),
      errors: [
        { messageId: "replayConditional", line: 4, column: 55, endLine: 4, endColumn: 99, data: { call: "context.df.callActivity(...)", state: "not replaying", test: "context.df.isReplaying" } },
        { messageId: "replayConditional", line: 5, column: 31, endLine: 5, endColumn: 98, data: { call: "context.df.signalEntity(...)", state: "not replaying", test: "!context.df?.isReplaying" } },
      ],
    },
    {
      // Dapr's WorkflowContext has isReplaying() as a method; a call made only while replaying.
      code: dapr({ body: `  if (ctx.isReplaying() === true) yield ctx.callActivity(sayHello, "again");
  if (!ctx.isReplaying()) ctx.continueAsNew(input, true);
  return yield ctx.callActivity(sayHello, "a");` }),
      errors: [
        { messageId: "replayConditional", line: 5, column: 41, endLine: 5, endColumn: 76, data: { call: "ctx.callActivity(...)", state: "replaying", test: "ctx.isReplaying() === true" } },
        { messageId: "replayConditional", line: 6, column: 27, endLine: 6, endColumn: 57, data: { call: "ctx.continueAsNew(...)", state: "not replaying", test: "!ctx.isReplaying()" } },
      ],
    },
  ],
});
