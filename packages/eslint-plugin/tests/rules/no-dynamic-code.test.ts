import { noDynamicCode } from "../../src/rules/no-dynamic-code.js";
import { StrictRuleTester } from "../helpers/rule-tester.js";
import { dapr, durableFunctions, durabletask } from "../helpers/sdk-code.js";

const ruleTester = new StrictRuleTester();

const RUNS = "runs code dtcheck cannot check, which may do anything non-deterministic";
const GC = "depends on when the garbage collector runs, which differs on replay";
const REMOVE = "remove it from orchestrator code";

ruleTester.run("no-dynamic-code", noDynamicCode, {
  valid: [
    // Static imports and literal requires are fine; so is dynamic import outside orchestrators.
    durabletask({ top: `const path = require("node:path");
export async function loadPlugin(name: string) { return import(name); }`, body: `  yield ctx.callActivity(sayHello, path.join("a", "b"));` }),
    durableFunctions({ body: `  const parsed = JSON.parse(context.df.getInput<string>());
  yield context.df.callActivity("sayHello", parsed);` }),
    // Dapr: a plugin loaded by dynamic import inside an activity, whose result the workflow yields.
    dapr({
      top: `const runPlugin = async (_: WorkflowActivityContext, name: string) => (await import(name)).default();
runtime.registerActivity(runPlugin);`,
      body: `  const result = yield ctx.callActivity(runPlugin, input.plugin);
  yield ctx.callActivity(sayHello, String(result));`,
    }),
  ],
  invalid: [
    {
      code: durabletask({ body: `  const f = new Function("a", "return a");
  const r = eval("1 + 1");
  yield ctx.callActivity(sayHello, f(r));` }),
      errors: [
        { messageId: "direct", line: 5, column: 13, endLine: 5, endColumn: 42, data: { label: "new Function()", why: RUNS, advice: REMOVE } },
        { messageId: "direct", line: 6, column: 13, endLine: 6, endColumn: 26, data: { label: "eval()", why: RUNS, advice: REMOVE } },
      ],
    },
    {
      code: dapr({ body: `  const mod = await import(input.plugin);
  const other = require(input.other);
  yield ctx.callActivity(sayHello, mod.name + other);` }),
      errors: [
        { messageId: "direct", line: 5, column: 21, endLine: 5, endColumn: 41, data: { label: "import()", why: "loads a module at run time, whose code (and whether it loads) can differ on replay", advice: REMOVE } },
        { messageId: "direct", line: 6, column: 17, endLine: 6, endColumn: 37, data: { label: "require() with a computed name", why: "loads a module chosen at run time, whose code can differ on replay", advice: REMOVE } },
      ],
    },
    {
      code: durableFunctions({ top: `const cache = new WeakMap();`, body: `  const ref = new WeakRef(cache);
  const reg = new FinalizationRegistry(() => {});
  yield context.df.callActivity("sayHello", String(ref.deref()) + reg);` }),
      errors: [
        { messageId: "direct", line: 4, column: 15, endLine: 4, endColumn: 33, data: { label: "WeakRef", why: GC, advice: REMOVE } },
        { messageId: "direct", line: 5, column: 15, endLine: 5, endColumn: 49, data: { label: "FinalizationRegistry", why: GC, advice: REMOVE } },
      ],
    },
  ],
});
