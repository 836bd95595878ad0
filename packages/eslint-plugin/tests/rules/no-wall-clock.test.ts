import { noWallClock } from "../../src/rules/no-wall-clock.js";
import { StrictRuleTester } from "../helpers/rule-tester.js";
import { dapr, durableFunctions, durabletask } from "../helpers/sdk-code.js";

const ruleTester = new StrictRuleTester();

ruleTester.run("no-wall-clock", noWallClock, {
  valid: [
    // The context's replay-safe clock, in each SDK's spelling.
    durabletask({ body: `  const started = ctx.currentUtcDateTime;
  yield ctx.callActivity(sayHello, started.toISOString());` }),
    durableFunctions({ body: `  const deadline = new Date(context.df.currentUtcDateTime.getTime() + 60_000);
  yield context.df.createTimer(deadline);` }),
    dapr({ body: `  const now = ctx.getCurrentUtcDateTime();
  yield ctx.callActivity(sayHello, now.toISOString());` }),
    // new Date(iso) / Date.UTC / Date.parse are deterministic.
    durabletask({ body: `  const due = new Date(input.dueIso);
  const utc = Date.UTC(2024, 0, 1);
  const t = Date.parse(input.dueIso);
  yield ctx.createTimer(due);` }),
    // Activities may read the clock.
    durabletask({ top: `async function stamp(_: ActivityContext) { return Date.now(); }
worker.addActivity(stamp);`, body: `  yield ctx.callActivity(stamp);` }),
    // Code outside (before/after) the orchestrator.
    durabletask({ top: `const bootedAt = Date.now();
export function uptime() { return Date.now() - bootedAt; }`, body: `  yield ctx.callActivity(sayHello, "x");` }),
    // A local named Date is not the global.
    durabletask({ body: `  const Date = { now: () => 0 };
  const t = Date.now();
  yield ctx.callActivity(sayHello, String(t));` }),
    // A helper declared deterministic in settings is not followed.
    {
      code: durabletask({ top: `function nowish() { return Date.now(); }`, body: `  const t = nowish();
  yield ctx.callActivity(sayHello, String(t));` }),
      settings: { dtcheck: { deterministic: ["nowish"] } },
    },
    // Files without any SDK are never analysed.
    `export function handler() { return Date.now(); }`,
  ],
  invalid: [
    {
      code: durabletask({ body: `  const t = Date.now();
  yield ctx.callActivity(sayHello, String(t));` }),
      errors: [
        {
          messageId: "direct", line: 5, column: 13, endLine: 5, endColumn: 23,
          data: { label: "Date.now()", why: "returns a different time on replay", advice: "use ctx.currentUtcDateTime.getTime() instead" },
          suggestions: [
            {
              messageId: "suggestReplace",
              data: { replacement: "ctx.currentUtcDateTime.getTime()" },
              output: durabletask({ body: `  const t = ctx.currentUtcDateTime.getTime();
  yield ctx.callActivity(sayHello, String(t));` }),
            },
          ],
        },
      ],
    },
    {
      code: durableFunctions({ body: `  const d = new Date();
  yield context.df.createTimer(new Date(d.getTime() + 1000));` }),
      errors: [
        {
          messageId: "direct", line: 4, column: 13, endLine: 4, endColumn: 23,
          data: { label: "new Date()", why: "returns a different time on replay", advice: "use context.df.currentUtcDateTime instead" },
          suggestions: [
            {
              messageId: "suggestReplace",
              data: { replacement: "new Date(context.df.currentUtcDateTime.getTime())" },
              output: durableFunctions({ body: `  const d = new Date(context.df.currentUtcDateTime.getTime());
  yield context.df.createTimer(new Date(d.getTime() + 1000));` }),
            },
          ],
        },
      ],
    },
    {
      // Dapr's WorkflowContext has a getter method, not a property.
      code: dapr({ body: `  const s = Date();
  const p = performance.now();
  const [sec] = process.hrtime();
  yield ctx.callActivity(sayHello, s + p + sec);` }),
      errors: [
        {
          messageId: "direct", line: 5, column: 13, endLine: 5, endColumn: 19,
          data: { label: "Date()", why: "returns a different time on replay", advice: "use ctx.getCurrentUtcDateTime() instead" },
          suggestions: [
            {
              messageId: "suggestReplace",
              data: { replacement: "new Date(ctx.getCurrentUtcDateTime().getTime()).toString()" },
              output: dapr({ body: `  const s = new Date(ctx.getCurrentUtcDateTime().getTime()).toString();
  const p = performance.now();
  const [sec] = process.hrtime();
  yield ctx.callActivity(sayHello, s + p + sec);` }),
            },
          ],
        },
        { messageId: "direct", line: 6, column: 13, endLine: 6, endColumn: 30, data: { label: "performance.now()", why: "returns a different time on replay", advice: "use ctx.getCurrentUtcDateTime().getTime() instead" }, suggestions: [] },
        { messageId: "direct", line: 7, column: 17, endLine: 7, endColumn: 33, data: { label: "process.hrtime()", why: "returns a different time on replay", advice: "use ctx.getCurrentUtcDateTime().getTime() instead" }, suggestions: [] },
      ],
    },
    {
      // Followed through helpers: a const arrow, a function declaration and an object-literal method.
      code: durabletask({
        top: `const clock = { stamp() { return stampNow(); } };
function stampNow() {
  return new Date().toISOString();
}`,
        body: `  yield ctx.callActivity(sayHello, clock.stamp());`,
      }),
      errors: [
        {
          messageId: "viaHelper", line: 8, column: 36, endLine: 8, endColumn: 49,
          data: {
            chain: "clock.stamp() → stampNow()",
            label: "new Date()",
            where: "line 4",
            why: "returns a different time on replay",
            advice: "use ctx.currentUtcDateTime instead",
          },
        },
      ],
    },
    {
      // globalThis.Date.now and a shadowing callback parameter: reported, but no suggestion.
      code: durabletask({ body: `  const ts = [1].map((ctx) => globalThis.Date.now() + ctx);
  yield ctx.callActivity(sayHello, ts);` }),
      errors: [{ messageId: "direct", line: 5, column: 31, endLine: 5, endColumn: 52, data: { label: "Date.now()", why: "returns a different time on replay", advice: "use ctx.currentUtcDateTime.getTime() instead" }, suggestions: [] }],
    },
    {
      // process.uptime imported from node:process is the same hazard.
      code: durabletask({ top: `import { uptime } from "node:process";`, body: `  yield ctx.callActivity(sayHello, uptime());` }),
      errors: [{ messageId: "direct", line: 5, column: 36, endLine: 5, endColumn: 44, data: { label: "process.uptime()", why: "returns a different time on replay", advice: "use ctx.currentUtcDateTime.getTime() instead" } }],
    },
  ],
});
