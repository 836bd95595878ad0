import { createRequire } from "node:module";
import type * as TypeScript from "typescript";

let typescript: typeof TypeScript | undefined;

/**
 * The `typescript` typescript-eslint parses with (resolved as typescript-estree resolves it), so
 * the pre-filter's syntax check and the release of cached nodes use that copy (and load no second one).
 */
export function parserTypeScript(): typeof TypeScript {
  if (typescript) return typescript;
  let require = createRequire(import.meta.url);
  for (const next of ["typescript-eslint", "@typescript-eslint/parser", "@typescript-eslint/typescript-estree"]) {
    try {
      require = createRequire(require.resolve(next));
    } catch {
      break; // an unusual layout: the nearest `typescript` is the next best
    }
  }
  typescript = require("typescript") as typeof TypeScript;
  return typescript;
}
