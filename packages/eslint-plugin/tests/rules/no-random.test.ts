import { noRandom } from "../../src/rules/no-random.js";
import { StrictRuleTester } from "../helpers/rule-tester.js";
import { dapr, durableFunctions, durabletask } from "../helpers/sdk-code.js";

const ruleTester = new StrictRuleTester();

const NEW_VALUE = "returns a new value on replay";
const NEW_ID = "returns a new id on replay";

ruleTester.run("no-random", noRandom, {
  valid: [
    durabletask({ body: `  const id = ctx.newGuid();
  yield ctx.callActivity(sayHello, id);` }),
    durableFunctions({ body: `  const id = context.df.newGuid(context.df.instanceId);
  yield context.df.callActivity("sayHello", id);` }),
    // Name-based uuid v5/v3 and validate are deterministic; a local function *named* uuid is not the package.
    durabletask({
      top: `import { v5, validate } from "uuid";
function uuidFor(name: string) { return name.toLowerCase(); }`,
      body: `  const id = v5(input.name, "6ba7b810-9dad-11d1-80b4-00c04fd430c8");
  const ok = validate(id);
  yield ctx.callActivity(sayHello, uuidFor(id) + ok);`,
    }),
    // crypto hashing is deterministic.
    durabletask({ top: `import { createHash } from "node:crypto";`, body: `  const h = createHash("sha256").update(input.name).digest("hex");
  yield ctx.callActivity(sayHello, h);` }),
    // Random ids in an activity are fine.
    dapr({ top: `const makeId = async () => crypto.randomUUID();
runtime.registerActivity(makeId);`, body: `  const id = yield ctx.callActivity(makeId);
  yield ctx.callActivity(sayHello, id);` }),
    // Allow-listed by option.
    { code: durabletask({ body: `  const r = Math.random();
  yield ctx.callActivity(sayHello, r);` }), options: [{ allow: ["Math.random"] }] },
  ],
  invalid: [
    {
      code: durabletask({ body: `  const id = crypto.randomUUID();
  yield ctx.callActivity(sayHello, id);` }),
      errors: [
        {
          messageId: "direct", line: 5, column: 14, endLine: 5, endColumn: 33,
          data: { label: "crypto.randomUUID()", why: NEW_VALUE, advice: "use ctx.newGuid() instead" },
          suggestions: [
            {
              messageId: "suggestReplace",
              data: { replacement: "ctx.newGuid()" },
              output: durabletask({ body: `  const id = ctx.newGuid();
  yield ctx.callActivity(sayHello, id);` }),
            },
          ],
        },
      ],
    },
    {
      // uuid by import (renamed), and the durable-functions GUID API in the fix.
      code: durableFunctions({ top: `import { v4 as makeUuid } from "uuid";`, body: `  const id = makeUuid();
  yield context.df.callActivity("sayHello", id);` }),
      errors: [
        {
          messageId: "direct", line: 4, column: 14, endLine: 4, endColumn: 24,
          data: { label: 'v4() from "uuid"', why: NEW_ID, advice: "use context.df.newGuid(context.df.instanceId) instead" },
          suggestions: [
            {
              messageId: "suggestReplace",
              data: { replacement: "context.df.newGuid(context.df.instanceId)" },
              output: durableFunctions({ top: `import { v4 as makeUuid } from "uuid";`, body: `  const id = context.df.newGuid(context.df.instanceId);
  yield context.df.callActivity("sayHello", id);` }),
            },
          ],
        },
      ],
    },
    {
      // Dapr has no deterministic GUID API: no suggestion, and the advice says what to do instead.
      code: dapr({ top: `import { nanoid } from "nanoid";
import { ulid } from "ulid";`, body: `  const a = nanoid();
  const b = ulid();
  const c = Math.random();
  yield ctx.callActivity(sayHello, a + b + c);` }),
      errors: [
        { messageId: "direct", line: 6, column: 13, endLine: 6, endColumn: 21, data: { label: 'nanoid() from "nanoid"', why: NEW_ID, advice: "use an id derived from ctx.getWorkflowInstanceId() or one created in an activity (yield ctx.callActivity(...)) instead" }, suggestions: [] },
        { messageId: "direct", line: 7, column: 13, endLine: 7, endColumn: 19, data: { label: 'ulid() from "ulid"', why: NEW_ID, advice: "use an id derived from ctx.getWorkflowInstanceId() or one created in an activity (yield ctx.callActivity(...)) instead" }, suggestions: [] },
        { messageId: "direct", line: 8, column: 13, endLine: 8, endColumn: 26, data: { label: "Math.random()", why: NEW_VALUE, advice: "use an activity (yield ctx.callActivity(...)) instead" }, suggestions: [] },
      ],
    },
    {
      // The example: a chain of helpers, reported at the call in the orchestrator.
      code: durabletask({
        top: `function makeId() {
  return crypto.randomUUID();
}
const formatId = () => "order-" + makeId();`,
        body: `  const id = formatId();
  yield ctx.callActivity(sayHello, id);`,
      }),
      errors: [
        {
          messageId: "viaHelper", line: 8, column: 14, endLine: 8, endColumn: 24,
          data: { chain: "formatId() → makeId()", label: "crypto.randomUUID()", where: "line 3", why: NEW_VALUE, advice: "use ctx.newGuid() instead" },
        },
      ],
    },
    {
      // node:crypto named imports, namespace imports and destructuring all count.
      code: durabletask({
        top: `import { randomBytes } from "node:crypto";
import * as nodeCrypto from "crypto";`,
        body: `  const a = randomBytes(8).toString("hex");
  const b = nodeCrypto.randomInt(10);
  const { getRandomValues } = crypto;
  yield ctx.callActivity(sayHello, a + b);`,
      }),
      errors: [
        { messageId: "direct", line: 6, column: 13, endLine: 6, endColumn: 27, data: { label: "crypto.randomBytes()", why: NEW_VALUE, advice: "use an activity (yield ctx.callActivity(...)) instead" } },
        { messageId: "direct", line: 7, column: 13, endLine: 7, endColumn: 37, data: { label: "crypto.randomInt()", why: NEW_VALUE, advice: "use an activity (yield ctx.callActivity(...)) instead" } },
        { messageId: "direct", line: 8, column: 31, endLine: 8, endColumn: 37, data: { label: "crypto.getRandomValues()", why: NEW_VALUE, advice: "use an activity (yield ctx.callActivity(...)) instead" } },
      ],
    },
    {
      // Extra id packages through the modules option.
      code: durabletask({ top: `import shortid from "shortid";`, body: `  yield ctx.callActivity(sayHello, shortid.generate());` }),
      options: [{ modules: ["shortid"] }],
      errors: [{ messageId: "direct", line: 5, column: 36, endLine: 5, endColumn: 54, data: { label: 'shortid.generate() from "shortid"', why: NEW_ID, advice: "use ctx.newGuid() instead" } }],
    },
  ],
});
