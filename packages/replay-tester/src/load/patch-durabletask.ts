import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { findDurableTaskRoots, findPackageDir, loadDurableTaskSdk, type Untyped } from "../engines/durabletask/sdk.js";
import { assertSupportedSdk } from "../engines/supported-sdks.js";
import { record } from "./registrations.js";

const patched = new Set<string>();

/**
 * Patches every durabletask-js copy reachable from the user's module so that registering an
 * orchestrator, activity or entity is recorded (the SDK's own registry still gets it), and
 * starting a worker does nothing. Covers TaskHubGrpcWorker, Registry and Dapr's WorkflowRuntime,
 * which all register through the Registry of their copy.
 */
export function patchDurableTask(fromFile: string): void {
  const daprDir = findPackageDir("@dapr/dapr", fromFile);
  // Checked before looking for its executor: a release without the bundled copy dtcheck drives
  // (3.6 runs on a nested @dapr/durabletask-js alpha) would otherwise read as "registers no orchestrator".
  if (daprDir) assertSupportedSdk("@dapr/dapr", manifestVersion(daprDir), daprDir);
  for (const { layout, root } of findDurableTaskRoots(fromFile)) {
    if (patched.has(root)) continue;
    patched.add(root);
    const sdk = loadDurableTaskSdk(root);
    preloadEntry(layout.packageName, fromFile);
    const registry = sdk.Registry.prototype;
    const wrap = (method: string, kind: "orchestrator" | "activity" | "entity") => {
      const original = registry[method];
      if (typeof original !== "function") return;
      registry[method] = function (this: Untyped, name: string, fn: Untyped) {
        record({ sdk: layout.kind, kind, name, fn, sdkRoot: root });
        return original.call(this, name, fn);
      };
    };
    wrap("addNamedOrchestrator", "orchestrator");
    wrap("addNamedActivity", "activity");
    wrap("addNamedEntity", "entity");
    sdk.TaskHubGrpcWorker.prototype.start = async function () {};
  }
  // Dapr's WorkflowRuntime.start() would connect to the sidecar.
  if (daprDir && !patched.has(daprDir)) {
    patched.add(daprDir);
    preloadEntry("@dapr/dapr", fromFile);
    try {
      const runtime = createRequire(join(daprDir, "index.js"))("./workflow/runtime/WorkflowRuntime.js").default;
      if (runtime?.prototype) {
        runtime.prototype.start = async function () {};
      }
    } catch {
      // an older @dapr/dapr layout: registrations are still captured through the Registry
    }
  }
}

/**
 * Loads the package's entry point into Node's own require cache before the user's module runs.
 * tsx compiles a TypeScript module of a CommonJS project with a require of its own, which gives
 * every module it loads for the first time a fresh copy; a package already in the cache is shared,
 * so `require("@microsoft/durabletask-js")` and `import ... from` both reach the patched classes.
 */
export function preloadEntry(packageName: string, fromFile: string): void {
  try {
    createRequire(fromFile)(packageName);
  } catch {
    // not installed where the module can see it, or it fails to load: the user's import will say so
  }
}

function manifestVersion(packageDir: string): string {
  try {
    return (JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { version?: string }).version ?? "unknown";
  } catch {
    return "unknown";
  }
}
