/**
 * `pullFromFunctionsApp` against a loopback HTTP server answering the Durable Functions management
 * API's documented shapes: the instance list page by page (continuation tokens in headers), each
 * instance with showHistory, the key as `code`. Pulled histories replay clean on the
 * durable-functions sample, and every failure is one line that never repeats the key.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedactor, parseFunctionsUrl, pullFromFunctionsApp, replayHistories, writePulledHistories, type FunctionsSourceOptions } from "../../src/index.js";
import { completedOrder, inFlightOrder, serveFunctionsApi, type FunctionsApiServer, type InstanceStatus } from "../support/functions-api-server.js";
import { closedPort, pullFailure } from "../support/pull-checks.js";

const V1 = fileURLToPath(new URL("../../../../fixtures/apps/durable-functions/versioned/v1/index.ts", import.meta.url));
const INSTANCES: InstanceStatus[] = [
  inFlightOrder("ord-1", "2026-11-30T09:00:00.000Z"),
  completedOrder("ord-2", "2026-11-30T09:10:00.000Z"),
  inFlightOrder("ord-3", "2026-11-30T09:20:00.000Z"),
  { ...inFlightOrder("inv-1", "2026-11-30T09:30:00.000Z"), name: "sendInvoice" },
  inFlightOrder("ord-4", "2026-11-30T09:40:00.000Z"),
];
const KEY = "s3cret-system-key";

let api: FunctionsApiServer;
let dir: string;
const options = (): FunctionsSourceOptions => ({ url: api.url, code: KEY, timeoutMs: 10_000 });

beforeAll(async () => {
  api = await serveFunctionsApi(INSTANCES, { code: KEY });
  dir = mkdtempSync(join(tmpdir(), "dtcheck-pull-df-"));
});
afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("pulling from a Durable Functions app through its HTTP management API", () => {
  it("lists Running instances page by page, filters by name, then reads each history", async () => {
    const before = api.requests().length;
    const result = await pullFromFunctionsApp(options(), { statuses: ["Running"], names: ["processorder"], pageSize: 2 });
    expect(result.histories.map((h) => `${h.instanceId} ${h.name} ${h.status} ${h.format} ${h.history.events.length}`)).toEqual([
      "ord-1 processOrder Running df-http 8",
      "ord-3 processOrder Running df-http 8",
      "ord-4 processOrder Running df-http 8",
    ]);
    expect(result.pages).toBe(2);
    expect(api.requests().slice(before)).toEqual([
      "/runtime/webhooks/durabletask/instances?code=***&runtimeStatus=Running&top=2&showInput=false",
      `/runtime/webhooks/durabletask/instances?code=***&runtimeStatus=Running&top=2&showInput=false [${Buffer.from("2").toString("base64")}]`,
      "/runtime/webhooks/durabletask/instances/ord-1?code=***&showHistory=true&showHistoryOutput=true&showInput=true",
      "/runtime/webhooks/durabletask/instances/ord-3?code=***&showHistory=true&showHistoryOutput=true&showInput=true",
      "/runtime/webhooks/durabletask/instances/ord-4?code=***&showHistory=true&showHistoryOutput=true&showInput=true",
    ]);
    // The rebuilt events are recorded as guesses: both episodes' boundaries, validateOrder's scheduling, the input and the version, the pending call's id.
    expect(result.histories[0]!.history.reconstructions?.map((r) => r.eventIndex)).toEqual([0, 1, 1, 2, 3, 4, 6, 7]);
  });

  it("a creation-time window, an id prefix, a limit; an instance's status URL as --url", async () => {
    const window = await pullFromFunctionsApp(options(), { createdFrom: new Date("2026-11-30T09:05:00Z"), createdTo: new Date("2026-11-30T09:35:00Z") });
    expect(window.histories.map((h) => h.instanceId)).toEqual(["ord-2", "ord-3", "inv-1"]);
    expect((await pullFromFunctionsApp(options(), { instanceIdPrefix: "ord-", limit: 3 })).histories.map((h) => h.instanceId)).toEqual(["ord-1", "ord-2", "ord-3"]);
    const statusUrl = `${api.url}/runtime/webhooks/durabletask/instances/ord-2?taskHub=TestHub&connection=Storage&code=${KEY}`;
    const one = await pullFromFunctionsApp({ url: statusUrl, timeoutMs: 10_000 }, {});
    expect(one.histories.map((h) => `${h.instanceId} ${h.status}`)).toEqual(["ord-2 Completed"]);
    expect(api.requests().at(-1)).toBe("/runtime/webhooks/durabletask/instances/ord-2?taskHub=TestHub&connection=Storage&code=***&showHistory=true&showHistoryOutput=true&showInput=true");
    expect(parseFunctionsUrl({ url: "https://app.azurewebsites.net/", code: "k", taskHub: "Hub" })).toEqual({
      base: "https://app.azurewebsites.net/runtime/webhooks/durabletask",
      label: "https://app.azurewebsites.net",
      params: new URLSearchParams({ code: "k", taskHub: "Hub" }),
      instanceId: undefined,
    });
  });

  it("reads the history under `history` as well as the documented `historyEvents`", async () => {
    const other = await serveFunctionsApi(INSTANCES, { historyField: "history" });
    try {
      const result = await pullFromFunctionsApp({ url: other.url, timeoutMs: 10_000 }, { instanceIds: ["ord-2"] });
      expect(result.histories.map((h) => `${h.instanceId} ${h.status} ${h.history.events.length}`)).toEqual(["ord-2 Completed 16"]);
    } finally {
      await other.close();
    }
  });

  it("writes the API's own answer as df-http, which replays clean on the durable-functions app", async () => {
    const out = join(dir, "clean");
    const pulled = await pullFromFunctionsApp(options(), { instanceIdPrefix: "ord-" });
    const written = writePulledHistories(pulled.histories, { outDir: out });
    expect(written.written.map((w) => `${w.file.slice(out.length + 1)} ${w.format} ${w.status}`)).toEqual(["ord-1.json df-http Running", "ord-2.json df-http Completed", "ord-3.json df-http Running", "ord-4.json df-http Running"]);
    expect(written.notes).toEqual([]);
    expect(JSON.parse(readFileSync(join(out, "ord-1.json"), "utf8"))).toEqual(INSTANCES[0]);
    const replay = await replayHistories(out, { module: V1 });
    expect(replay.results.map((r) => `${r.file?.slice(out.length + 1)} ${r.status}`)).toEqual(["ord-1.json ok", "ord-2.json ok", "ord-3.json ok", "ord-4.json ok"]);
    // Every event but the ones the API lists as they were (completions, the completed status) is a guess, and the result says how many.
    expect(replay.results.map((r) => `${r.rebuilt} of ${r.events}`)).toEqual(["7 of 8", "12 of 16", "7 of 8", "7 of 8"]);
    // Written as a lossless format, the guesses are no longer marked: said once per file.
    const converted = writePulledHistories(pulled.histories.slice(0, 1), { outDir: join(dir, "converted"), format: "protobuf-json" });
    expect(converted.notes).toEqual([
      `${join(dir, "converted", "ord-1.json")}: 7 events were rebuilt from the lossy df-http answer; the protobuf-json file no longer marks them as guesses (keep --format df-http to have replay reports say so)`,
    ]);
    expect((await replayHistories(join(dir, "converted"), { module: V1 })).ok).toBe(1);
  });

  it("--redact hashes the API's payloads and the history still replays", async () => {
    const out = join(dir, "redacted");
    const pulled = await pullFromFunctionsApp(options(), { instanceIds: ["ord-2"] });
    writePulledHistories(pulled.histories, { outDir: out, redact: createRedactor("k") });
    const text = readFileSync(join(out, "ord-2.json"), "utf8");
    for (const secret of ["KB-65-ISO", "ch_ord-2", "ship_ord-2"]) expect(text).not.toContain(secret);
    const status = JSON.parse(text) as InstanceStatus;
    const key = createRedactor("k");
    expect(status.input).toEqual({ orderId: key.value("ord-2"), sku: key.value("KB-65-ISO"), quantity: 1, amountCents: 4900 });
    expect((status.historyEvents as { FunctionName?: string; Result?: unknown }[]).map((e) => `${e.FunctionName ?? ""} ${JSON.stringify(e.Result ?? null)}`)).toEqual([
      "processOrder null",
      "validateOrder true",
      `chargePayment ${JSON.stringify(key.value("ch_ord-2"))}`,
      `shipOrder ${JSON.stringify(key.value("ship_ord-2"))}`,
      ` ${JSON.stringify(key.value({ status: "shipped", chargeId: "ch_ord-2", shipmentId: "ship_ord-2" }))}`,
    ]);
    expect(readdirSync(out)).toEqual(["ord-2.json"]);
    expect((await replayHistories(out, { module: V1 })).ok).toBe(1);
  });
});

describe("a pull from a Functions app that cannot be done is one line, without the key", () => {
  it("a wrong or missing key", async () => {
    expect(await pullFailure(pullFromFunctionsApp({ ...options(), code: "wrong" }, {}), KEY)).toBe(
      `${api.url} refused the key for the instance list (HTTP 401); pass the durabletask extension's system key with --code`,
    );
    expect(await pullFailure(pullFromFunctionsApp({ ...options(), code: undefined }, { instanceIds: ["ord-1"] }), KEY)).toBe(
      `${api.url} refused the key for the history of "ord-1" (HTTP 401); pass the durabletask extension's system key with --code`,
    );
  });

  it("a refused connection, a server that never answers, an unknown instance, a URL that is no Functions app", async () => {
    const port = await closedPort();
    expect(await pullFailure(pullFromFunctionsApp({ ...options(), url: `http://127.0.0.1:${port}` }, {}), KEY)).toBe(
      `cannot connect to http://127.0.0.1:${port}: connection refused; check --url, and that the function app is running there`,
    );
    const stuck = await serveFunctionsApi(INSTANCES, { hang: true });
    try {
      expect(await pullFailure(pullFromFunctionsApp({ url: stuck.url, code: KEY, timeoutMs: 300 }, { instanceIds: ["ord-1"] }), KEY)).toBe(
        `${stuck.url} did not answer the history of "ord-1" within 300ms (--timeout); check the address, or allow more time`,
      );
    } finally {
      await stuck.close();
    }
    expect(await pullFailure(pullFromFunctionsApp(options(), { instanceIds: ["ord-404"] }), KEY)).toBe(`${api.url} has no instance "ord-404" (HTTP 404); check --instance and --taskhub`);
    expect(await pullFailure(pullFromFunctionsApp({ ...options(), url: `${api.url}/api` }, {}), KEY)).toBe(
      `${api.url}/api has no Durable Functions management API (HTTP 404 for /runtime/webhooks/durabletask/instances); check --url (the function app's base URL) and --taskhub`,
    );
    expect(await pullFailure(pullFromFunctionsApp({ ...options(), url: "localhost:7071" }, {}), KEY)).toBe(`--url "localhost:7071" must be an http:// or https:// URL of the function app`);
  });
});
