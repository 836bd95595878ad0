/**
 * The files the untyped analysis reads besides the linted one, parsed once per lint run (and per
 * editor session while unchanged): cached by absolute path, re-parsed when the file's mtime or
 * size changes. Any change bumps the generation, so summaries that may have depended on the old
 * text are dropped with their engine.
 */
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { type ModuleFile, type ModuleParser, moduleFileOf, parseModule } from "../analysis/module-file.js";

interface Entry {
  mtimeMs: number;
  size: number;
  file: ModuleFile | null;
}

/** By parser (a config may use espree for .js and typescript-eslint for .ts), then by path. */
const entries = new WeakMap<ModuleParser, Map<string, Entry>>();
let generation = 0;

/** Bumped whenever a cached file changed on disk since it was parsed. */
export function cacheGeneration(): number {
  return generation;
}

/** The parsed file at `fileName`, or undefined when it cannot be read or parsed (never a crash). */
export function moduleFileAt(fileName: string, parser: ModuleParser, cwd: string): ModuleFile | undefined {
  let byPath = entries.get(parser);
  if (!byPath) entries.set(parser, (byPath = new Map()));
  let stat;
  try {
    stat = statSync(fileName);
  } catch {
    return undefined;
  }
  const cached = byPath.get(fileName);
  if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.file ?? undefined;
  if (cached) generation++;
  let file: ModuleFile | null = null;
  try {
    const parsed = parseModule(readFileSync(fileName, "utf8"), fileName, parser);
    if (parsed) file = moduleFileOf(parsed, fileName, displayPath(fileName, cwd));
  } catch {
    // A file the parser rejects is not followed; ESLint reports it when it lints that file.
    file = null;
  }
  byPath.set(fileName, { mtimeMs: stat.mtimeMs, size: stat.size, file });
  return file ?? undefined;
}

/** Relative to ESLint's cwd, as the CLI and editors print paths; absolute when outside it. */
function displayPath(fileName: string, cwd: string): string {
  const rel = path.relative(cwd, fileName);
  return (rel.startsWith("..") || path.isAbsolute(rel) ? fileName : rel).split(path.sep).join("/");
}
