/**
 * `pullFromTaskHub` against the sidecar protocol: the SDK's own TaskHubGrpcClient talks to a
 * loopback gRPC server (port 0) that serves the in-memory runtime's instances through
 * QueryInstances and StreamInstanceHistory. Pulled histories must replay clean with dtcheck, and
 * every failure is one line naming the host.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedactor, pullFromTaskHub, readHistoryFile, replayHistories, writePulledHistories, type PullResult, type TaskHubSourceOptions } from "../../src/index.js";
import { serveHistories, TEST_TLS, type HistoryServer } from "../support/history-server.js";
import { APPS, liveTaskHub, type LiveTaskHub } from "../support/live-task-hub.js";
import { closedPort, pullFailure } from "../support/pull-checks.js";

let hub: LiveTaskHub;
let server: HistoryServer;
let dir: string;
const cwd = process.cwd();
const options = (): TaskHubSourceOptions => ({ host: server.address, timeoutMs: 10_000, cwd });

beforeAll(async () => {
  hub = await liveTaskHub();
  server = await serveHistories(hub);
  dir = mkdtempSync(join(tmpdir(), "dtcheck-pull-"));
}, 60_000);
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const summary = (result: PullResult) => result.histories.map((h) => `${h.instanceId} ${h.name} ${h.status} ${h.history.events.length}`);

describe("pulling from a task hub over gRPC with the SDK's client", () => {
  it("a status query, page by page, then each history", async () => {
    const before = server.queries().length;
    const result = await pullFromTaskHub(options(), { statuses: ["Running"], pageSize: 2 });
    expect(summary(result)).toEqual(["order-5120 processOrder Running 5", "exp/1042 expenseApproval Running 5", "order-5121 processOrder Running 7"]);
    expect(result.pages).toBe(2);
    expect(server.queries().slice(before)).toEqual([{ pageSize: 2, continuationToken: undefined }, { pageSize: 2, continuationToken: "2" }]);
    // What the pulled history holds is what the runtime committed (one orchestratorStarted per execution there): validateOrder done, chargePayment waiting.
    const order = result.histories[0]!.history.events.map((e) => e.kind + ("name" in e && e.kind !== "executionStarted" ? ` ${e.name}` : ""));
    expect(order).toEqual(["orchestratorStarted", "executionStarted", "taskScheduled validateOrder", "taskCompleted", "taskScheduled chargePayment"]);
    const started = result.histories[0]!.history.events[1]!;
    expect(started.kind === "executionStarted" && started.version).toBe("1.0.0");
  });

  it("a name filter (case-insensitive, on the client), a creation-time bound and a limit", async () => {
    expect(summary(await pullFromTaskHub(options(), { names: ["PROCESSORDER"] })).map((s) => s.split(" ")[0])).toEqual(["order-5120", "order-5121"]);
    const [, second] = hub.listInstances();
    const early = await pullFromTaskHub(options(), { createdTo: new Date(second!.createdAt.getTime() - 1) });
    expect(early.histories.map((h) => h.instanceId)).toEqual(["order-5120"]);
    const late = await pullFromTaskHub(options(), { createdFrom: second!.createdAt, limit: 2 });
    expect(late.histories.map((h) => h.instanceId)).toEqual(["exp/1042", "user-7"]);
    expect(summary(await pullFromTaskHub(options(), { statuses: ["Completed"] }))).toEqual(["user-7 onboardUser Completed 9"]);
  });

  it("instances by id, with the taskhub header and the token sent on every call", async () => {
    const before = server.metadata().length;
    const result = await pullFromTaskHub({ ...options(), taskHub: "orders", token: "t0ken" }, { instanceIds: ["user-7", "exp/1042"] });
    expect(summary(result)).toEqual(["user-7 onboardUser Completed 9", "exp/1042 expenseApproval Running 5"]);
    expect(result.pages).toBe(0);
    const sent = server.metadata().slice(before);
    expect(sent.map((m) => `${m["taskhub"]} ${m["authorization"]}`)).toEqual(["orders Bearer t0ken", "orders Bearer t0ken"]);
  });

  it("over TLS with a private CA (caFile): the same histories as over plaintext, and Node's emitWarning is left as it was", async () => {
    const secure = await serveHistories(hub, { tls: TEST_TLS });
    try {
      const emitWarning = process.emitWarning;
      const overTls = await pullFromTaskHub({ ...options(), host: secure.address, caFile: TEST_TLS.caFile }, { instanceIds: ["order-5120", "user-7"] });
      expect(process.emitWarning).toBe(emitWarning);
      expect(secure.calls()).toBe(2);
      const plain = await pullFromTaskHub(options(), { instanceIds: ["order-5120", "user-7"] });
      expect(overTls.histories.map((h) => h.history.events)).toEqual(plain.histories.map((h) => h.history.events));
      expect(summary(overTls)).toEqual(["order-5120 processOrder Running 5", "user-7 onboardUser Completed 9"]);
      // localhost is in the certificate too (DNS name, not IP).
      const byName = await pullFromTaskHub({ ...options(), host: secure.address.replace("127.0.0.1", "localhost"), caFile: TEST_TLS.caFile }, { instanceIds: ["user-7"] });
      expect(summary(byName)).toEqual(["user-7 onboardUser Completed 9"]);
    } finally {
      await secure.close();
    }
  });

  it("written into a directory, the pulled histories replay clean on the code that runs them", async () => {
    const out = join(dir, "clean");
    const pulled = await pullFromTaskHub(options(), { names: ["processOrder"] });
    const written = writePulledHistories(pulled.histories, { outDir: out });
    expect(written.written.map((w) => `${w.file.slice(out.length + 1)} ${w.format} ${w.events}`)).toEqual(["order-5120.json friendly 5", "order-5121.json friendly 7"]);
    expect(written.notes).toEqual([]);
    const replay = await replayHistories(out, { module: join(APPS, "versioned/v1/worker.ts"), strict: true });
    expect(replay.results.map((r) => `${r.file?.slice(out.length + 1)} ${r.status}`)).toEqual(["order-5120.json ok", "order-5121.json ok"]);
    // One event per line, as the export-history package writes it.
    const lines = writePulledHistories(pulled.histories, { outDir: join(dir, "jsonl"), jsonl: true });
    expect(lines.written.map((w) => `${w.file.slice(join(dir, "jsonl").length + 1)} ${w.events}`)).toEqual(["order-5120.jsonl 5", "order-5121.jsonl 7"]);
    expect(readFileSync(join(dir, "jsonl", "order-5120.jsonl"), "utf8").trim().split("\n")).toHaveLength(5);
    expect((await replayHistories(join(dir, "jsonl"), { module: join(APPS, "versioned/v1/worker.ts"), strict: true })).ok).toBe(2);
    // The same in every lossless format.
    for (const format of ["protobuf-json", "df-wire"] as const) {
      const again = writePulledHistories(pulled.histories, { outDir: join(dir, format), format });
      expect((await replayHistories(join(dir, format), { module: join(APPS, "versioned/v1/worker.ts"), strict: true })).ok).toBe(2);
      expect(again.written.map((w) => w.format)).toEqual([format, format]);
    }
  });

  it("--redact hashes every payload string and keeps what replay compares", async () => {
    const out = join(dir, "redacted");
    const pulled = await pullFromTaskHub(options(), { instanceIds: ["exp/1042", "order-5121"] });
    writePulledHistories(pulled.histories, { outDir: out, redact: createRedactor("fixed key") });
    expect(readdirSync(out).sort()).toEqual(["exp%2F1042.json", "order-5121.json"]);
    const text = readFileSync(join(out, "exp%2F1042.json"), "utf8");
    for (const secret of ["ada@example.com", "grace@example.com", "exp-1042"]) expect(text).not.toContain(secret);
    const redacted = await readHistoryFile(join(out, "exp%2F1042.json"));
    const original = pulled.histories[0]!.history;
    // Same kinds, ids, names, timestamps; the input keeps its shape and numbers.
    expect(redacted.events.map((e) => [e.kind, e.eventId, e.timestamp, "name" in e ? e.name : ""])).toEqual(original.events.map((e) => [e.kind, e.eventId, e.timestamp, "name" in e ? e.name : ""]));
    const input = redacted.events.find((e) => e.kind === "executionStarted")!;
    const key = createRedactor("fixed key");
    expect(input.kind === "executionStarted" && JSON.parse(input.input!)).toEqual({
      id: key.value("exp-1042"),
      employee: key.value("ada@example.com"),
      manager: key.value("grace@example.com"),
      amountCents: 48900,
    });
    expect(key.value("exp-1042")).toMatch(/^redacted:[0-9a-f]{16}$/);
    expect(createRedactor("another key").value("exp-1042")).not.toBe(key.value("exp-1042"));
    expect((await replayHistories(join(out, "order-5121.json"), { module: join(APPS, "versioned/v1/worker.ts") })).ok).toBe(1);
    expect((await replayHistories(join(out, "exp%2F1042.json"), { module: join(APPS, "approval/worker.ts") })).ok).toBe(1);
  });
});

describe("a pull that cannot be done is one line naming the host, and writes nothing", () => {
  it("bad credentials", async () => {
    const guarded = await serveHistories(hub, { token: "the right one" });
    try {
      expect(await pullFailure(pullFromTaskHub({ ...options(), host: guarded.address, token: "stale" }, { statuses: ["Running"] }))).toBe(
        `${guarded.address} refused the credentials for the instance query (UNAUTHENTICATED: invalid or expired token); pass a valid --token (a bearer token for the task hub's endpoint)`,
      );
      expect(await pullFailure(pullFromTaskHub({ ...options(), host: guarded.address }, { instanceIds: ["order-5120"] }))).toBe(
        `${guarded.address} refused the credentials for the history of "order-5120" (UNAUTHENTICATED: invalid or expired token); pass a valid --token (a bearer token for the task hub's endpoint)`,
      );
      // The right token works against the same server.
      expect((await pullFromTaskHub({ ...options(), host: guarded.address, token: "the right one" }, { instanceIds: ["order-5120"] })).histories).toHaveLength(1);
    } finally {
      await guarded.close();
    }
  });

  it("a refused connection", async () => {
    const port = await closedPort();
    expect(await pullFailure(pullFromTaskHub({ ...options(), host: `127.0.0.1:${port}` }, {}))).toBe(
      `cannot connect to 127.0.0.1:${port}: connection refused; check --host, and that the sidecar, the emulator or the scheduler is running there`,
    );
  });

  it("a backend that never answers", async () => {
    const stuck = await serveHistories(hub, { hang: ["streamInstanceHistory", "queryInstances"] });
    try {
      expect(await pullFailure(pullFromTaskHub({ ...options(), host: stuck.address, timeoutMs: 300 }, { instanceIds: ["order-5120"] }))).toBe(
        `${stuck.address} did not answer the history of "order-5120" within 300ms (--timeout); check the address, or allow more time`,
      );
      expect(await pullFailure(pullFromTaskHub({ ...options(), host: stuck.address, timeoutMs: 1000 }, {}))).toBe(
        `${stuck.address} did not answer the instance query within 1s (--timeout); check the address, or allow more time`,
      );
    } finally {
      await stuck.close();
    }
  });

  it("a sidecar without instance queries, an unknown instance, a host that is not an address, TLS against a plain port", async () => {
    const historyOnly = await serveHistories({ getInstance: (id) => hub.getInstance(id) });
    try {
      expect(await pullFailure(pullFromTaskHub({ ...options(), host: historyOnly.address }, { statuses: ["Running"] }))).toBe(
        `${historyOnly.address} does not support the instance query (UNIMPLEMENTED); name the instances with --instance <id>, or use a newer sidecar`,
      );
    } finally {
      await historyOnly.close();
    }
    expect(await pullFailure(pullFromTaskHub(options(), { instanceIds: ["order-9999"] }))).toBe(
      `${server.address} has no instance "order-9999" (its history came back empty); check --instance, and pass --taskhub when the backend has several`,
    );
    expect(await pullFailure(pullFromTaskHub({ ...options(), host: "localhost" }, {}))).toBe(
      `--host "localhost" is not an address; use host:port (e.g. localhost:4001 for a sidecar, localhost:8080 for the emulator) or https://<scheduler endpoint>`,
    );
    // A plaintext port answers the TLS ClientHello with HTTP/2 bytes, which OpenSSL reads as a wrong record version.
    expect(await pullFailure(pullFromTaskHub({ ...options(), tls: true }, { instanceIds: ["order-5120"] }))).toBe(
      `cannot connect to ${server.address} (TLS handshake failed: wrong version number); check --host, and whether the endpoint uses TLS at all (a local sidecar or emulator usually does not: drop --tls / --ca)`,
    );
  });

  it("nothing is written when one target is refused, and --force replaces only histories", async () => {
    const out = join(dir, "refused");
    const pulled = await pullFromTaskHub(options(), { names: ["processOrder"] });
    writePulledHistories(pulled.histories.slice(1), { outDir: out });
    writeFileSync(join(out, "notes.json"), "{}");
    expect(() => writePulledHistories(pulled.histories, { outDir: out })).toThrow(
      `${join(out, "order-5121.json")}: already exists (a friendly history); pass --force to replace it, or choose another --out-dir path`,
    );
    expect(readdirSync(out).sort()).toEqual(["notes.json", "order-5121.json"]);
    expect(writePulledHistories(pulled.histories, { outDir: out, force: true }).written.map((w) => w.instanceId)).toEqual(["order-5120", "order-5121"]);
    expect(readdirSync(out).sort()).toEqual(["notes.json", "order-5120.json", "order-5121.json"]);
  });
});
