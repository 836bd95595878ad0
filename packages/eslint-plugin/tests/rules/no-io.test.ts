import { noIo } from "../../src/rules/no-io.js";
import { StrictRuleTester } from "../helpers/rule-tester.js";
import { dapr, durableFunctions, durabletask } from "../helpers/sdk-code.js";

const ruleTester = new StrictRuleTester();

const IO = "talks to the outside world, which can answer differently (or fail) on replay";
const DT_ADVICE = "use an activity (yield ctx.callActivity(...)) instead";
const DF_ADVICE = "use an activity (yield context.df.callActivity(...)) instead";

ruleTester.run("no-io", noIo, {
  valid: [
    // I/O in an activity, called by name or reference.
    durabletask({
      top: `async function download(_: ActivityContext, url: string) { return (await fetch(url)).text(); }
worker.addActivity(download);`,
      body: `  const page = yield ctx.callActivity(download, input.url);
  return page;`,
    }),
    durableFunctions({
      top: `import axios from "axios";
df.app.activity("getRate", { handler: async (c: string) => (await axios.get("https://rates/" + c)).data });`,
      body: `  const rate = yield context.df.callActivity("getRate", "EUR");
  return rate;`,
    }),
    // Dapr: the HTTP call is in an activity registered on the runtime; the workflow yields it.
    dapr({
      top: `const lookUp = async (_: WorkflowActivityContext, sku: string) => (await fetch("https://stock/" + sku)).json();
runtime.registerActivity(lookUp);`,
      body: `  const stock = yield ctx.callActivity(lookUp, input.sku);
  yield ctx.callActivity(sayHello, String(stock));`,
    }),
    // callHttp is the durable HTTP API.
    durableFunctions({ body: `  const res = yield context.df.callHttp({ method: "GET", url: "https://example.com" });
  return res.statusCode;` }),
    // A local function named fetch is not the global.
    durabletask({ body: `  const fetch = (key: string) => input.cache[key];
  const v = fetch("a");
  yield ctx.callActivity(sayHello, v);` }),
    // Pure libraries are not I/O; @azure/functions is the host API, not a client.
    durabletask({
      top: `import _ from "lodash";
import { format } from "date-fns";
import { app } from "@azure/functions";`,
      body: `  const names = _.sortBy(input.names);
  const label = format(ctx.currentUtcDateTime, "yyyy-MM-dd");
  yield ctx.callActivity(sayHello, names.join(",") + label);`,
    }),
    // Type-only imports never run.
    durabletask({ top: `import type { Pool } from "pg";`, body: `  const p: Pool | undefined = undefined;
  yield ctx.callActivity(sayHello, String(p));` }),
    // I/O at module level (outside the orchestrator).
    durabletask({ top: `import { readFileSync } from "node:fs";
const config = JSON.parse(readFileSync("config.json", "utf8"));`, body: `  yield ctx.callActivity(sayHello, input.name);` }),
    // Allow-list by module.
    { code: durabletask({ top: `import axios from "axios";`, body: `  yield ctx.callActivity(sayHello, String(axios.isAxiosError(input)));` }), options: [{ allow: ["axios"] }] },
  ],
  invalid: [
    {
      code: durabletask({ body: `  const res = await fetch(input.url);
  yield ctx.callActivity(sayHello, res.status);` }),
      errors: [{ messageId: "direct", line: 5, column: 21, endLine: 5, endColumn: 37, data: { label: "fetch()", why: IO, advice: DT_ADVICE } }],
    },
    {
      code: durableFunctions({
        top: `import { readFile } from "node:fs/promises";
import * as https from "https";`,
        body: `  const cfg = readFile("cfg.json");
  https.get("https://example.com");
  yield context.df.callActivity("sayHello", cfg);`,
      }),
      errors: [
        { messageId: "direct", line: 5, column: 15, endLine: 5, endColumn: 35, data: { label: 'readFile() from "fs/promises"', why: IO, advice: DF_ADVICE } },
        { messageId: "direct", line: 6, column: 3, endLine: 6, endColumn: 35, data: { label: 'https.get() from "https"', why: IO, advice: DF_ADVICE } },
      ],
    },
    {
      // A client created at module level stays I/O; cloud SDK scopes by prefix; Dapr's own client.
      code: dapr({
        top: `import { Pool } from "pg";
import { BlobServiceClient } from "@azure/storage-blob";
import { DaprClient } from "@dapr/dapr";
const pool = new Pool();`,
        body: `  const rows = pool.query("select 1");
  const blob = BlobServiceClient.fromConnectionString(input.cs);
  const client = new DaprClient();
  yield ctx.callActivity(sayHello, rows);`,
      }),
      errors: [
        { messageId: "direct", line: 8, column: 16, endLine: 8, endColumn: 38, data: { label: 'pool.query() on a "pg" client', why: IO, advice: DT_ADVICE } },
        { messageId: "direct", line: 9, column: 16, endLine: 9, endColumn: 64, data: { label: 'BlobServiceClient() from "@azure/storage-blob"', why: IO, advice: DT_ADVICE } },
        { messageId: "direct", line: 10, column: 18, endLine: 10, endColumn: 34, data: { label: 'DaprClient() from "@dapr/dapr"', why: IO, advice: DT_ADVICE } },
      ],
    },
    {
      // Followed into a helper; CommonJS require counts like an import.
      code: durabletask({
        top: `const got = require("got");
async function loadUser(id: string) {
  return got("https://users/" + id).json();
}`,
        body: `  const user = loadUser(input.id);
  yield ctx.callActivity(sayHello, user);`,
      }),
      errors: [{ messageId: "viaHelper", line: 8, column: 16, endLine: 8, endColumn: 34, data: { chain: "loadUser()", label: 'got() from "got"', where: "line 4", why: IO, advice: DT_ADVICE } }],
    },
    {
      // Extra client packages: rule option and shared settings.
      code: durabletask({ top: `import { call } from "@acme/billing";
import { track } from "@acme/analytics";`, body: `  call(input);
  track("x");
  yield ctx.callActivity(sayHello, "x");` }),
      options: [{ modules: ["@acme/billing"] }],
      settings: { dtcheck: { ioModules: ["@acme/analytics"] } },
      errors: [
        { messageId: "direct", line: 6, column: 3, endLine: 6, endColumn: 14, data: { label: 'call() from "@acme/billing"', why: IO, advice: DT_ADVICE } },
        { messageId: "direct", line: 7, column: 3, endLine: 7, endColumn: 13, data: { label: 'track() from "@acme/analytics"', why: IO, advice: DT_ADVICE } },
      ],
    },
    {
      // Functions the user declared non-deterministic in settings.
      code: durabletask({ top: `import { loadFlags } from "./flags.js";`, body: `  const flags = loadFlags();
  yield ctx.callActivity(sayHello, flags);` }),
      settings: { dtcheck: { nondeterministic: ["./flags.js#loadFlags"] } },
      errors: [{ messageId: "direct", line: 5, column: 17, endLine: 5, endColumn: 28, data: { label: "loadFlags()", why: "is declared non-deterministic in settings.dtcheck.nondeterministic", advice: DT_ADVICE } }],
    },
  ],
});
