/**
 * Module specifiers to files without TypeScript: relative specifiers (`./x`, `../x.js`, a folder's
 * `index`), the `paths` of the nearest tsconfig.json (with `extends`, read by get-tsconfig), and
 * extensionless CommonJS `require("./x")`. A `.js` specifier in TypeScript source means the `.ts`
 * file beside it, as TypeScript resolves it. Bare package specifiers are not followed: packages are
 * judged by the hazard catalogue.
 */
import { statSync } from "node:fs";
import path from "node:path";
import { createPathsMatcher, getTsconfig } from "get-tsconfig";

const EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];
/** Written extension → the source extensions it may stand for, in TypeScript's order. */
const SOURCE_FOR: Readonly<Record<string, readonly string[]>> = {
  ".js": [".ts", ".tsx", ".js", ".jsx"],
  ".jsx": [".tsx", ".jsx"],
  ".mjs": [".mts", ".mjs"],
  ".cjs": [".cts", ".cjs"],
};

type PathsMatcher = (specifier: string) => string[];

/** tsconfig lookups by directory (get-tsconfig's own cache) and the paths matcher of each config. */
const tsconfigCache = new Map<string, unknown>();
const matchers = new Map<string, PathsMatcher | null>();

function pathsMatcherFor(fromFile: string): PathsMatcher | undefined {
  const dir = path.dirname(fromFile);
  let matcher = matchers.get(dir);
  if (matcher === undefined) {
    try {
      const found = getTsconfig(dir, "tsconfig.json", tsconfigCache as Map<string, never>);
      matcher = found ? createPathsMatcher(found) : null;
    } catch {
      // A tsconfig that does not parse gives no paths (typescript-eslint reports it when it matters).
      matcher = null;
    }
    matchers.set(dir, matcher);
  }
  return matcher ?? undefined;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The source file `base` (a path without or with an extension) denotes, probing as TypeScript and Node do. */
function probe(base: string): string | undefined {
  const written = path.extname(base);
  const alternatives = SOURCE_FOR[written];
  if (alternatives) {
    const stem = base.slice(0, -written.length);
    for (const ext of alternatives) if (isFile(stem + ext)) return stem + ext;
  }
  if (written && isFile(base)) return base;
  for (const ext of EXTENSIONS) if (isFile(base + ext)) return base + ext;
  for (const ext of EXTENSIONS) {
    const index = path.join(base, `index${ext}`);
    if (isFile(index)) return index;
  }
  return undefined;
}

/** The absolute file a specifier written in `fromFile` resolves to, or undefined when it is not followed. */
export function resolveSpecifier(specifier: string, fromFile: string): string | undefined {
  if (specifier.startsWith("./") || specifier.startsWith("../") || specifier === "." || specifier === "..") {
    return probe(path.resolve(path.dirname(fromFile), specifier));
  }
  if (path.isAbsolute(specifier)) return probe(specifier);
  const matcher = pathsMatcherFor(fromFile);
  if (!matcher) return undefined;
  for (const candidate of matcher(specifier)) {
    const file = probe(candidate);
    if (file && !/[\\/]node_modules[\\/]/.test(file)) return file;
  }
  return undefined;
}
