import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

/**
 * Imports a user module the way its file type needs: TypeScript through tsx's ESM API (which
 * emits source maps, so stacks point at the .ts lines), CommonJS through require, ESM natively.
 */
export async function importUserModule(file: string): Promise<Record<string, unknown>> {
  if (/\.[cm]?tsx?$/.test(file)) {
    const { tsImport } = await import("tsx/esm/api");
    return (await tsImport(pathToFileURL(file).href, import.meta.url)) as Record<string, unknown>;
  }
  if (file.endsWith(".cjs")) {
    return { default: createRequire(file)(file) as unknown };
  }
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}
