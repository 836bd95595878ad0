import { noEternalLoop } from "../../src/rules/no-eternal-loop.js";
import { StrictRuleTester } from "../helpers/rule-tester.js";
import { dapr, durableFunctions, durabletask } from "../helpers/sdk-code.js";

const ruleTester = new StrictRuleTester();

ruleTester.run("no-eternal-loop", noEternalLoop, {
  valid: [
    // The eternal-orchestration pattern: one round per generation.
    durabletask({ body: `  while (true) {
    yield ctx.callActivity(sayHello, input.name);
    yield ctx.createTimer(3600);
    ctx.continueAsNew(input, false);
    return;
  }` }),
    // A monitor that ends: break or return leaves the loop.
    durableFunctions({ body: `  for (;;) {
    const status = yield context.df.callActivity("checkJob", "j1");
    if (status === "done") break;
    yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 60_000));
  }` }),
    dapr({ body: `  outer: while (true) {
    for (const id of input.ids) {
      const ok = yield ctx.callActivity(sayHello, id);
      if (!ok) break outer;
    }
  }` }),
    // Endless but schedules nothing durable (e.g. a pure retry over local data), or bounded.
    durabletask({ body: `  let i = 0;
  while (true) { if (++i > 3) break; }
  while (i < 10) { yield ctx.callActivity(sayHello, String(i++)); }` }),
    // Loops outside orchestrators (a worker's poll loop).
    durabletask({ top: `export async function poll(client: { next(): Promise<void> }) { while (true) await client.next(); }`, body: `  return yield ctx.callActivity(sayHello, "a");` }),
  ],
  invalid: [
    {
      code: durabletask({ body: `  while (true) {
    yield ctx.callActivity(sayHello, input.name);
    yield ctx.createTimer(3600);
  }` }),
      errors: [
        {
          messageId: "eternalLoop", line: 5, column: 3, endLine: 5, endColumn: 16,
          data: { continueAsNew: "ctx.continueAsNew(input, false)" },
          suggestions: [
            {
              messageId: "addContinueAsNew", data: { continueAsNew: "ctx.continueAsNew(input, false)" },
              output: durabletask({ body: `  while (true) {
    yield ctx.callActivity(sayHello, input.name);
    yield ctx.createTimer(3600);
    ctx.continueAsNew(input, false);
    return;
  }` }),
            },
          ],
        },
      ],
    },
    {
      // A break that only leaves the inner loop, and a return inside a callback, do not end it.
      code: durableFunctions({ body: `  for (;;) {
    for (const x of [1, 2]) { if (x > 1) break; }
    const f = () => { return 1; };
    yield context.df.callActivity("tick", f());
  }` }),
      errors: [
        {
          messageId: "eternalLoop", line: 4, column: 3, endLine: 4, endColumn: 12,
          data: { continueAsNew: "context.df.continueAsNew(context.df.getInput())" },
          suggestions: [
            {
              messageId: "addContinueAsNew", data: { continueAsNew: "context.df.continueAsNew(context.df.getInput())" },
              output: durableFunctions({ body: `  for (;;) {
    for (const x of [1, 2]) { if (x > 1) break; }
    const f = () => { return 1; };
    yield context.df.callActivity("tick", f());
    context.df.continueAsNew(context.df.getInput());
    return;
  }` }),
            },
          ],
        },
      ],
    },
    {
      // Dapr do/while(1), scheduling through whenAll inside a callback.
      code: dapr({ body: `  do {
    yield ctx.whenAll(input.ids.map((id: string) => ctx.callActivity(sayHello, id)));
  } while (1);` }),
      errors: [{ messageId: "eternalLoop", line: 5, column: 3, endLine: 5, endColumn: 6, data: { continueAsNew: "ctx.continueAsNew(input, false)" }, suggestions: [{ messageId: "addContinueAsNew", data: { continueAsNew: "ctx.continueAsNew(input, false)" }, output: dapr({ body: `  do {
    yield ctx.whenAll(input.ids.map((id: string) => ctx.callActivity(sayHello, id)));
    ctx.continueAsNew(input, false);
    return;
  } while (1);` }) }] }],
    },
    {
      // No input parameter to carry on: reported without a suggestion.
      code: `import type { OrchestrationContext } from "@microsoft/durabletask-js";
export async function* monitor(ctx: OrchestrationContext): any {
  while (true) yield ctx.createTimer(60);
}`,
      errors: [{ messageId: "eternalLoop", line: 3, column: 3, endLine: 3, endColumn: 16, data: { continueAsNew: "ctx.continueAsNew(input, false)" }, suggestions: [] }],
    },
  ],
});
