/**
 * `dtcheck pull` through the built CLI, against a live-shaped backend in the test process: the SDK's
 * in-memory runtime served over a loopback gRPC server (port 0), and a loopback Durable Functions
 * management API. Then the pre-deploy check on what was pulled: `dtcheck drift --histories <dir>`.
 * Every refusal is one line, exit 2, and leaves no file.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveHistories, TEST_TLS, type HistoryServer } from "../../../replay-tester/tests/support/history-server.js";
import { APPS, liveTaskHub } from "../../../replay-tester/tests/support/live-task-hub.js";
import { completedOrder, inFlightOrder, serveFunctionsApi, type FunctionsApiServer } from "../../../replay-tester/tests/support/functions-api-server.js";
import { closedPort } from "../../../replay-tester/tests/support/pull-checks.js";
import { expectOneLineError, REPO, runCliAsync } from "../run-cli.js";

const DF_APPS = join(REPO, "fixtures/apps/durable-functions");
const TLS_DIR = dirname(TEST_TLS.caFile);
let grpc: HistoryServer;
let stuck: HistoryServer;
let secure: HistoryServer;
let http: FunctionsApiServer;
let dir: string;

beforeAll(async () => {
  const hub = await liveTaskHub();
  grpc = await serveHistories(hub, { token: "t0ken" });
  stuck = await serveHistories(hub, { hang: ["streamInstanceHistory"] });
  secure = await serveHistories(hub, { tls: TEST_TLS });
  http = await serveFunctionsApi([inFlightOrder("ord-1", "2026-11-30T09:00:00.000Z"), completedOrder("ord-2", "2026-11-30T09:10:00.000Z"), inFlightOrder("ord-3", "2026-11-30T09:20:00.000Z")], { code: "k3y" });
  dir = mkdtempSync(join(tmpdir(), "dtcheck-pull-cli-"));
}, 60_000);
afterAll(async () => {
  await grpc?.close();
  await stuck?.close();
  await secure?.close();
  await http?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("dtcheck pull, then dtcheck drift on what is running", () => {
  it("over gRPC: the running orders, then drift v1 → v2 against them", async () => {
    const out = join(dir, "running");
    const pull = await runCliAsync(["pull", "--host", grpc.address, "--token-env", "HUB_TOKEN", "--status", "Running", "--name", "processOrder", "--page-size", "1", "--out-dir", out], { env: { HUB_TOKEN: "t0ken" } });
    expect(pull.stderr).toBe("");
    expect(pull.stdout).toBe(
      [`pulled 2 histories from ${grpc.address} into ${out} (friendly, 3 query pages)`, `  ${join(out, "order-5120.json")}  processOrder  Running  5 events`, `  ${join(out, "order-5121.json")}  processOrder  Running  7 events`, ""].join("\n"),
    );
    expect(pull.code).toBe(0);
    const drift = (candidate: string) =>
      runCliAsync(["drift", "--baseline", join(APPS, "versioned/v1/worker.ts"), "--candidate", join(APPS, candidate, "worker.ts"), "--histories", out, "--runs", "3", "--seed", "1", "--out-dir", join(dir, "failures"), "-q"]);
    const checked = (candidate: string) => `1 orchestrator checked ${join(APPS, "versioned/v1/worker.ts")} → ${join(APPS, candidate, "worker.ts")} (3 worlds, seed 1)`;
    const gated = await drift("versioned/v2-gated");
    expect(gated.stdout.split("\n")[0]).toBe(`✔ ${checked("versioned/v2-gated")}: 1 compatible, 0 drifted; 2 histories saved, replayed on the candidate: 2 ok, 0 diverged`);
    expect(gated.stdout).toContain("processOrder: seeded from 2 saved histories");
    expect(gated.code).toBe(0);
    const ungated = await drift("versioned/v2-ungated");
    expect(ungated.stdout.split("\n").find((line) => line.startsWith("✖"))).toMatch(
      new RegExp(`^✖ ${escape(checked("versioned/v2-ungated")).replace("3 worlds", "\\d+ worlds?")}: 0 compatible, 1 drifted; 2 histories saved, replayed on the candidate: 0 ok, 2 diverged$`),
    );
    // Each pulled instance is named, with the call it recorded and the one the candidate makes instead.
    for (const id of ["order-5120", "order-5121"]) {
      expect(ungated.stdout).toContain(`${id}.json, episode 1, event #4: the history recorded activity "chargePayment" with id 2, but the code now makes activity "reserveInventory"`);
    }
    expect(ungated.code).toBe(1);
  }, 120_000);

  it("over TLS from an endpoint whose certificate a private CA signed: --ca names that CA", async () => {
    const out = join(dir, "tls");
    const pull = await runCliAsync(["pull", "--host", secure.address, "--ca", TEST_TLS.caFile, "--instance", "order-5120", "--out-dir", out]);
    expect(pull.stderr).toBe("");
    expect(pull.stdout).toBe([`pulled 1 history from ${secure.address} into ${out} (friendly)`, `  ${join(out, "order-5120.json")}  processOrder  Running  5 events`, ""].join("\n"));
    expect(pull.code).toBe(0);
    expect(readdirSync(out)).toEqual(["order-5120.json"]);
    // It went over the TLS connection: the server answered that history.
    expect(secure.calls()).toBe(1);
  }, 60_000);

  it("over HTTP from a Durable Functions app: df-http as the API sent it, then drift on the sample's versions", async () => {
    const out = join(dir, "functions");
    const pull = await runCliAsync(["pull", "--url", http.url, "--code-env", "DF_KEY", "--status", "Running,Pending", "--out-dir", out], { env: { DF_KEY: "k3y" } });
    expect(pull.stderr).toBe("");
    expect(pull.stdout).toBe(
      [`pulled 2 histories from ${http.url} into ${out} (df-http, 1 query page)`, `  ${join(out, "ord-1.json")}  processOrder  Running  8 events, 7 rebuilt`, `  ${join(out, "ord-3.json")}  processOrder  Running  8 events, 7 rebuilt`, ""].join("\n"),
    );
    expect(pull.code).toBe(0);
    const drift = (candidate: string) =>
      runCliAsync(["drift", "--baseline", join(DF_APPS, "versioned/v1/index.ts"), "--candidate", join(DF_APPS, candidate, "index.ts"), "--histories", out, "--runs", "3", "--seed", "1", "--out-dir", join(dir, "df-failures"), "-q"]);
    const gated = await drift("versioned/v2-gated");
    expect(gated.stdout).toContain("2 histories saved, replayed on the candidate: 2 ok, 0 diverged");
    // A clean verdict on df-http rests on guesses, and the report says so for each file.
    for (const file of ["ord-1.json", "ord-3.json"]) {
      expect(gated.stdout).toContain(
        `\n${join(out, file)}: replayed ok, but 7 of its 8 events were rebuilt from a lossy format (ids, episode boundaries, the order of calls scheduled together, payloads the HTTP API does not show); a lossless export (friendly, protobuf-json, df-wire) gives a verdict that rests on no guess`,
      );
    }
    expect(gated.code).toBe(0);
    const ungated = await drift("versioned/v2-ungated");
    expect(ungated.stdout).toContain("2 histories saved, replayed on the candidate: 0 ok, 2 diverged");
    expect(ungated.code).toBe(1);
  }, 120_000);
});

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("dtcheck pull refuses in one line, exit 2, and writes nothing", () => {
  const cases: [string, () => Promise<string[]>, () => string | RegExp][] = [
    ["no source", async () => ["--status", "Running"], () => "dtcheck: pass one source: --host <address> (Durable Task Scheduler, its emulator, a Dapr or durabletask sidecar) or --url <function app> (Durable Functions)"],
    ["two sources", async () => ["--host", grpc.address, "--url", http.url], () => "dtcheck: pass one source: --host <address> (Durable Task Scheduler, its emulator, a Dapr or durabletask sidecar) or --url <function app> (Durable Functions)"],
    ["an HTTP option with --host", async () => ["--host", grpc.address, "--code", "x"], () => "dtcheck: --code applies only to --url (Durable Functions)"],
    ["--instance with a query", async () => ["--host", grpc.address, "--instance", "order-5120", "--status", "Running"], () => "dtcheck: --instance names the instances; --status is for a query instead"],
    ["a token variable that is not set", async () => ["--host", grpc.address, "--token-env", "DTCHECK_NO_SUCH_TOKEN"], () => "dtcheck: --token-env DTCHECK_NO_SUCH_TOKEN: that environment variable is not set"],
    [
      "bad credentials",
      async () => ["--host", grpc.address, "--token", "stale", "--status", "Running"],
      () => `dtcheck: ${grpc.address} refused the credentials for the instance query (UNAUTHENTICATED: invalid or expired token); pass a valid --token (a bearer token for the task hub's endpoint)`,
    ],
    [
      "a refused connection",
      async () => ["--host", `127.0.0.1:${await closedPort()}`],
      () => /^dtcheck: cannot connect to 127\.0\.0\.1:\d+: connection refused; check --host, and that the sidecar, the emulator or the scheduler is running there$/,
    ],
    [
      "a backend that never answers",
      async () => ["--host", stuck.address, "--timeout", "500ms", "--instance", "order-5120"],
      () => `dtcheck: ${stuck.address} did not answer the history of "order-5120" within 500ms (--timeout); check the address, or allow more time`,
    ],
    [
      "TLS without --ca, to an endpoint a private CA signed",
      async () => ["--host", secure.address, "--tls", "--instance", "order-5120"],
      () => `dtcheck: cannot connect to ${secure.address} over TLS: its certificate was not accepted (unable to verify the first certificate); pass the CA that signed it with --ca <file.pem> (an endpoint with a private CA), or check --host`,
    ],
    [
      "a --ca that did not sign the endpoint's certificate (the endpoint's own)",
      async () => ["--host", secure.address, "--ca", join(TLS_DIR, "localhost.pem"), "--instance", "order-5120"],
      () => `dtcheck: cannot connect to ${secure.address} over TLS: its certificate was not accepted (unable to verify the first certificate); check that the --ca file holds the CA that signed the endpoint's certificate, and --host`,
    ],
    [
      "a --ca file that is not PEM",
      async () => ["--host", secure.address, "--ca", join(TLS_DIR, "README.md"), "--instance", "order-5120"],
      () => `dtcheck: ${relative(REPO, join(TLS_DIR, "README.md"))}: holds no PEM certificate (no -----BEGIN CERTIFICATE----- block); --ca takes the PEM certificate of the CA that signed the endpoint's certificate`,
    ],
    ["a --ca file that does not exist", async () => ["--host", secure.address, "--ca", join(TLS_DIR, "missing.pem"), "--instance", "order-5120"], () => `dtcheck: ${relative(REPO, join(TLS_DIR, "missing.pem"))}: no such file; check the path`],
    [
      "plaintext to a TLS endpoint",
      async () => ["--host", secure.address, "--instance", "order-5120"],
      () => `dtcheck: cannot connect to ${secure.address} (Failed to connect); check --host, and pass --tls (or --ca <file.pem>) if the endpoint uses TLS`,
    ],
    ["a wrong key", async () => ["--url", http.url, "--code", "nope"], () => `dtcheck: ${http.url} refused the key for the instance list (HTTP 401); pass the durabletask extension's system key with --code`],
    ["an unknown Functions instance", async () => ["--url", http.url, "--code", "k3y", "--instance", "ord-404"], () => `dtcheck: ${http.url} has no instance "ord-404" (HTTP 404); check --instance and --taskhub`],
  ];
  for (const [name, args, expected] of cases) {
    it(name, async () => {
      const out = join(dir, `refused-${name.replace(/\W+/g, "-")}`);
      const argv = await args();
      const run = await runCliAsync(["pull", ...argv, "--out-dir", out]);
      const line = expectOneLineError(run);
      const want = expected();
      if (typeof want === "string") expect(line).toBe(want);
      else expect(line).toMatch(want);
      expect(existsSync(out)).toBe(false);
    }, 60_000);
  }

  it("a second pull keeps the histories already there unless --force is given", async () => {
    const out = join(dir, "twice");
    const args = ["pull", "--host", grpc.address, "--token", "t0ken", "--instance", "order-5120", "user-7", "--out-dir", out];
    expect((await runCliAsync(args)).code).toBe(0);
    const again = await runCliAsync(args);
    expect(expectOneLineError(again)).toBe(`dtcheck: ${join(out, "order-5120.json")}: already exists (a friendly history); pass --force to replace it, or choose another --out-dir path`);
    const forced = await runCliAsync([...args, "--force"]);
    expect(forced.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["order-5120.json", "user-7.json"]);
  }, 60_000);
});
