import { noEternalLoop } from "../../src/rules/no-eternal-loop.js";
import { ruleTester } from "../helpers/rule-tester.js";
import { dapr, durableFunctions, durabletask } from "../helpers/sdk-code.js";

ruleTester.run("no-eternal-loop", noEternalLoop, {
  valid: [
    // The eternal-orchestration pattern: one round per generation.
    durabletask({ body: `  while (true) {\n    yield ctx.callActivity(sayHello, input.name);\n    yield ctx.createTimer(3600);\n    ctx.continueAsNew(input, false);\n    return;\n  }` }),
    // A monitor that ends: break or return leaves the loop.
    durableFunctions({ body: `  for (;;) {\n    const status = yield context.df.callActivity("checkJob", "j1");\n    if (status === "done") break;\n    yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 60_000));\n  }` }),
    dapr({ body: `  outer: while (true) {\n    for (const id of input.ids) {\n      const ok = yield ctx.callActivity(sayHello, id);\n      if (!ok) break outer;\n    }\n  }` }),
    // Endless but schedules nothing durable (e.g. a pure retry over local data), or bounded.
    durabletask({ body: `  let i = 0;\n  while (true) { if (++i > 3) break; }\n  while (i < 10) { yield ctx.callActivity(sayHello, String(i++)); }` }),
    // Loops outside orchestrators (a worker's poll loop).
    durabletask({ top: `export async function poll(client: { next(): Promise<void> }) { while (true) await client.next(); }`, body: `  return yield ctx.callActivity(sayHello, "a");` }),
  ],
  invalid: [
    {
      code: durabletask({ body: `  while (true) {\n    yield ctx.callActivity(sayHello, input.name);\n    yield ctx.createTimer(3600);\n  }` }),
      errors: [
        {
          messageId: "eternalLoop", line: 5, column: 3, endLine: 5, endColumn: 16,
          data: { continueAsNew: "ctx.continueAsNew(input, false)" },
          suggestions: [
            {
              messageId: "addContinueAsNew", data: { continueAsNew: "ctx.continueAsNew(input, false)" },
              output: durabletask({ body: `  while (true) {\n    yield ctx.callActivity(sayHello, input.name);\n    yield ctx.createTimer(3600);\n    ctx.continueAsNew(input, false);\n    return;\n  }` }),
            },
          ],
        },
      ],
    },
    {
      // A break that only leaves the inner loop, and a return inside a callback, do not end it.
      code: durableFunctions({ body: `  for (;;) {\n    for (const x of [1, 2]) { if (x > 1) break; }\n    const f = () => { return 1; };\n    yield context.df.callActivity("tick", f());\n  }` }),
      errors: [
        {
          messageId: "eternalLoop", line: 4, column: 3, endLine: 4, endColumn: 12,
          data: { continueAsNew: "context.df.continueAsNew(context.df.getInput())" },
          suggestions: [
            {
              messageId: "addContinueAsNew", data: { continueAsNew: "context.df.continueAsNew(context.df.getInput())" },
              output: durableFunctions({ body: `  for (;;) {\n    for (const x of [1, 2]) { if (x > 1) break; }\n    const f = () => { return 1; };\n    yield context.df.callActivity("tick", f());\n    context.df.continueAsNew(context.df.getInput());\n    return;\n  }` }),
            },
          ],
        },
      ],
    },
    {
      // Dapr do/while(1), scheduling through whenAll inside a callback.
      code: dapr({ body: `  do {\n    yield ctx.whenAll(input.ids.map((id: string) => ctx.callActivity(sayHello, id)));\n  } while (1);` }),
      errors: [{ messageId: "eternalLoop", line: 5, column: 3, endLine: 5, endColumn: 6, data: { continueAsNew: "ctx.continueAsNew(input, false)" }, suggestions: [{ messageId: "addContinueAsNew", data: { continueAsNew: "ctx.continueAsNew(input, false)" }, output: dapr({ body: `  do {\n    yield ctx.whenAll(input.ids.map((id: string) => ctx.callActivity(sayHello, id)));\n    ctx.continueAsNew(input, false);\n    return;\n  } while (1);` }) }] }],
    },
    {
      // No input parameter to carry on: reported without a suggestion.
      code: `import type { OrchestrationContext } from "@microsoft/durabletask-js";\nexport async function* monitor(ctx: OrchestrationContext): any {\n  while (true) yield ctx.createTimer(60);\n}`,
      errors: [{ messageId: "eternalLoop", line: 3, column: 3, endLine: 3, endColumn: 16, data: { continueAsNew: "ctx.continueAsNew(input, false)" }, suggestions: [] }],
    },
  ],
});
