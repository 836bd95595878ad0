/**
 * TypeScript 7 (the native compiler, npm's `typescript@latest`) ships no JavaScript compiler API,
 * and typescript-eslint (the parser dtcheck lint runs on) needs one (TypeScript < 6.1). dtcheck
 * depends on such a TypeScript of its own, which npm nests under dtcheck when the project has
 * TypeScript 7. Packages that are hoisted beside the project's TypeScript 7 (ts-api-utils, which
 * typescript-estree loads) would still find the project's copy, so inside the dtcheck process
 * every `require("typescript")` that would reach a TypeScript without the API is sent to dtcheck's
 * own instead. The project's TypeScript is left alone when it has the API (one shared copy).
 */
import { existsSync, readFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);

/** The first version of the `typescript` package without a JavaScript compiler API. */
const FIRST_NATIVE_MAJOR = 7;

function packageVersion(resolvedFile: string): string | undefined {
  for (let dir = path.dirname(resolvedFile); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, "utf8")) as { name?: string; version?: string };
    if (pkg.name === "typescript") return pkg.version;
  }
  return undefined;
}

function hasCompilerApi(resolvedFile: string): boolean {
  const major = Number(packageVersion(resolvedFile)?.split(".")[0]);
  return !(major >= FIRST_NATIVE_MAJOR);
}

type ResolveFilename = (request: string, parent: unknown, isMain: boolean, options?: unknown) => string;

let installed = false;

/** Installs the redirect (once). Returns dtcheck's own TypeScript entry file, for messages and tests. */
export function useOwnTypeScriptApi(): string {
  const own = require.resolve("typescript");
  if (installed) return own;
  installed = true;
  if (!hasCompilerApi(own)) return own; // dtcheck's own range excludes this; nothing better to offer
  // Node's CommonJS resolver is not part of its typed API; this is the documented-by-usage hook
  // that tools use to redirect one package name (Node 20 has no module.registerHooks).
  const internals = Module as unknown as { _resolveFilename: ResolveFilename };
  const original = internals._resolveFilename;
  const verdicts = new Map<string, boolean>();
  internals._resolveFilename = function (this: unknown, request, parent, isMain, options) {
    const resolved = original.call(this, request, parent, isMain, options);
    if (request !== "typescript") return resolved;
    let usable = verdicts.get(resolved);
    if (usable === undefined) verdicts.set(resolved, (usable = hasCompilerApi(resolved)));
    return usable ? resolved : own;
  };
  return own;
}
