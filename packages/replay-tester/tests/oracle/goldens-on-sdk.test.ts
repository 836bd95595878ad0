/**
 * Goldens checked against something independent of dtcheck: every golden of every durabletask-js
 * sample app (and the recorded fixture histories) is fed to @microsoft/durabletask-js's own
 * OrchestrationExecutor, work item by work item, with the app's real orchestrator registered, and
 * the SDK must accept it. The events are built with the SDK's constructors (support/sdk-oracle.ts),
 * not with dtcheck's converter, so a golden that dtcheck records and replays happily but the SDK
 * would reject fails here. (The goldens test compares recording with the committed files; this is
 * what makes that comparison mean more than "dtcheck agrees with itself".)
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as api from "../../src/index.js";
import { ORACLE_APPS } from "../support/oracle-property.js";
import { sdkVerdict, toSdkEvents, workItemsAtOrchestratorStarted } from "../support/sdk-oracle.js";

interface Golden {
  label: string;
  file: string;
  module: string;
  orchestrator: string;
}

const appGoldens: Golden[] = ORACLE_APPS.flatMap((app) =>
  readdirSync(join(app.dir, "histories"))
    .filter((name) => name.endsWith(".protobuf-json.json"))
    .map((name) => ({ label: `${app.id}/${name}`, file: join(app.dir, "histories", name), module: app.module, orchestrator: name.split(".")[0]! })),
);

const recordedDir = fileURLToPath(new URL("../../../../fixtures/histories/durabletask/", import.meta.url));
/** fixture name → orchestrator in fixtures/histories/durabletask/v1.ts */
const fixtureGoldens: Golden[] = readdirSync(join(recordedDir, "recorded"))
  .filter((name) => name.endsWith(".protobuf-json.json"))
  .map((name) => {
    const history = api.parseHistoryText(readFileSync(join(recordedDir, "recorded", name), "utf8"), { file: name });
    return { label: `fixtures/histories/durabletask/recorded/${name}`, file: join(recordedDir, "recorded", name), module: join(recordedDir, "v1.ts"), orchestrator: api.executionStarted(history)?.name ?? "?" };
  });

describe("durabletask-js goldens on the SDK's own executor", () => {
  it("finds the goldens of every durabletask-js app the oracle can run, and the recorded fixtures", () => {
    expect(ORACLE_APPS.map((app) => app.id)).toEqual(expect.arrayContaining(["durabletask/approval", "durabletask/chaining", "durabletask/versioned/v1"]));
    // One protobuf-json golden per app orchestrator at least, and every recorded fixture in that format.
    expect(appGoldens.length).toBeGreaterThanOrEqual(ORACLE_APPS.length);
    expect(fixtureGoldens.map((g) => g.label.split("/").pop())).toEqual(expect.arrayContaining(["chain.protobuf-json.json"]));
  });

  it.each([...appGoldens, ...fixtureGoldens].map((golden) => [golden.label, golden] as const))("%s is accepted by OrchestrationExecutor", async (_label, golden) => {
    const history = api.parseHistoryText(readFileSync(golden.file, "utf8"), { file: golden.file });
    const target = api.pickOrchestrator(await api.loadModule(golden.module), golden.orchestrator);
    const sdk = toSdkEvents(history);
    const verdict = await sdkVerdict(golden.orchestrator, target.fn, sdk.events, workItemsAtOrchestratorStarted(sdk.events));
    expect(verdict).toEqual({ status: "ok" });
  });
});
