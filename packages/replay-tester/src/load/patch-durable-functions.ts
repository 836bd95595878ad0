import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import type { Untyped } from "../engines/durabletask/sdk.js";
import { findPackageDir } from "../engines/durabletask/sdk.js";
import { record } from "./registrations.js";

const patched = new Set<string>();

/**
 * Patches the durable-functions copy reachable from the user's module: `df.app.orchestration`,
 * `df.app.activity`, `df.app.entity` (v3) and the legacy `df.orchestrator` (v2) record what they
 * register, and @azure/functions' `app.generic` no longer tries to reach a Functions host.
 */
export function patchDurableFunctions(fromFile: string): void {
  const dir = findPackageDir("durable-functions", fromFile);
  if (!dir || patched.has(dir)) return;
  patched.add(dir);
  const require = createRequire(join(dir, "package.json"));
  // The entry point, as the user's module will require it, so both share this patched copy (see preloadEntry).
  // Required by its folder, not by name: from inside an aliased copy (npm i df3@npm:durable-functions@3)
  // the name would reach another installation.
  const entry = require.resolve(dir);
  const df: Untyped = require(entry);
  try {
    const azure: Untyped = createRequire(entry)("@azure/functions");
    if (azure?.app) azure.app.generic = () => {};
  } catch {
    // durable-functions v2 has no @azure/functions dependency
  }
  const app: Untyped = df.app;
  if (app) {
    for (const [method, kind] of [
      ["orchestration", "orchestrator"],
      ["activity", "activity"],
      ["entity", "entity"],
    ] as const) {
      const original = app[method];
      if (typeof original !== "function") continue;
      app[method] = function (name: string, handlerOrOptions: Untyped) {
        const fn = typeof handlerOrOptions === "function" ? handlerOrOptions : handlerOrOptions?.handler;
        record({ sdk: "durable-functions", kind, name, fn, sdkRoot: dir });
        return original.call(this, name, handlerOrOptions);
      };
    }
  }
  const legacy = df.orchestrator;
  if (typeof legacy === "function") {
    df.orchestrator = function (fn: Untyped) {
      // v2 names a function after its folder (function.json sits beside index.js).
      const caller = callerFile();
      record({ sdk: "durable-functions", kind: "orchestrator", name: caller ? basename(dirname(caller)) : fn.name, fn, sdkRoot: dir });
      return legacy.call(this, fn);
    };
  }
}

function callerFile(): string | undefined {
  const stack = new Error().stack?.split("\n") ?? [];
  for (const line of stack.slice(3)) {
    const match = /\(?((?:file:\/\/)?\/[^():]+):\d+:\d+\)?$/.exec(line.trim());
    if (match && !match[1]!.includes("node_modules")) return match[1]!.replace(/^file:\/\//, "");
  }
  return undefined;
}
