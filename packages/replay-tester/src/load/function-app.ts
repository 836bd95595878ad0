/**
 * Azure Functions apps (Node.js v4 programming model) as the Functions host finds their code: the
 * folder with `host.json` names its entry points in package.json `main`, a file or a glob such as
 * `dist/src/functions/*.js` or `dist/src/{index.js,functions/*.js}`. When the app is TypeScript,
 * dtcheck loads the sources behind that compiled output (tsconfig `outDir` → `rootDir`), so a check
 * sees the code as it is now, not the last build; without sources it loads the compiled files.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { glob } from "tinyglobby";
import { InputError } from "../errors.js";

export const HOST_JSON = "host.json";

/** Whether `dir` is a function app root (a directory with host.json). */
export function isFunctionAppDir(dir: string): boolean {
  try {
    return statSync(dir).isDirectory() && existsSync(path.join(dir, HOST_JSON));
  } catch {
    return false;
  }
}

/** tsconfig.json allows comments and trailing commas; strip them outside strings before JSON.parse. */
function parseJsonc(text: string): unknown {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') {
      const end = /"(?:[^"\\]|\\.)*"/y;
      end.lastIndex = i;
      const match = end.exec(text);
      const literal = match ? match[0] : text.slice(i);
      out += literal;
      i += literal.length - 1;
    } else if (ch === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      out += "\n";
    } else if (ch === "/" && text[i + 1] === "*") {
      const close = text.indexOf("*/", i + 2);
      i = close < 0 ? text.length : close + 1;
    } else {
      out += ch;
    }
  }
  return JSON.parse(out.replace(/,(\s*[}\]])/g, "$1"));
}

interface CompilerDirs {
  outDir: string;
  rootDir: string;
}

/** The app's tsconfig output and source folders (relative, POSIX), or undefined for a JavaScript app. */
function compilerDirs(dir: string): CompilerDirs | undefined {
  const file = path.join(dir, "tsconfig.json");
  if (!existsSync(file)) return undefined;
  let options: { outDir?: string; rootDir?: string } = {};
  try {
    options = ((parseJsonc(readFileSync(file, "utf8")) as { compilerOptions?: typeof options }).compilerOptions ?? {});
  } catch (error) {
    throw new InputError(`is not valid JSON (${error instanceof Error ? error.message : String(error)}); fix it so dtcheck can find the TypeScript sources behind package.json "main"`, { file, cause: error });
  }
  const clean = (p: string | undefined, fallback: string) => path.posix.normalize((p ?? fallback).replaceAll("\\", "/")).replace(/^\.\/|\/$/g, "");
  return { outDir: clean(options.outDir, "."), rootDir: clean(options.rootDir, ".") };
}

/** `dist/src/functions/*.js` → `src/functions/*.ts` for outDir dist, rootDir "." (the template's tsconfig). */
function sourcePattern(pattern: string, dirs: CompilerDirs): string | undefined {
  const normal = path.posix.normalize(pattern).replace(/^\.\//, "");
  const prefix = dirs.outDir === "." ? "" : `${dirs.outDir}/`;
  if (!normal.startsWith(prefix)) return undefined;
  const rest = normal.slice(prefix.length);
  const base = dirs.rootDir === "." ? "" : `${dirs.rootDir}/`;
  return (base + rest).replace(/\.js\b/g, ".ts").replace(/\.mjs\b/g, ".mts").replace(/\.cjs\b/g, ".cts");
}

/**
 * The files the Functions host would load for the app in `dir`, in a stable order (sorted, as a
 * glob gives no order the host promises). One clear error when there is nothing to load.
 */
export async function functionAppEntries(dir: string): Promise<string[]> {
  const manifestFile = path.join(dir, "package.json");
  if (!existsSync(manifestFile)) {
    throw new InputError(`has ${HOST_JSON} but no package.json; a Node.js function app names its code in package.json "main" (e.g. "dist/src/functions/*.js")`, { file: dir });
  }
  let main: unknown;
  try {
    main = (JSON.parse(readFileSync(manifestFile, "utf8")) as { main?: unknown }).main;
  } catch (error) {
    throw new InputError(`is not valid JSON (${error instanceof Error ? error.message : String(error)})`, { file: manifestFile, cause: error });
  }
  if (typeof main !== "string" || !main.trim()) {
    throw new InputError(`has no "main"; the Functions host (v4 programming model) loads the files it names, e.g. "main": "dist/src/functions/*.js"; add it, or pass --module <file>`, { file: manifestFile });
  }
  const dirs = compilerDirs(dir);
  const source = dirs && sourcePattern(main, dirs);
  if (source) {
    const sources = await glob(source, { cwd: dir, absolute: true, ignore: ["**/node_modules/**", "**/*.d.ts"] });
    if (sources.length) return sources.sort();
  }
  const compiled = await glob(main, { cwd: dir, absolute: true, ignore: ["**/node_modules/**"] });
  if (compiled.length) return compiled.sort();
  throw new InputError(
    `package.json "main" (${main}) matches no file${source ? `, and neither do the TypeScript sources behind it (${source})` : ""}; build the app (npm run build) or fix "main"`,
    { file: dir },
  );
}
