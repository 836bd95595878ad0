// The supported SDK ranges (src/engines/supported-sdks.ts) tested at both ends. The newest supported
// release of each SDK is the one the workspace installs, which every other test runs on; the oldest is
// installed beside it under an alias (replay-tester's devDependencies `<name>-oldest`). Here the sample
// apps are copied into a temporary project whose node_modules/<sdk> is a symlink to that aliased copy,
// then recorded (the result must equal the committed goldens), replayed strictly from every golden, and
// a buggy twin replayed on the good twin's golden must still diverge. Each check first asserts that the
// orchestrator runs on the aliased copy, not on the workspace's.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import { dirname, join } from "node:path";
import semver from "semver";
import { afterAll, describe, expect, it } from "vitest";
import * as api from "../../src/index.js";
import type { History } from "../../src/index.js";
import { SUPPORTED_SDK_RANGES } from "../../src/engines/supported-sdks.js";
import { APPS_DIR, goldenApps, goldenFile, goldenFormats, recordApp } from "../../../../scripts/record-goldens.mjs";

interface App {
  id: string;
  sdk: string;
  dir: string;
  module: string;
  version?: string;
}

const requireHere = createRequire(import.meta.url);
const packageDir = (name: string): string => realpathSync(dirname(requireHere.resolve(`${name}/package.json`)));
const versionOf = (dir: string): string => (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version: string }).version;

/** Per SDK: the aliased copy holding its oldest supported release, and which sample apps run on it. */
const OLDEST = [
  { packageName: "durable-functions", alias: "durable-functions-oldest", apps: "durable-functions", alsoLinked: ["@azure/functions"] },
  { packageName: "@dapr/dapr", alias: "dapr-oldest", apps: "dapr", alsoLinked: [] },
] as const;

/** The buggy twin each SDK's apps must still catch, with what the good twin's golden shows. */
const TWINS: Record<string, { twin: string; good: string; orchestrator: string; module: string; expected: object }> = {
  dapr: {
    twin: "buggy-newsletter",
    good: "newsletter",
    orchestrator: "newsletterWorkflow",
    module: "worker.ts",
    expected: { reason: "missing", episode: 1, eventIndex: 10, expected: { kind: "activity", name: "renderNewsletter", id: 4 } },
  },
  "durable-functions": {
    // Replayed twice: the module-level set makes every replay after the first one in a process return early.
    twin: "buggy-newsletter",
    good: "newsletter",
    orchestrator: "newsletterOrchestrator",
    module: "index.ts",
    expected: { reason: "missing", episode: 0, eventIndex: 2, expected: { kind: "activity", name: "summarizeArticle", id: 0 } },
  },
};

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A project with the SDK's sample apps and node_modules/<sdk> linked to the aliased copy. */
function projectOn(sdk: (typeof OLDEST)[number]): { appsDir: string; copy: string } {
  const root = realpathSync(mkdtempSync(join(os.tmpdir(), "dtcheck-sdk-matrix-")));
  temps.push(root);
  writeFileSync(join(root, "package.json"), JSON.stringify({ name: "sdk-matrix", private: true, type: "module" }));
  const appsDir = join(root, "apps");
  // goldenApps walks every SDK folder; only this SDK's apps are copied.
  for (const folder of ["durabletask", "durable-functions", "dapr"]) mkdirSync(join(appsDir, folder), { recursive: true });
  cpSync(join(APPS_DIR, sdk.apps), join(appsDir, sdk.apps), { recursive: true });
  const copy = packageDir(sdk.alias);
  const link = (name: string, target: string) => {
    mkdirSync(dirname(join(root, "node_modules", name)), { recursive: true });
    symlinkSync(target, join(root, "node_modules", name), "dir");
  };
  link(sdk.packageName, copy);
  for (const name of sdk.alsoLinked) link(name, packageDir(name));
  return { appsDir, copy };
}

describe("supported SDK ranges", () => {
  it("start at a release a test runs on: the oldest aliased copy, or the installed one when it is the only release in range", () => {
    const installed = Object.fromEntries(Object.keys(SUPPORTED_SDK_RANGES).map((name) => [name, versionOf(packageDir(name))]));
    const oldest = Object.fromEntries(OLDEST.map((sdk) => [sdk.packageName, versionOf(packageDir(sdk.alias))]));
    const lowerBounds = Object.fromEntries(Object.entries(SUPPORTED_SDK_RANGES).map(([name, range]) => [name, semver.minVersion(range)?.version]));
    expect(lowerBounds).toEqual({ ...installed, ...oldest });
    expect(oldest).toEqual({ "durable-functions": "3.2.0", "@dapr/dapr": "3.17.0" });
    // The newest end is what the workspace installs (and every other test replays on).
    for (const [name, version] of Object.entries(installed)) expect(semver.satisfies(version, SUPPORTED_SDK_RANGES[name]!), name).toBe(true);
  });
});

describe.each(OLDEST.map((sdk) => [`${sdk.packageName} ${versionOf(packageDir(sdk.alias))}`, sdk] as const))("sample apps on %s", (_label, sdk) => {
  const { appsDir, copy } = projectOn(sdk);
  const apps = (goldenApps(appsDir) as App[]).filter((app) => app.sdk === sdk.apps);

  it("has the apps to replay", () => {
    expect(apps.length).toBe(sdk.apps === "dapr" ? 3 : 12);
  });

  it.each(apps.map((app) => [app.id, app] as const))("%s: runs on the aliased copy, records the committed goldens and replays each strictly", async (_id, app) => {
    const loaded = await api.loadModule(app.module);
    for (const target of loaded.orchestrators.values()) expect(target.sdkRoot.startsWith(copy), `${target.name} runs on ${target.sdkRoot}`).toBe(true);

    const recorded: { orchestrator: string; history: History }[] = await recordApp(api, app);
    const outcomes: string[] = [];
    for (const { orchestrator, history } of recorded) {
      for (const format of goldenFormats(api, app)) {
        const file = goldenFile(app, orchestrator, format);
        const committed = readFileSync(file, "utf8");
        const golden = await api.readHistoryFile(file);
        const result = await api.replayHistory(golden, api.pickOrchestrator(loaded, orchestrator), { strict: format !== "df-http", validated: true });
        outcomes.push(`${orchestrator}.${format}: ${api.writeHistory(history, format) === committed ? "recorded as committed" : "RECORDED DIFFERENTLY"}, ${result.status}${result.divergence ? ` (${result.divergence.message})` : ""}${result.error ? ` (${result.error})` : ""}`);
      }
    }
    // Every orchestrator the app registers, in every format it has goldens in.
    expect(recorded.map((r) => r.orchestrator)).toEqual([...loaded.orchestrators.keys()]);
    expect(outcomes).toHaveLength(recorded.length * goldenFormats(api, app).length);
    expect(outcomes).toEqual(outcomes.map((line) => line.replace(/: .*/, ": recorded as committed, ok")));
  });

  it("catches the buggy twin on the good twin's golden", async () => {
    const twin = TWINS[sdk.apps]!;
    const good = apps.find((app) => app.id === `${sdk.apps}/${twin.good}`)!;
    const golden = await api.readHistoryFile(goldenFile(good, twin.orchestrator, "protobuf-json"));
    const twinModule = join(appsDir, sdk.apps, twin.twin, twin.module);
    const loaded = await api.loadModule(twinModule);
    const target = api.pickOrchestrator(loaded, api.executionStarted(golden)?.name);
    expect(target.sdkRoot.startsWith(copy)).toBe(true);
    let result = await api.replayHistory(golden, target);
    if (sdk.apps === "durable-functions") result = await api.replayHistory(golden, target);
    const d = result.divergence;
    expect({
      status: result.status,
      reason: d?.reason,
      episode: d?.episode,
      eventIndex: d?.eventIndex,
      expected: d?.expected && { kind: d.expected.kind, name: d.expected.name, id: d.expected.id },
    }).toEqual({ status: "diverged", ...twin.expected });
  });
});
