import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

/**
 * Imports a user module the way its file type needs: TypeScript through tsx (which emits source
 * maps, so stacks point at the .ts lines), CommonJS through require, ESM natively.
 */
export async function importUserModule(file: string): Promise<Record<string, unknown>> {
  if (/\.[cm]?tsx?$/.test(file)) {
    if (isCommonJsTypeScript(file)) return { default: await requireTypeScript(file) };
    const { tsImport } = await import("tsx/esm/api");
    return (await tsImport(pathToFileURL(file).href, import.meta.url)) as Record<string, unknown>;
  }
  if (file.endsWith(".cjs")) {
    return { default: createRequire(file)(file) as unknown };
  }
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

/**
 * TypeScript that Node runs as CommonJS: `.cts`, or `.ts`/`.tsx` in a package that is not
 * `"type": "module"` (what `npm init -y` and the Azure Functions template create).
 */
function isCommonJsTypeScript(file: string): boolean {
  if (file.endsWith(".cts")) return true;
  if (file.endsWith(".mts")) return false;
  return packageType(dirname(file)) !== "module";
}

/** The nearest package.json's "type" (Node's rule for .js and, through tsx, for .ts). */
function packageType(dir: string): string | undefined {
  for (let current = dir; ; current = dirname(current)) {
    const manifest = join(current, "package.json");
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, "utf8")) as { type?: string }).type;
      } catch {
        // An unreadable package.json: Node itself would fail on it; let tsx's ESM path report it.
        return "module";
      }
    }
    if (dirname(current) === current) return undefined;
  }
}

let cjsHookRegistered = false;

/**
 * CommonJS TypeScript through tsx's require hook rather than its ESM API: the ESM API evaluates a
 * CommonJS file from a `data:` URL without a source map, so every stack frame in it (the call
 * sites coverage and divergence reports name) pointed at "data:text/javascript,…" line 2 instead
 * of the .ts line. Required this way, frames carry the real path and Node has the source map.
 *
 * The hook is registered for the whole thread, not in a tsx namespace: a namespaced require keeps
 * its own module cache, so a module reaching the SDK through another path (a git baseline's
 * checkout, whose node_modules is a link to the project's) got a fresh, unpatched copy of it,
 * whose worker really started and whose registrations went unseen. The thread only runs the
 * user's code, so a global hook changes nothing else.
 */
async function requireTypeScript(file: string): Promise<unknown> {
  if (!cjsHookRegistered) {
    const { register } = await import("tsx/cjs/api");
    register();
    cjsHookRegistered = true;
  }
  return createRequire(file)(file);
}
