/** Typed RuleTester cases: the same rules with type information (projectService) follow imports. */
import { fileURLToPath } from "node:url";
import path from "node:path";
import { noRandom } from "../../src/rules/no-random.js";
import { noEnvironment } from "../../src/rules/no-environment.js";
import { noWallClock } from "../../src/rules/no-wall-clock.js";
import { typedRuleTester } from "../helpers/rule-tester.js";

const tsconfigRootDir = fileURLToPath(new URL("../../../../fixtures/lint/typed-rule-tester/", import.meta.url));
const filename = path.join(tsconfigRootDir, "file.ts");
const typedTester = typedRuleTester(tsconfigRootDir);

const orchestrator = (body: string) => `import type { OrchestrationContext } from "@microsoft/durabletask-js";
import { clock, newOrderId, total } from "./helpers.js";

export async function* placeOrder(ctx: OrchestrationContext, prices: number[]): any {
${body}
}
`;

// The same helpers reached from a Dapr workflow (found by its WorkflowContext type) and from a
// durable-functions orchestration (found by its registration; the context type comes from the SDK).
const daprWorkflow = (body: string) => `import type { WorkflowContext } from "@dapr/dapr";
import { clock, newOrderId, total } from "./helpers.js";

export async function* placeOrder(ctx: WorkflowContext, prices: number[]): any {
${body}
}
`;

const durableFunction = (body: string) => `import * as df from "durable-functions";
import { clock, newOrderId, total } from "./helpers.js";

df.app.orchestration("placeOrder", function* (context) {
  const prices: number[] = context.df.getInput();
${body}
});
`;

typedTester.run("no-random (typed, Dapr and durable-functions)", noRandom, {
  valid: [
    { code: daprWorkflow(`  yield ctx.callActivity("charge", total(prices));`), filename },
    { code: durableFunction(`  yield context.df.callActivity("charge", total(prices));`), filename },
  ],
  invalid: [
    {
      code: daprWorkflow(`  const id = newOrderId();
  yield ctx.callActivity("charge", { id, sum: total(prices) });`),
      filename,
      errors: [{ messageId: "viaHelper", line: 5, column: 14, endLine: 5, endColumn: 26, data: { label: "crypto.randomUUID()", why: "returns a new value on replay", advice: "use an id derived from ctx.getWorkflowInstanceId() or one created in an activity (yield ctx.callActivity(...)) instead", chain: "newOrderId() (helpers.ts:2)", where: "helpers.ts:3" } }],
    },
    {
      code: durableFunction(`  const id = newOrderId();
  yield context.df.callActivity("charge", { id, sum: total(prices) });`),
      filename,
      errors: [{ messageId: "viaHelper", line: 6, column: 14, endLine: 6, endColumn: 26, data: { label: "crypto.randomUUID()", why: "returns a new value on replay", advice: "use context.df.newGuid(context.df.instanceId) instead", chain: "newOrderId() (helpers.ts:2)", where: "helpers.ts:3" } }],
    },
  ],
});

typedTester.run("no-wall-clock (typed, Dapr and durable-functions)", noWallClock, {
  valid: [
    { code: daprWorkflow(`  yield ctx.callActivity("charge", ctx.getCurrentUtcDateTime().getTime());`), filename },
    { code: durableFunction(`  yield context.df.callActivity("charge", context.df.currentUtcDateTime.getTime());`), filename },
  ],
  invalid: [
    { code: daprWorkflow(`  yield ctx.callActivity("charge", clock.now());`), filename, errors: [{ messageId: "viaHelper", line: 5, column: 36, endLine: 5, endColumn: 47, data: { label: "Date.now()", why: "returns a different time on replay", advice: "use ctx.getCurrentUtcDateTime().getTime() instead", chain: "clock.now() (helpers.ts:7)", where: "helpers.ts:8" } }] },
    { code: durableFunction(`  yield context.df.callActivity("charge", clock.now());`), filename, errors: [{ messageId: "viaHelper", line: 6, column: 43, endLine: 6, endColumn: 54, data: { label: "Date.now()", why: "returns a different time on replay", advice: "use context.df.currentUtcDateTime.getTime() instead", chain: "clock.now() (helpers.ts:7)", where: "helpers.ts:8" } }] },
  ],
});

typedTester.run("no-random (typed)", noRandom, {
  valid: [{ code: orchestrator(`  yield ctx.callActivity("charge", total(prices));`), filename }],
  invalid: [
    {
      code: orchestrator(`  const id = newOrderId();
  yield ctx.callActivity("charge", { id, sum: total(prices) });`),
      filename,
      errors: [
        {
          messageId: "viaHelper", line: 5, column: 14, endLine: 5, endColumn: 26,
          data: {
            chain: "newOrderId() (helpers.ts:2)",
            label: "crypto.randomUUID()",
            where: "helpers.ts:3",
            why: "returns a new value on replay",
            advice: "use ctx.newGuid() instead",
          },
        },
      ],
    },
  ],
});

typedTester.run("no-wall-clock (typed)", noWallClock, {
  valid: [{ code: orchestrator(`  yield ctx.callActivity("charge", ctx.currentUtcDateTime.getTime());`), filename }],
  invalid: [
    {
      code: orchestrator(`  yield ctx.callActivity("charge", clock.now());`),
      filename,
      errors: [{ messageId: "viaHelper", line: 5, column: 36, endLine: 5, endColumn: 47, data: { chain: "clock.now() (helpers.ts:7)", label: "Date.now()", where: "helpers.ts:8", why: "returns a different time on replay", advice: "use ctx.currentUtcDateTime.getTime() instead" } }],
    },
  ],
});

// Packages are judged by their import unless the user opts in: then their JavaScript is walked.
// RuleTester lints with cwd at the filesystem root, so the package's path is shown from there.
const tinyglobby = path
  .relative(path.parse(tsconfigRootDir).root, fileURLToPath(new URL("../../../../node_modules/tinyglobby/dist/index.mjs", import.meta.url)))
  .split(path.sep)
  .join("/");
// tinyglobby (installed here) reads process.cwd() inside globSync → getCrawler → getOptions.
const globbing = `import type { OrchestrationContext } from "@microsoft/durabletask-js";
import { globSync } from "tinyglobby";

export async function* collect(ctx: OrchestrationContext): any {
  yield ctx.callActivity("store", globSync("*.json"));
}
`;

typedTester.run("no-environment (typed, settings.dtcheck.followPackages)", noEnvironment, {
  valid: [{ code: globbing, filename }],
  invalid: [
    {
      code: globbing,
      filename,
      settings: { dtcheck: { followPackages: ["tinyglobby"] } },
      errors: [{ messageId: "viaHelper", line: 5, column: 35, endLine: 5, endColumn: 53, data: { label: "process.cwd()", why: "reads the process the orchestrator happens to run in, which can differ between workers and on replay", advice: "use the orchestration input or an activity (yield ctx.callActivity(...)) instead", chain: `globSync() (${tinyglobby}:302) → getCrawler() (${tinyglobby}:290) → getOptions() (${tinyglobby}:274)`, where: `${tinyglobby}:277` } }],
    },
  ],
});
