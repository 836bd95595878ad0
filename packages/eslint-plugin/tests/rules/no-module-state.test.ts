import { noModuleState } from "../../src/rules/no-module-state.js";
import { StrictRuleTester } from "../helpers/rule-tester.js";
import { dapr, durableFunctions, durabletask } from "../helpers/sdk-code.js";

const ruleTester = new StrictRuleTester();

const WHY =
  "changes module-level state that outlives this orchestration run (other orchestrations on the worker see it; a replay on another worker or after a restart starts without it)";
const ADVICE = "use local variables (pass values in as orchestration input and return results) instead";

ruleTester.run("no-module-state", noModuleState, {
  valid: [
    // Local state, reading module constants, mutating local copies.
    durabletask({
      top: `const LIMITS = { max: 10 };
const SEEN = new Set<string>();`,
      body: `  const results: string[] = [];
  let count = 0;
  for (const name of input.names) {
    results.push(yield ctx.callActivity(sayHello, name));
    count++;
  }
  const copy = new Set(SEEN);
  copy.add("x");
  return { results, count, max: LIMITS.max, has: SEEN.has("a") };`,
    }),
    // Module state mutated by activities or startup code is not orchestrator code.
    durableFunctions({
      top: `let calls = 0;
df.app.activity("count", { handler: () => ++calls });
calls = 1;`,
      body: `  const n = yield context.df.callActivity("count");
  return n;`,
    }),
    // Imported bindings: mutating an import is a different concern (and usually I/O).
    dapr({ top: `import { registry } from "./registry.js";`, body: `  yield ctx.callActivity(sayHello, registry.get("a"));` }),
  ],
  invalid: [
    {
      code: durabletask({
        top: `let attempts = 0;
const processed: string[] = [];
const byId = new Map<string, number>();`,
        body: `  attempts++;
  processed.push(input.id);
  byId.set(input.id, attempts);
  yield ctx.callActivity(sayHello, String(attempts));`,
      }),
      errors: [
        { messageId: "direct", line: 7, column: 3, endLine: 7, endColumn: 13, data: { label: "attempts++", why: WHY, advice: ADVICE } },
        { messageId: "direct", line: 8, column: 3, endLine: 8, endColumn: 27, data: { label: "processed.push()", why: WHY, advice: ADVICE } },
        { messageId: "direct", line: 9, column: 3, endLine: 9, endColumn: 31, data: { label: "byId.set()", why: WHY, advice: ADVICE } },
      ],
    },
    {
      code: durableFunctions({
        top: `const state = { lastRun: "", tags: [] as string[] };
function remember(tag: string) {
  state.tags.push(tag);
}`,
        body: `  state.lastRun = context.df.instanceId;
  remember("x");
  Object.assign(state, { done: false });
  globalThis.lastInstance = context.df.instanceId;
  yield context.df.callActivity("sayHello", "x");`,
      }),
      errors: [
        { messageId: "direct", line: 7, column: 3, endLine: 7, endColumn: 40, data: { label: "assigning state.lastRun", why: WHY, advice: ADVICE } },
        { messageId: "viaHelper", line: 8, column: 3, endLine: 8, endColumn: 16, data: { chain: "remember()", label: "state.tags.push()", where: "line 4", why: WHY, advice: ADVICE } },
        { messageId: "direct", line: 9, column: 3, endLine: 9, endColumn: 40, data: { label: "Object.assign(state, ...)", why: WHY, advice: ADVICE } },
        { messageId: "direct", line: 10, column: 3, endLine: 10, endColumn: 50, data: { label: "assigning globalThis.lastInstance", why: WHY, advice: ADVICE } },
      ],
    },
    {
      code: dapr({ top: `let cache: Record<string, string> = {};`, body: `  delete cache[input.key];
  cache = {};
  yield ctx.callActivity(sayHello, "x");` }),
      errors: [
        { messageId: "direct", line: 5, column: 3, endLine: 5, endColumn: 26, data: { label: "delete cache", why: WHY, advice: ADVICE } },
        { messageId: "direct", line: 6, column: 3, endLine: 6, endColumn: 13, data: { label: "assigning cache", why: WHY, advice: ADVICE } },
      ],
    },
  ],
});
