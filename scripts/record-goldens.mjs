// Records the golden histories of the sample apps (fixtures/apps) with dtcheck's recorder and writes
// each one in every supported history format to fixtures/apps/<sdk>/<app>/histories/<orchestrator>.<format>.json.
//
//   npm run build && node scripts/record-goldens.mjs
//
// Recording is deterministic (fixed clock, fixed instance ids, stubbed results), so running it again
// without changing an app rewrites identical files. packages/replay-tester/tests/apps/goldens.test.ts
// imports goldenApps / recordApp from here with the library's sources, so the test and this script
// record in exactly the same way.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const APPS_DIR = fileURLToPath(new URL("../fixtures/apps/", import.meta.url));

/** The module dtcheck loads per SDK: the one that registers the orchestrators. */
const ENTRY = { durabletask: "worker.ts", "durable-functions": "index.ts", dapr: "worker.ts" };

/** The simulated clock every golden starts at. */
export const START_TIME = new Date("2024-01-01T00:00:00.000Z");

/** Apps whose goldens cannot be recorded yet, with the reason (printed by the script, checked by the test). */
export const NOT_RECORDED = {};

/**
 * Apps whose histories hold durabletask-js entity events (entityOperationCalled, ...), which the Durable
 * Functions wire format has no event type for (entities travel as EventSent / EventRaised there).
 */
export const NO_DF_WIRE = {
  "durabletask/entity-counter": "df-wire has no entity events; Durable Functions sends entity operations as EventSent / EventRaised",
};

/**
 * df-http is the Durable Functions HTTP management API: it drops eventIds and TaskScheduled, so reading it
 * rebuilds the scheduling order with Durable Functions' 0-based ids. Only Durable Functions apps get a
 * df-http golden (a durabletask-js or Dapr history never takes that shape, and their ids start at 1),
 * and not those whose history the format cannot carry; the test checks each reason below still holds.
 */
export const DF_HTTP_UNREPLAYABLE = {
  "durable-functions/approval": "df-http drops EventRaised inputs, so the replayed approval decision is empty and reading it fails the orchestrator before reimburse",
  "durable-functions/entity-counter": "df-http drops EventSent and EventRaised inputs, so the entity call's response cannot be matched to its request and the replay never gets past callEntity to publishViews",
  "durable-functions/versioned/v2-gated": "df-http drops ExecutionStarted.Version, so the replay runs the 2.0 history through the pre-2.0 branch",
};

/** The formats an app's goldens are written in. */
export function goldenFormats(api, app) {
  return api.HISTORY_FORMATS.filter(
    (format) =>
      (format !== "df-http" || (app.sdk === "durable-functions" && !DF_HTTP_UNREPLAYABLE[app.id])) && (format !== "df-wire" || !NO_DF_WIRE[app.id]),
  );
}

/** The version a new instance is stamped with: the worker's defaultVersion (durabletask-js) or host.json's (Durable Functions). */
function versionOf(sdk, dir) {
  if (sdk === "durable-functions") {
    const hostJson = join(dir, "host.json");
    if (!existsSync(hostJson)) return undefined;
    return JSON.parse(readFileSync(hostJson, "utf8")).extensions?.durableTask?.defaultVersion;
  }
  const worker = readFileSync(join(dir, ENTRY[sdk]), "utf8");
  return /defaultVersion:\s*"([^"]+)"/.exec(worker)?.[1];
}

/** Every good app (not a buggy twin): { id: "<sdk>/<app>", sdk, dir, module, version }. Versioned apps nest one level deeper. */
export function goldenApps(appsDir = APPS_DIR) {
  const apps = [];
  for (const sdk of Object.keys(ENTRY)) {
    const visit = (dir) => {
      for (const name of readdirSync(dir, { withFileTypes: true })) {
        if (!name.isDirectory() || name.name.startsWith("buggy-") || name.name === "histories") continue;
        const child = join(dir, name.name);
        if (existsSync(join(child, ENTRY[sdk]))) {
          const id = relative(appsDir, child).split("\\").join("/");
          apps.push({ id, sdk, dir: child, module: join(child, ENTRY[sdk]), version: versionOf(sdk, child) });
        } else {
          visit(child);
        }
      }
    };
    visit(join(appsDir, sdk));
  }
  return apps.sort((a, b) => a.id.localeCompare(b.id));
}

const readJson = (file) => JSON.parse(readFileSync(file, "utf8"));

/**
 * Records every orchestrator an app registers, with `api` being @dtcheck/replay-tester (built or from source).
 * Top-level orchestrators start from input.json; an orchestrator the stubs list as a sub-orchestration is
 * recorded from the input and instance id its parent's golden scheduled it with.
 * Returns [{ orchestrator, history }] in registration order.
 */
export async function recordApp(api, app) {
  const module = await api.loadModule(app.module);
  const input = readJson(join(app.dir, "input.json"));
  const stubs = join(app.dir, "stubs.json");
  const children = new Set(Object.keys(readJson(stubs).subOrchestrations ?? {}));
  const names = [...module.orchestrators.keys()];
  const recorded = new Map();
  const record = (orchestrator, options) =>
    api.recordHistory({ module: app.module, orchestrator, stubs, version: app.version, startTime: START_TIME, ...options });

  for (const name of names.filter((n) => !children.has(n))) {
    recorded.set(name, await record(name, { input, instanceId: `golden-${app.id.replaceAll("/", "-")}` }));
  }
  for (const name of names.filter((n) => children.has(n))) {
    const created = [...recorded.values()]
      .flatMap((history) => history.events)
      .find((event) => event.kind === "subOrchestrationInstanceCreated" && event.name === name);
    if (!created) throw new Error(`${app.id}: no recorded orchestrator starts the sub-orchestration "${name}", so it has no input to record from`);
    recorded.set(name, await record(name, { input: created.input === undefined ? undefined : JSON.parse(created.input), instanceId: created.instanceId }));
  }
  return names.map((orchestrator) => ({ orchestrator, history: recorded.get(orchestrator) }));
}

/** Where one golden lives. */
export function goldenFile(app, orchestrator, format) {
  return join(app.dir, "histories", `${orchestrator}.${format}.json`);
}

async function main() {
  const api = await import("../packages/replay-tester/dist/index.js");
  let written = 0;
  for (const app of goldenApps()) {
    if (NOT_RECORDED[app.id]) {
      console.log(`skip   ${app.id}: ${NOT_RECORDED[app.id]}`);
      continue;
    }
    const dir = join(app.dir, "histories");
    mkdirSync(dir, { recursive: true });
    const files = new Set();
    for (const { orchestrator, history } of await recordApp(api, app)) {
      for (const format of goldenFormats(api, app)) {
        const file = goldenFile(app, orchestrator, format);
        writeFileSync(file, api.writeHistory(history, format));
        files.add(file);
        written++;
      }
      console.log(`record ${app.id} ${orchestrator}${app.version ? ` (version ${app.version})` : ""}: ${history.events.length} events`);
    }
    // A renamed or removed orchestrator must not leave a stale golden behind.
    for (const name of readdirSync(dir)) if (!files.has(join(dir, name))) rmSync(join(dir, name));
  }
  console.log(`${written} golden files under ${relative(process.cwd(), APPS_DIR) || "."}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
  // Loaded SDKs may keep handles open; the work is done.
  process.exit(0);
}
