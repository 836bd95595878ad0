import { replaySafeLogging } from "../../src/rules/replay-safe-logging.js";
import { StrictRuleTester } from "../helpers/rule-tester.js";
import { dapr, durableFunctions, durabletask } from "../helpers/sdk-code.js";

const ruleTester = new StrictRuleTester();

const dtAdvice = "guard it with if (!ctx.isReplaying) or log through ctx.createReplaySafeLogger(logger)";

ruleTester.run("replay-safe-logging", replaySafeLogging, {
  valid: [
    // Guards: if, &&, early return, else of a positive test, === false; replay-safe logger.
    durabletask({
      top: `import { ConsoleLogger } from "@microsoft/durabletask-js";`,
      body: `  if (!ctx.isReplaying) console.log("starting", input);
  !ctx.isReplaying && console.info("again");
  if (ctx.isReplaying) { /* quiet */ } else { console.warn("live"); }
  if (ctx.isReplaying === false) console.debug("x");
  const log = ctx.createReplaySafeLogger(new ConsoleLogger());
  log.info("safe");
  return yield ctx.callActivity(sayHello, "a");`,
    }),
    durableFunctions({ body: `  if (context.df.isReplaying) return;
  context.log("first run only");
  console.log("also guarded");
  yield context.df.callActivity("sayHello", "a");` }),
    dapr({ body: `  const r = yield ctx.callActivity(sayHello, "a");
  if (!ctx.isReplaying()) {
    console.log(\`got \${r}\`);
  }
  return r;` }),
    // Every common guard form: `?? true` defaults (with optional chaining), `&&` chains on either
    // side, a const holding the flag, an early return in a nested block, a negated double check.
    durableFunctions({ body: `  if (!(context.df?.isReplaying ?? true)) context.log("a");
  if (!(context.df.isReplaying ?? false)) console.log("b");
  if (input && verbose && !context.df.isReplaying) context.warn("c");
  if (!context.df.isReplaying && verbose) { console.info("d"); }
  yield context.df.callActivity("sayHello", "a");`, top: `const verbose = true;
const input = 1;` }),
    durabletask({ body: `  const replaying = ctx.isReplaying;
  if (!replaying) console.log("live");
  for (const item of ["x"]) {
    if (ctx.isReplaying) continue;
    console.log(item);
  }
  if (!!ctx.isReplaying === false) console.debug("x");
  return yield ctx.callActivity(sayHello, "a");` }),
    // Activities and code outside orchestrators log freely; a local `console` is not the global.
    durabletask({ top: `async function audit(_: ActivityContext, s: string) { console.log(s); }
worker.addActivity(audit);
console.log("worker module loaded");`, body: `  const console = { log: (_: string) => undefined };
  console.log("x");
  return yield ctx.callActivity(audit, "a");` }),
    // Not logging: methods that happen to be called log on unrelated objects.
    durabletask({ body: `  const values = [1, 2];
  const m = Math.log(values.length);
  return yield ctx.callActivity(sayHello, String(m));` }),
  ],
  invalid: [
    {
      // `isReplaying ?? true` alone is the replaying branch; a `let` flag may have changed.
      code: durabletask({ body: `  let replaying = ctx.isReplaying;
  replaying = false;
  if (!replaying) console.log("a");
  if (ctx.isReplaying ?? true) console.log("b");
  return yield ctx.callActivity(sayHello, "a");` }),
      errors: [
        { messageId: "unguardedLog", line: 7, column: 19, endLine: 7, endColumn: 35, data: { call: "console.log()", advice: dtAdvice } },
        { messageId: "unguardedLog", line: 8, column: 32, endLine: 8, endColumn: 48, data: { call: "console.log()", advice: dtAdvice } },
      ],
    },
    {
      code: durabletask({ body: `  console.log("processing", input);
  return yield ctx.callActivity(sayHello, "a");` }),
      errors: [
        {
          messageId: "unguardedLog", line: 5, column: 3, endLine: 5, endColumn: 35,
          data: { call: "console.log()", advice: dtAdvice },
          suggestions: [{ messageId: "guard", data: { isReplaying: "ctx.isReplaying" }, output: durabletask({ body: `  if (!ctx.isReplaying) console.log("processing", input);
  return yield ctx.callActivity(sayHello, "a");` }) }],
        },
      ],
    },
    {
      // The guard is for the other branch; a logger by name; a logger property; inside a callback.
      code: durabletask({
        top: `import { ConsoleLogger } from "@microsoft/durabletask-js";
const logger = new ConsoleLogger();
const deps = { auditLogger: logger };`,
        body: `  if (ctx.isReplaying) console.log("replaying");
  logger.info("step 1");
  deps.auditLogger.warn("step 2");
  input.items.forEach((i: string) => logger.debug(i));
  return yield ctx.callActivity(sayHello, "a");`,
      }),
      errors: [
        { messageId: "unguardedLog", line: 7, column: 24, endLine: 7, endColumn: 48, data: { call: "console.log()", advice: dtAdvice }, suggestions: [] },
        { messageId: "unguardedLog", line: 8, column: 3, endLine: 8, endColumn: 24, data: { call: "logger.info()", advice: dtAdvice }, suggestions: [{ messageId: "guard", data: { isReplaying: "ctx.isReplaying" }, output: durabletask({ top: `import { ConsoleLogger } from "@microsoft/durabletask-js";
const logger = new ConsoleLogger();
const deps = { auditLogger: logger };`, body: `  if (ctx.isReplaying) console.log("replaying");
  if (!ctx.isReplaying) logger.info("step 1");
  deps.auditLogger.warn("step 2");
  input.items.forEach((i: string) => logger.debug(i));
  return yield ctx.callActivity(sayHello, "a");` }) }] },
        { messageId: "unguardedLog", line: 9, column: 3, endLine: 9, endColumn: 34, data: { call: "deps.auditLogger.warn()", advice: dtAdvice }, suggestions: [{ messageId: "guard", data: { isReplaying: "ctx.isReplaying" }, output: durabletask({ top: `import { ConsoleLogger } from "@microsoft/durabletask-js";
const logger = new ConsoleLogger();
const deps = { auditLogger: logger };`, body: `  if (ctx.isReplaying) console.log("replaying");
  logger.info("step 1");
  if (!ctx.isReplaying) deps.auditLogger.warn("step 2");
  input.items.forEach((i: string) => logger.debug(i));
  return yield ctx.callActivity(sayHello, "a");` }) }] },
        { messageId: "unguardedLog", line: 10, column: 38, endLine: 10, endColumn: 53, data: { call: "logger.debug()", advice: "guard it with if (!ctx.isReplaying) or log through ctx.createReplaySafeLogger(logger)" }, suggestions: [] },
      ],
    },
    {
      // durable-functions: the InvocationContext's own log methods.
      code: durableFunctions({ body: `  context.log("approval requested");
  context.warn("slow");
  yield context.df.callActivity("sayHello", "a");` }),
      errors: [
        { messageId: "unguardedLog", line: 4, column: 3, endLine: 4, endColumn: 36, data: { call: "context.log()", advice: "guard it with if (!context.df.isReplaying)" }, suggestions: [{ messageId: "guard", data: { isReplaying: "context.df.isReplaying" }, output: durableFunctions({ body: `  if (!context.df.isReplaying) context.log("approval requested");
  context.warn("slow");
  yield context.df.callActivity("sayHello", "a");` }) }] },
        { messageId: "unguardedLog", line: 5, column: 3, endLine: 5, endColumn: 23, data: { call: "context.warn()", advice: "guard it with if (!context.df.isReplaying)" }, suggestions: [{ messageId: "guard", data: { isReplaying: "context.df.isReplaying" }, output: durableFunctions({ body: `  context.log("approval requested");
  if (!context.df.isReplaying) context.warn("slow");
  yield context.df.callActivity("sayHello", "a");` }) }] },
      ],
    },
    {
      // Dapr WorkflowContext: isReplaying is a method. An extra logger name from the options.
      code: dapr({ top: `const audit = { record: (_: string) => undefined, info: (_: string) => undefined };`, body: `  audit.info("booked");
  return yield ctx.callActivity(sayHello, "a");` }),
      options: [{ loggers: ["audit"] }],
      errors: [
        {
          messageId: "unguardedLog", line: 5, column: 3, endLine: 5, endColumn: 23,
          data: { call: "audit.info()", advice: "guard it with if (!ctx.isReplaying())" },
          suggestions: [{ messageId: "guard", data: { isReplaying: "ctx.isReplaying()" }, output: dapr({ top: `const audit = { record: (_: string) => undefined, info: (_: string) => undefined };`, body: `  if (!ctx.isReplaying()) audit.info("booked");
  return yield ctx.callActivity(sayHello, "a");` }) }],
        },
      ],
    },
  ],
});
