import { noUnstableIteration } from "../../src/rules/no-unstable-iteration.js";
import { StrictRuleTester } from "../helpers/rule-tester.js";
import { dapr, durableFunctions, durabletask } from "../helpers/sdk-code.js";

const ruleTester = new StrictRuleTester();

const FOR_IN =
  "visits keys in an order that depends on how the object was built (integer-like keys first, inherited keys too), so the durable calls it schedules can come in a different order on replay";
const SHARED =
  "iterates shared module-level data whose order depends on load order, other orchestrations or the deploy, so the durable calls it schedules can come in a different order on replay";
const ADVICE = "use a sorted copy (Object.keys(x).sort(), [...map.keys()].sort()) instead";

ruleTester.run("no-unstable-iteration", noUnstableIteration, {
  valid: [
    // Input and task results replay in the same order: iterating them is deterministic.
    durabletask({ body: `  for (const [region, count] of Object.entries(input.regions)) {
    yield ctx.callActivity(sayHello, region + count);
  }` }),
    // Sorted first.
    durabletask({
      top: `const REGIONS: Record<string, number> = { eu: 1, us: 2 };
const handlers = new Map<string, string>();`,
      body: `  for (const region of Object.keys(REGIONS).sort()) {
    yield ctx.callActivity(sayHello, region);
  }
  for (const name of [...handlers.keys()].sort()) {
    yield ctx.callActivity(sayHello, name);
  }`,
    }),
    // Order does not decide scheduling: summing module data is fine.
    durableFunctions({
      top: `const PRICES: Record<string, number> = { a: 1, b: 2 };`,
      body: `  let total = 0;
  for (const k in PRICES) total += PRICES[k];
  yield context.df.callActivity("sayHello", String(total));`,
    }),
    // Allow-listed collection (by its own name).
    {
      code: durabletask({ top: `const REGIONS: Record<string, number> = { eu: 1 };`, body: `  for (const r of Object.keys(REGIONS)) {
    yield ctx.callActivity(sayHello, r);
  }` }),
      options: [{ allow: ["REGIONS"] }],
    },
    // Arrays keep their order.
    dapr({ top: `const STEPS = ["validate", "charge", "ship"];`, body: `  for (const step of STEPS) {
    yield ctx.callActivity(step, input);
  }` }),
  ],
  invalid: [
    {
      code: durabletask({ body: `  for (const key in input.items) {
    yield ctx.callActivity(sayHello, key);
  }` }),
      errors: [{ messageId: "direct", line: 5, column: 3, endLine: 7, endColumn: 4, data: { label: "for...in over input.items", why: FOR_IN, advice: ADVICE } }],
    },
    {
      code: durableFunctions({
        top: `const REGIONS: Record<string, string> = { eu: "westeurope", us: "eastus" };`,
        body: `  const tasks = Object.keys(REGIONS).map((r) => context.df.callActivity("deploy", r));
  yield context.df.Task.all(tasks);`,
      }),
      errors: [{ messageId: "direct", line: 4, column: 17, endLine: 4, endColumn: 86, data: { label: "Object.keys(REGIONS).map()", why: SHARED, advice: ADVICE } }],
    },
    {
      code: dapr({
        top: `const subscribers = new Set<string>();
export function subscribe(s: string) { subscribers.add(s); }`,
        body: `  for (const s of subscribers) {
    yield ctx.callActivity(sayHello, s);
  }`,
      }),
      errors: [{ messageId: "direct", line: 6, column: 3, endLine: 8, endColumn: 4, data: { label: "for...of over subscribers", why: SHARED, advice: ADVICE } }],
    },
  ],
});
