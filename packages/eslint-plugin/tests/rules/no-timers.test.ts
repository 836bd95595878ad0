import { noTimers } from "../../src/rules/no-timers.js";
import { StrictRuleTester } from "../helpers/rule-tester.js";
import { dapr, durableFunctions, durabletask } from "../helpers/sdk-code.js";

const ruleTester = new StrictRuleTester();

const WHY = "is not recorded in history, so replay neither waits for it nor fires it in the same order";

ruleTester.run("no-timers", noTimers, {
  valid: [
    durabletask({ body: `  yield ctx.createTimer(30);
  yield ctx.callActivity(sayHello, "late");` }),
    durableFunctions({ body: `  const fireAt = new Date(context.df.currentUtcDateTime.getTime() + 30_000);
  yield context.df.createTimer(fireAt);` }),
    // Timers in activities and in module setup code are fine.
    durabletask({
      top: `async function slow(_: ActivityContext) { await new Promise((r) => setTimeout(r, 100)); }
worker.addActivity(slow);
setInterval(() => console.log("alive"), 60_000);`,
      body: `  yield ctx.callActivity(slow);`,
    }),
    // A method named setTimeout on some object is not the global.
    dapr({ body: `  const scheduler = { setTimeout: (n: number) => n };
  scheduler.setTimeout(5);
  yield ctx.createTimer(5);` }),
  ],
  invalid: [
    {
      code: durabletask({ body: `  setTimeout(() => {}, 1000);
  yield ctx.callActivity(sayHello, "x");` }),
      errors: [{ messageId: "direct", line: 5, column: 3, endLine: 5, endColumn: 29, data: { label: "setTimeout()", why: WHY, advice: "use yield ctx.createTimer(seconds) instead" } }],
    },
    {
      code: durableFunctions({
        top: `import { setTimeout as sleep } from "node:timers/promises";`,
        body: `  sleep(1000);
  process.nextTick(() => {});
  queueMicrotask(() => {});
  yield context.df.callActivity("sayHello", "x");`,
      }),
      errors: [
        {
          messageId: "direct", line: 4, column: 3, endLine: 4, endColumn: 14,
          data: {
            label: 'setTimeout() from "timers/promises"',
            why: WHY,
            advice: "use yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + ms)) instead",
          },
        },
        { messageId: "direct", line: 5, column: 3, endLine: 5, endColumn: 29, data: { label: "process.nextTick()", why: WHY, advice: "use yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + ms)) instead" } },
        { messageId: "direct", line: 6, column: 3, endLine: 6, endColumn: 27, data: { label: "queueMicrotask()", why: WHY, advice: "use yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + ms)) instead" } },
      ],
    },
    {
      code: dapr({
        top: `const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));`,
        body: `  wait(500);
  setImmediate(() => {});
  yield ctx.callActivity(sayHello, "x");`,
      }),
      errors: [
        { messageId: "viaHelper", line: 5, column: 3, endLine: 5, endColumn: 12, data: { chain: "wait()", label: "setTimeout()", where: "line 2", why: WHY, advice: "use yield ctx.createTimer(seconds) instead" } },
        { messageId: "direct", line: 6, column: 3, endLine: 6, endColumn: 25, data: { label: "setImmediate()", why: WHY, advice: "use yield ctx.createTimer(seconds) instead" } },
      ],
    },
    {
      // `timers` module exports are the globals.
      code: durabletask({ top: `import { setInterval as every } from "timers";`, body: `  every(() => {}, 10);
  yield ctx.createTimer(1);` }),
      errors: [{ messageId: "direct", line: 5, column: 3, endLine: 5, endColumn: 22, data: { label: "setInterval()", why: WHY, advice: "use yield ctx.createTimer(seconds) instead" } }],
    },
  ],
});
