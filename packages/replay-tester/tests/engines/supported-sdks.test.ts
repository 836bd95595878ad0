import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadModule } from "../../src/load/index.js";
import { loadDurableFunctionsSdk } from "../../src/engines/durable-functions/sdk.js";
import { loadDurableTaskSdk } from "../../src/engines/durabletask/sdk.js";
import { assertSupportedSdk, SUPPORTED_SDK_RANGES } from "../../src/engines/supported-sdks.js";

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A package folder that claims to be `name@version`, with the given files. */
function fakePackage(name: string, version: string, files: Record<string, string> = {}): string {
  const root = mkdtempSync(path.join(os.tmpdir(), "dtcheck-sdk-"));
  temps.push(root);
  const dir = path.join(root, "node_modules", name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, version }));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

describe("supported SDK releases", () => {
  it("are explicit ranges", () => {
    expect(SUPPORTED_SDK_RANGES).toEqual({
      "@microsoft/durabletask-js": ">=0.4.0 <0.5.0",
      "@dapr/durabletask-js": ">=1.0.0 <2.0.0",
      "@dapr/dapr": ">=3.17.0 <4.0.0",
      "durable-functions": ">=3.2.0 <4.0.0",
    });
  });

  it("accept the releases in range and refuse the others in one line", () => {
    // In range there is nothing to say (it returns undefined), at either end of each range.
    expect(["0.4.0", "0.4.17"].map((version) => assertSupportedSdk("@microsoft/durabletask-js", version, "/x"))).toEqual([undefined, undefined]);
    expect(["3.2.0", "3.5.0", "3.99.1"].map((version) => assertSupportedSdk("durable-functions", version, "/x"))).toEqual([undefined, undefined, undefined]);
    expect(() => assertSupportedSdk("durable-functions", "3.1.0", "/x")).toThrow(/: durable-functions 3\.1\.0 is installed, but dtcheck supports durable-functions >=3\.2\.0 <4\.0\.0;/);
    // A package dtcheck does not drive has no range, so nothing to check.
    expect(assertSupportedSdk("left-pad", "0.0.1", "/x")).toBeUndefined();
    // A prerelease of the next minor is not inside the range (semver leaves prereleases out).
    expect(() => assertSupportedSdk("@microsoft/durabletask-js", "0.5.0-rc.1", "/x")).toThrow(
      "/x: @microsoft/durabletask-js 0.5.0-rc.1 is installed, but dtcheck supports @microsoft/durabletask-js >=0.4.0 <0.5.0; install a supported release in your project, or a dtcheck release that supports this one",
    );
    expect(() => assertSupportedSdk("@microsoft/durabletask-js", "0.5.0", "/x")).toThrow(
      "@microsoft/durabletask-js 0.5.0 is installed, but dtcheck supports @microsoft/durabletask-js >=0.4.0 <0.5.0; install a supported release in your project, or a dtcheck release that supports this one",
    );
    expect(() => assertSupportedSdk("@microsoft/durabletask-js", "0.1.0-alpha.2", "/x")).toThrow(/0\.1\.0-alpha\.2 is installed/);
    expect(() => assertSupportedSdk("durable-functions", "unknown", "/x")).toThrow(/durable-functions unknown is installed/);
  });

  it("let the installed releases load, naming what was found", () => {
    const require = createRequire(import.meta.url);
    const durableTask = loadDurableTaskSdk(path.dirname(path.dirname(require.resolve("@microsoft/durabletask-js/dist/worker/orchestration-executor.js"))));
    expect({ packageName: durableTask.packageName, version: durableTask.version, executor: typeof durableTask.OrchestrationExecutor }).toEqual({
      packageName: "@microsoft/durabletask-js",
      version: "0.4.0",
      executor: "function",
    });
    const durableFunctions = loadDurableFunctionsSdk(path.dirname(require.resolve("durable-functions/package.json")));
    expect({ root: durableFunctions.root.endsWith(`${path.sep}durable-functions`), executor: typeof durableFunctions.TaskOrchestrationExecutor }).toEqual({ root: true, executor: "function" });
  });

  it("are checked when an SDK is loaded, before any of its internal files", () => {
    const df = fakePackage("durable-functions", "4.0.0");
    expect(() => loadDurableFunctionsSdk(df)).toThrow(
      "durable-functions 4.0.0 is installed, but dtcheck supports durable-functions >=3.2.0 <4.0.0; install a supported release in your project, or a dtcheck release that supports this one",
    );
    const dt = fakePackage("@microsoft/durabletask-js", "0.9.1", { "dist/worker/orchestration-executor.js": "" });
    expect(() => loadDurableTaskSdk(path.join(dt, "dist"))).toThrow(/@microsoft\/durabletask-js 0\.9\.1 is installed, but dtcheck supports/);
  });

  it("name a missing internal file of a supported release instead of crashing", () => {
    const moved = fakePackage("durable-functions", "3.9.0");
    expect(() => loadDurableFunctionsSdk(moved)).toThrow(
      /durable-functions 3\.9\.0: dtcheck could not load its internal file .*lib\/src\/util\/testingUtils\.js \(Cannot find module .*\); install a supported release in your project, or a dtcheck release that supports this one$/,
    );
  });

  it("refuse a @dapr/dapr release without the bundled executor in one line, not as a module that registers nothing", async () => {
    // 3.6 runs workflows on a nested @dapr/durabletask-js 0.1.0-alpha, so no executor dtcheck drives is found.
    const dapr = fakePackage("@dapr/dapr", "3.6.1", { "index.js": "exports.WorkflowRuntime = class { registerWorkflow() { return this; } };" });
    const project = path.dirname(path.dirname(path.dirname(dapr)));
    const worker = path.join(project, "worker.cjs");
    writeFileSync(worker, 'const { WorkflowRuntime } = require("@dapr/dapr");\nnew WorkflowRuntime().registerWorkflow(async function* hello() {});\n');
    await expect(loadModule(worker)).rejects.toThrow(
      "@dapr/dapr 3.6.1 is installed, but dtcheck supports @dapr/dapr >=3.17.0 <4.0.0; install a supported release in your project, or a dtcheck release that supports this one",
    );
  });
});
