// The sample apps' golden histories (fixtures/apps/**/histories, written by scripts/record-goldens.mjs):
// they replay on their apps in every format, they are up to date with the apps, the buggy twins the
// README says replay catches diverge on them exactly, and v1 goldens replay on v2-gated but not v2-ungated.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import * as api from "../../src/index.js";
import type { Divergence, History, HistoryFormat, ReplayResult } from "../../src/index.js";
import {
  APPS_DIR,
  DF_HTTP_UNREPLAYABLE,
  NOT_RECORDED,
  NO_DF_WIRE,
  goldenApps,
  goldenFile,
  goldenFormats,
  recordApp,
} from "../../../../scripts/record-goldens.mjs";

interface App {
  id: string;
  sdk: string;
  dir: string;
  module: string;
  version?: string;
}

const RERECORD = "run `npm run build && node scripts/record-goldens.mjs` and commit fixtures/apps/**/histories";
const REPO = fileURLToPath(new URL("../../../../", import.meta.url));
const apps = (goldenApps() as App[]).filter((app) => !(app.id in NOT_RECORDED));
const appById = (id: string): App => apps.find((app) => app.id === id) ?? (goldenApps() as App[]).find((app) => app.id === id)!;

/** The files in an app's histories folder (none when it has not been recorded yet). */
const goldenFiles = (app: App): string[] => {
  const dir = join(app.dir, "histories");
  return existsSync(dir) ? readdirSync(dir).map((name) => join(dir, name)) : [];
};

/** Each app recorded once, in memory, exactly as the script records it. */
const recorded = new Map<string, { orchestrator: string; history: History }[]>();
beforeAll(async () => {
  for (const app of apps) recorded.set(app.id, await recordApp(api, app));
}, 60_000);

async function replayFile(file: string, module: string, options: api.ReplayOptions = {}): Promise<ReplayResult> {
  const history = await api.readHistoryFile(file);
  const loaded = await api.loadModule(module);
  const name = api.executionStarted(history)?.name;
  return api.replayHistory(history, api.pickOrchestrator(loaded, name), { ...options, validated: true });
}

/** The parts of a divergence a reader checks: where, and which call was expected and produced. */
function summary(result: ReplayResult) {
  const d: Divergence | undefined = result.divergence;
  return {
    status: result.status,
    error: result.error,
    reason: d?.reason,
    episode: d?.episode,
    eventIndex: d?.eventIndex,
    expected: d?.expected && { kind: d.expected.kind, name: d.expected.name, id: d.expected.id },
    produced: d?.produced && {
      kind: d.produced.kind,
      name: d.produced.name,
      id: d.produced.id,
      at: d.produced.location && `${d.produced.location.file.slice(REPO.length)}:${d.produced.location.line}`,
      failure: d.produced.failure?.errorMessage,
    },
  };
}

const losslessFormats = (app: App): HistoryFormat[] => goldenFormats(api, app).filter((format: HistoryFormat) => format !== "df-http");

describe("golden histories of the sample apps", () => {
  it("covers every good app of every SDK", () => {
    expect(apps.map((app) => app.id)).toEqual([
      "dapr/approval",
      "dapr/chaining",
      "dapr/newsletter",
      "durable-functions/approval",
      "durable-functions/chaining",
      "durable-functions/entity-counter",
      "durable-functions/eternal",
      "durable-functions/monitor",
      "durable-functions/newsletter",
      "durable-functions/retry",
      "durable-functions/saga",
      "durable-functions/sub-orchestrations",
      "durable-functions/versioned/v1",
      "durable-functions/versioned/v2-gated",
      "durable-functions/versioned/v2-ungated",
      "durabletask/approval",
      "durabletask/chaining",
      "durabletask/entity-counter",
      "durabletask/eternal",
      "durabletask/monitor",
      "durabletask/newsletter",
      "durabletask/retry",
      "durabletask/saga",
      "durabletask/sub-orchestrations",
      "durabletask/versioned/v1",
      "durabletask/versioned/v2-gated",
      "durabletask/versioned/v2-ungated",
    ]);
  });

  it.each(apps.map((app) => [app.id, app] as const))("%s: the committed goldens are what recording gives now", (_id, app) => {
    const expected = new Set<string>();
    for (const { orchestrator, history } of recorded.get(app.id)!) {
      for (const format of goldenFormats(api, app)) {
        const file = goldenFile(app, orchestrator, format);
        expected.add(file);
        const committed = existsSync(file) ? readFileSync(file, "utf8") : "(missing)";
        expect(committed, `${file.slice(REPO.length)} is out of date with the app; ${RERECORD}`).toBe(api.writeHistory(history, format));
      }
    }
    expect(goldenFiles(app).filter((file) => !expected.has(file)), `stale goldens; ${RERECORD}`).toEqual([]);
  });

  it.each(apps.map((app) => [app.id, app] as const))("%s: every golden replays ok (strictly, for the lossless formats)", async (_id, app) => {
    const files = goldenFiles(app);
    expect(files.length, `${app.id} has no goldens; ${RERECORD}`).toBeGreaterThan(0);
    for (const file of files) {
      const name = file.slice(app.dir.length + 1);
      const result = await replayFile(file, app.module, { strict: !name.endsWith(".df-http.json") });
      expect({ name, status: result.status, problem: result.error ?? result.divergence?.message }).toEqual({ name, status: "ok", problem: undefined });
    }
  });

  it("stamps the version the app's worker or host.json declares", () => {
    const started = (id: string) => api.executionStarted(recorded.get(id)![0]!.history);
    expect(started("durabletask/versioned/v1")?.version).toBe("1.0.0");
    expect(started("durabletask/versioned/v2-gated")?.version).toBe("2.0.0");
    expect(started("durable-functions/versioned/v1")?.version).toBe("1.0");
    expect(started("durabletask/chaining")?.version).toBeUndefined();
  });

  it("records a sub-orchestration from the input and instance id its parent scheduled", () => {
    for (const id of ["durabletask/sub-orchestrations", "durable-functions/sub-orchestrations"]) {
      const byName = new Map(recorded.get(id)!.map((r) => [r.orchestrator, r.history]));
      const created = byName.get("provisionTenant")!.events.find((e) => e.kind === "subOrchestrationInstanceCreated");
      const child = api.executionStarted(byName.get("provisionRegion")!);
      expect(created?.kind === "subOrchestrationInstanceCreated" && { input: created.input, instanceId: created.instanceId }).toEqual({
        input: child?.input,
        instanceId: child?.instanceId,
      });
    }
  });
});

describe("known gaps, pinned so a fix shows up here", () => {
  it("every app is recorded", () => {
    expect(NOT_RECORDED).toEqual({});
  });

  it("durabletask/entity-counter has no df-wire golden: the format has no entity events", () => {
    const { history } = recorded.get("durabletask/entity-counter")![0]!;
    expect(() => api.writeHistory(history, "df-wire")).toThrow(/the Durable Functions wire format has no entityOperationSignaled event/);
    expect(goldenFormats(api, appById("durabletask/entity-counter"))).toEqual(["protobuf-json", "friendly"]);
  });

  it.each(Object.entries(DF_HTTP_UNREPLAYABLE))("%s has no df-http golden: %s", async (id) => {
    const app = appById(id);
    const expected: Record<string, unknown> = {
      // The orchestrator fails destructuring the empty decision, at the EventRaised that delivers it (event 9), so it never makes call 2.
      "durable-functions/approval": { reason: "orchestrator-failed", episode: 2, eventIndex: 9, expected: { kind: "completion", id: -1 } },
      "durable-functions/entity-counter": { reason: "missing", expected: { kind: "activity", name: "publishViews", id: 4 }, produced: undefined },
      "durable-functions/versioned/v2-gated": {
        reason: "wrong-name",
        expected: { kind: "activity", name: "reserveInventory", id: 1 },
        produced: expect.objectContaining({ kind: "activity", name: "chargePayment", id: 1 }),
      },
    };
    const { orchestrator, history } = recorded.get(id)![0]!;
    const viaHttp = api.parseHistoryText(api.writeHistory(history, "df-http"), { file: `${orchestrator}.df-http.json` });
    const result = await api.replayHistory(viaHttp, api.pickOrchestrator(await api.loadModule(app.module), orchestrator));
    // When this fails, df-http carries what the app needs: remove the app from DF_HTTP_UNREPLAYABLE and re-record.
    expect(summary(result)).toMatchObject({ status: "diverged", ...(expected[id] as object) });
    if (id === "durable-functions/approval") expect(result.orchestration?.status).toBe("failed");
  });

  it("durabletask-js and Dapr apps have no df-http golden, but their histories replay through df-http, numbered as their SDK numbers calls", async () => {
    // (apps with entity events excepted: df-http cannot carry those at all, see NO_DF_WIRE)
    const outcomes: string[] = [];
    for (const app of apps.filter((a) => a.sdk !== "durable-functions" && !(a.id in NO_DF_WIRE))) {
      expect(goldenFormats(api, app)).not.toContain("df-http");
      const { orchestrator, history } = recorded.get(app.id)![0]!;
      const viaHttp = api.parseHistoryText(api.writeHistory(history, "df-http"));
      const result = await api.replayHistory(viaHttp, api.pickOrchestrator(await api.loadModule(app.module), orchestrator));
      // A divergence left is one df-http causes (a payload or version the HTTP API does not show), and the result says so.
      outcomes.push(`${app.id} ${result.status}${result.divergence ? ` ${/ is not shown /.test(result.divergence.reconstructed ?? "") ? "resting on what df-http does not show" : "UNEXPLAINED"}` : ""}`);
    }
    expect(outcomes).toEqual([
      "dapr/approval diverged resting on what df-http does not show", // the decision's payload
      "dapr/chaining ok",
      "dapr/newsletter ok",
      "durabletask/approval diverged resting on what df-http does not show", // the decision's payload
      "durabletask/chaining ok",
      "durabletask/eternal ok",
      "durabletask/monitor ok",
      "durabletask/newsletter ok",
      "durabletask/retry ok",
      "durabletask/saga ok",
      "durabletask/sub-orchestrations ok",
      "durabletask/versioned/v1 ok",
      "durabletask/versioned/v2-gated diverged resting on what df-http does not show", // the 2.0.0 version
      "durabletask/versioned/v2-ungated ok",
    ]);
  });
});

/** Twins whose README "replay" column starts with "yes". */
function replayYesTwins(): string[] {
  const readme = readFileSync(join(APPS_DIR, "README.md"), "utf8");
  const twins = new Set<string>();
  for (const line of readme.split("\n")) {
    const cells = line.split("|").map((cell) => cell.trim());
    if (cells.length === 7 && cells[1]!.includes("/buggy-") && cells[5]!.startsWith("yes")) twins.add(cells[1]!);
  }
  return [...twins].sort();
}

describe("buggy twins replayed on the good twin's goldens", () => {
  const twinModule = (twin: string) => join(APPS_DIR, twin, twin.startsWith("durable-functions/") ? "index.ts" : "worker.ts");
  const goodGolden = (twin: string, format: HistoryFormat) => {
    const good = appById(twin.replace("/buggy-", "/"));
    return goldenFile(good, recorded.get(good.id)![0]!.orchestrator, format);
  };

  it("checks exactly the twins whose README replay column says yes", () => {
    expect(replayYesTwins()).toEqual([
      "dapr/buggy-newsletter",
      "durable-functions/buggy-newsletter",
      "durabletask/buggy-approval",
      "durabletask/buggy-monitor",
      "durabletask/buggy-saga",
    ]);
  });

  it("durabletask/buggy-approval: the delegate read from a file adds a second requestApproval where the timer was", async () => {
    for (const format of losslessFormats(appById("durabletask/approval"))) {
      const result = await replayFile(goodGolden("durabletask/buggy-approval", format), twinModule("durabletask/buggy-approval"));
      expect({ format, ...summary(result) }).toMatchObject({
        format,
        status: "diverged",
        reason: "wrong-kind",
        episode: 1,
        eventIndex: 6,
        expected: { kind: "timer", id: 2 },
        produced: { kind: "activity", name: "requestApproval", id: 2, at: "fixtures/apps/durabletask/buggy-approval/orchestrators.ts:14" },
      });
    }
  });

  it("durabletask/buggy-saga: yield Promise.all fails the orchestrator on the compensation path", async () => {
    for (const format of losslessFormats(appById("durabletask/saga"))) {
      const result = await replayFile(goodGolden("durabletask/buggy-saga", format), twinModule("durabletask/buggy-saga"));
      expect({ format, ...summary(result) }).toMatchObject({
        format,
        status: "diverged",
        reason: "orchestrator-failed",
        episode: 3,
        eventIndex: 13,
        expected: { kind: "completion" },
        produced: { kind: "completion", failure: "The orchestrator generator yielded a non-Task object" },
      });
    }
  });

  it("dapr/buggy-newsletter: after yield Promise.all the workflow never schedules renderNewsletter", async () => {
    for (const format of losslessFormats(appById("dapr/newsletter"))) {
      const result = await replayFile(goodGolden("dapr/buggy-newsletter", format), twinModule("dapr/buggy-newsletter"));
      expect({ format, ...summary(result) }).toMatchObject({
        format,
        status: "diverged",
        reason: "missing",
        episode: 1,
        eventIndex: 10,
        expected: { kind: "activity", name: "renderNewsletter", id: 4 },
        produced: undefined,
      });
    }
  });

  it("durabletask/buggy-monitor: the module-level set adds a started notice on the first replay in a process only", async () => {
    const golden = goodGolden("durabletask/buggy-monitor", "protobuf-json");
    const first = await replayFile(golden, twinModule("durabletask/buggy-monitor"));
    // The first run scheduled notifyOwner as call 1, and the verdict names it. Explaining re-runs the code,
    // and by then the set remembers the job, so the re-run makes getJobStatus as the history did: its
    // stacks would describe other calls, so the divergence gives no location and says why.
    expect(summary(first)).toMatchObject({
      status: "diverged",
      reason: "wrong-name",
      episode: 0,
      eventIndex: 2,
      expected: { kind: "activity", name: "getJobStatus", id: 1 },
      produced: { kind: "activity", name: "notifyOwner", id: 1, at: undefined },
    });
    expect(first.divergence?.message).toMatch(/no source location: re-running the code to locate its calls went differently/);
    expect(summary(await replayFile(golden, twinModule("durabletask/buggy-monitor"))).status).toBe("ok");
  });

  it("durable-functions/buggy-newsletter: the module-level set makes every replay after the first return early", async () => {
    const golden = goodGolden("durable-functions/buggy-newsletter", "protobuf-json");
    expect(summary(await replayFile(golden, twinModule("durable-functions/buggy-newsletter"))).status).toBe("ok");
    for (const format of losslessFormats(appById("durable-functions/newsletter"))) {
      const later = await replayFile(goodGolden("durable-functions/buggy-newsletter", format), twinModule("durable-functions/buggy-newsletter"));
      expect({ format, ...summary(later) }).toMatchObject({
        format,
        status: "diverged",
        reason: "missing",
        episode: 0,
        eventIndex: 2,
        expected: { kind: "activity", name: "summarizeArticle", id: 0 },
        produced: undefined,
      });
    }
  });
});

describe("versioned: v1 goldens on v2", () => {
  const cases = [
    { sdk: "durabletask", chargeId: 2, at: "fixtures/apps/durabletask/versioned/v2-ungated/orchestrators.ts:11" },
    { sdk: "durable-functions", chargeId: 1, at: "fixtures/apps/durable-functions/versioned/v2-ungated/index.ts:18" },
  ];

  it.each(cases)("$sdk: every v1 golden replays ok on v2-gated and diverges on v2-ungated at the charge", async ({ sdk, chargeId, at }) => {
    const v1 = appById(`${sdk}/versioned/v1`);
    const formats = goldenFormats(api, v1);
    expect(formats.length).toBeGreaterThanOrEqual(3);
    for (const format of formats) {
      const golden = goldenFile(v1, "processOrder", format);
      const gated = await replayFile(golden, appById(`${sdk}/versioned/v2-gated`).module, { strict: format !== "df-http" });
      expect({ format, ...summary(gated) }).toMatchObject({ format, status: "ok", reason: undefined });
      const ungated = await replayFile(golden, appById(`${sdk}/versioned/v2-ungated`).module);
      expect({ format, ...summary(ungated) }).toMatchObject({
        format,
        status: "diverged",
        reason: "wrong-name",
        episode: 1,
        eventIndex: 6,
        expected: { kind: "activity", name: "chargePayment", id: chargeId },
        produced: { kind: "activity", name: "reserveInventory", id: chargeId, at },
      });
      if (format === "df-http") expect(ungated.divergence?.reconstructed, "df-http rebuilt the charge call").toMatch(/rebuilt/);
    }
  });
});
