import { createRequire } from "node:module";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { InputError } from "../../errors.js";
import { assertSupportedSdk, requireSdkFile } from "../supported-sdks.js";

/*
 * The durabletask-js executor lives in three published layouts: the Microsoft package (dist/),
 * the Dapr fork (package root), and the copy @dapr/dapr bundles for its WorkflowRuntime. dtcheck
 * always drives the copy the user's code registered with, so the verdict is that SDK's own.
 */

/* The SDK's modules are plain CommonJS loaded at runtime from the user's installation; they ship
   no types dtcheck can import statically, so they are handled as untyped records. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Untyped = any;

export interface SdkLayout {
  kind: "durabletask" | "dapr";
  packageName: string;
  /** Directory inside the package that holds worker/, proto/, utils/. */
  subdir: string;
}

export const DURABLETASK_LAYOUTS: readonly SdkLayout[] = [
  { kind: "durabletask", packageName: "@microsoft/durabletask-js", subdir: "dist" },
  { kind: "dapr", packageName: "@dapr/dapr", subdir: "workflow/internal/durabletask" },
  { kind: "dapr", packageName: "@dapr/durabletask-js", subdir: "" },
];

export interface DurableTaskSdk {
  kind: "durabletask" | "dapr";
  root: string;
  packageName: string;
  version: string;
  OrchestrationExecutor: Untyped;
  Registry: Untyped;
  RuntimeOrchestrationContext: Untyped;
  TaskHubGrpcWorker: Untyped;
  pb: Untyped;
  Timestamp: Untyped;
  StringValue: Untyped;
  /** The Dapr copies log through console on every invocation; the Microsoft one takes a logger. */
  logsToConsole: boolean;
}

/** Finds a package's directory as seen from `fromFile` (the user's module), or undefined. */
export function findPackageDir(packageName: string, fromFile: string): string | undefined {
  const require = createRequire(fromFile);
  let entry: string;
  try {
    entry = require.resolve(packageName);
  } catch {
    return undefined;
  }
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === packageName) return dir;
      } catch {
        // a malformed manifest in between: keep walking up
      }
    }
  }
  return undefined;
}

/** Every durabletask-js copy reachable from the user's module, as SDK roots. */
export function findDurableTaskRoots(fromFile: string): { layout: SdkLayout; root: string }[] {
  const found: { layout: SdkLayout; root: string }[] = [];
  for (const layout of DURABLETASK_LAYOUTS) {
    const dir = findPackageDir(layout.packageName, fromFile);
    if (!dir) continue;
    const root = layout.subdir ? join(dir, layout.subdir) : dir;
    if (existsSync(join(root, "worker", "orchestration-executor.js"))) found.push({ layout, root });
  }
  return found;
}

const sdkCache = new Map<string, DurableTaskSdk>();

/** Loads (once) the executor, registry, context and protobuf classes of the SDK copy at `root`. */
export function loadDurableTaskSdk(root: string): DurableTaskSdk {
  const cached = sdkCache.get(root);
  if (cached) return cached;
  if (!existsSync(join(root, "worker", "orchestration-executor.js"))) {
    throw new InputError(`no durabletask-js executor found under ${root}; install @microsoft/durabletask-js or @dapr/durabletask-js`);
  }
  let version = "unknown";
  let manifestName: string | undefined;
  let packageDir = root;
  for (let dir = root; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      const parsed = JSON.parse(readFileSync(manifest, "utf8")) as { name?: string; version?: string };
      version = parsed.version ?? version;
      manifestName = parsed.name;
      packageDir = dir;
      break;
    }
  }
  // By the manifest's name, not the folder's: an aliased or symlinked copy lives under another folder name.
  const layout = DURABLETASK_LAYOUTS.find((l) => l.packageName === manifestName);
  const packageName = layout?.packageName ?? root;
  assertSupportedSdk(packageName, version, packageDir);
  const from = join(root, "index.js");
  const internal = (file: string): Untyped => requireSdkFile<Untyped>(from, file, { packageName, version });
  const pbFrom = join(root, "proto", "orchestrator_service_pb.js");
  const sdk: DurableTaskSdk = {
    kind: layout?.kind ?? "durabletask",
    root,
    packageName,
    version,
    OrchestrationExecutor: internal("./worker/orchestration-executor.js").OrchestrationExecutor,
    Registry: internal("./worker/registry.js").Registry,
    RuntimeOrchestrationContext: internal("./worker/runtime-orchestration-context.js").RuntimeOrchestrationContext,
    TaskHubGrpcWorker: internal("./worker/task-hub-grpc-worker.js").TaskHubGrpcWorker,
    pb: internal("./proto/orchestrator_service_pb.js"),
    Timestamp: requireSdkFile<Untyped>(pbFrom, "google-protobuf/google/protobuf/timestamp_pb.js", { packageName, version }).Timestamp,
    StringValue: requireSdkFile<Untyped>(pbFrom, "google-protobuf/google/protobuf/wrappers_pb.js", { packageName, version }).StringValue,
    logsToConsole: layout?.kind === "dapr",
  };
  rememberEnumKeys(from);
  sdkCache.set(root, sdk);
  return sdk;
}

/** The remembering versions of enumValueToKey installed so far: never wrapped twice. */
const REMEMBERING = new WeakSet<object>();

/**
 * The executor names the kind of every event it processes, on every invocation, for a debug log
 * line: `enumValueToKey` searches the enum's keys each time, about a tenth of the SDK's time in a
 * fuzz run. Its enums are constants, so each answer is kept once found; what the SDK does and logs
 * is unchanged. A release without that helper is left as it is.
 */
function rememberEnumKeys(from: string): void {
  let helpers: { enumValueToKey?: unknown };
  try {
    helpers = createRequire(from)("./utils/enum.util.js") as typeof helpers;
  } catch {
    return;
  }
  const search = helpers.enumValueToKey;
  if (typeof search !== "function" || REMEMBERING.has(search)) return;
  const known = new WeakMap<object, Map<unknown, unknown>>();
  const remembering = (enumObject: object, value: unknown): unknown => {
    let keys = known.get(enumObject);
    if (!keys) known.set(enumObject, (keys = new Map()));
    if (keys.has(value)) return keys.get(value);
    const key: unknown = search(enumObject, value);
    keys.set(value, key);
    return key;
  };
  REMEMBERING.add(remembering);
  helpers.enumValueToKey = remembering;
}

/**
 * The generated protobuf code of every durabletask-js copy writes its classes into one global
 * `proto` namespace and reads them back from there at call time (oneof groups, nested classes).
 * When two copies are loaded (the Microsoft SDK and the Dapr fork, whose HistoryEvent has fewer
 * event kinds), the last one loaded wins, and the other copy silently drops the fields the winner
 * lacks (entity events come out with no event type). Before dtcheck converts or executes with a
 * copy, it makes that copy's classes (its module exports) the global ones again. One comparison
 * when nothing changed; two copies running interleaved in one process would still clash.
 */
export function activateProtoNamespace(sdk: DurableTaskSdk): void {
  const namespace = (globalThis as { proto?: Record<string, unknown> }).proto;
  if (!namespace || namespace["HistoryEvent"] === sdk.pb.HistoryEvent) return;
  Object.assign(namespace, sdk.pb);
}
