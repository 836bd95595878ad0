import { noEnvironment } from "../../src/rules/no-environment.js";
import { StrictRuleTester } from "../helpers/rule-tester.js";
import { dapr, durableFunctions, durabletask } from "../helpers/sdk-code.js";

const ruleTester = new StrictRuleTester();

const WHY = "reads the process the orchestrator happens to run in, which can differ between workers and on replay";
const DT = "use the orchestration input or an activity (yield ctx.callActivity(...)) instead";
const DF = "use the orchestration input (context.df.getInput()) or an activity (yield context.df.callActivity(...)) instead";

ruleTester.run("no-environment", noEnvironment, {
  valid: [
    // Configuration read once at startup and passed as input is the fix.
    durabletask({ top: `const region = process.env.REGION ?? "eu";
export const startInput = { region };`, body: `  yield ctx.callActivity(sayHello, input.region);` }),
    durableFunctions({ body: `  const { region } = context.df.getInput<{ region: string }>();
  yield context.df.callActivity("sayHello", region);` }),
    // A local named process / os.
    dapr({ body: `  const process = { env: { A: "1" } };
  const os = { hostname: () => "h" };
  yield ctx.callActivity(sayHello, process.env.A + os.hostname());` }),
    { code: durabletask({ body: `  const debug = process.env.DEBUG;
  yield ctx.callActivity(sayHello, debug);` }), options: [{ allow: ["process.env"] }] },
  ],
  invalid: [
    {
      code: durabletask({ body: `  const key = process.env.API_KEY;
  const args = process.argv.slice(2);
  const dir = process.cwd();
  yield ctx.callActivity(sayHello, key + args + dir);` }),
      errors: [
        { messageId: "direct", line: 5, column: 15, endLine: 5, endColumn: 34, data: { label: "process.env", why: WHY, advice: DT } },
        { messageId: "direct", line: 6, column: 16, endLine: 6, endColumn: 37, data: { label: "process.argv", why: WHY, advice: DT } },
        { messageId: "direct", line: 7, column: 15, endLine: 7, endColumn: 28, data: { label: "process.cwd()", why: WHY, advice: DT } },
      ],
    },
    {
      code: durableFunctions({ top: `import * as os from "node:os";
import { env } from "node:process";`, body: `  const host = os.hostname();
  const stage = env.STAGE;
  yield context.df.callActivity("sayHello", host + stage);` }),
      errors: [
        { messageId: "direct", line: 5, column: 16, endLine: 5, endColumn: 29, data: { label: 'os.hostname() from "os"', why: WHY, advice: DF } },
        { messageId: "direct", line: 6, column: 17, endLine: 6, endColumn: 26, data: { label: "process.env", why: WHY, advice: DF } },
      ],
    },
    {
      code: dapr({ top: `function tenant() {
  return process.env["TENANT"] ?? "default";
}`, body: `  yield ctx.callActivity(sayHello, tenant());` }),
      errors: [{ messageId: "viaHelper", line: 7, column: 36, endLine: 7, endColumn: 44, data: { chain: "tenant()", label: "process.env", where: "line 3", why: WHY, advice: DT } }],
    },
  ],
});
