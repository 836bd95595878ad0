/** Typed RuleTester cases: the same rules with type information (projectService) follow imports. */
import { fileURLToPath } from "node:url";
import path from "node:path";
import { RuleTester } from "@typescript-eslint/rule-tester";
import { noRandom } from "../../src/rules/no-random.js";
import { noWallClock } from "../../src/rules/no-wall-clock.js";
import "../helpers/rule-tester.js";

const tsconfigRootDir = fileURLToPath(new URL("../../../../fixtures/lint/typed-rule-tester/", import.meta.url));
const filename = path.join(tsconfigRootDir, "file.ts");
const typedTester = new RuleTester({ languageOptions: { parserOptions: { projectService: true, tsconfigRootDir } } });

const orchestrator = (body: string) => `import type { OrchestrationContext } from "@microsoft/durabletask-js";
import { clock, newOrderId, total } from "./helpers.js";

export async function* placeOrder(ctx: OrchestrationContext, prices: number[]): any {
${body}
}
`;

typedTester.run("no-random (typed)", noRandom, {
  valid: [{ code: orchestrator(`  yield ctx.callActivity("charge", total(prices));`), filename }],
  invalid: [
    {
      code: orchestrator(`  const id = newOrderId();\n  yield ctx.callActivity("charge", { id, sum: total(prices) });`),
      filename,
      errors: [
        {
          messageId: "viaHelper",
          line: 5,
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
      errors: [{ messageId: "viaHelper", data: { chain: "clock.now() (helpers.ts:7)", label: "Date.now()", where: "helpers.ts:8", why: "returns a different time on replay", advice: "use ctx.currentUtcDateTime.getTime() instead" } }],
    },
  ],
});
