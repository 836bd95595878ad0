import { findSourceMap } from "node:module";
import { fileURLToPath } from "node:url";
import { sep } from "node:path";
import type { SourceLocation } from "./engine.js";

/** dtcheck's own package directory: frames inside it are never the user's code. */
const OWN_DIR = fileURLToPath(new URL("../../", import.meta.url));

function toPath(file: string): string {
  const withoutQuery = file.replace(/\?.*$/, "");
  return withoutQuery.startsWith("file://") ? fileURLToPath(withoutQuery) : withoutQuery;
}

/**
 * Captures the current call sites as V8 CallSite objects, independent of whatever
 * Error.prepareStackTrace a test runner or source-map tool has installed.
 */
export function captureCallSites(): NodeJS.CallSite[] {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = (_error, sites) => sites;
  const holder: { stack?: unknown } = {};
  Error.captureStackTrace(holder, captureCallSites);
  const sites = holder.stack as NodeJS.CallSite[] | undefined;
  Error.prepareStackTrace = previous;
  return sites ?? [];
}

/** Maps a generated position through the module's source map (tsx emits one), 1-based in and out. */
function original(fileName: string, line: number, column: number): SourceLocation {
  const map = findSourceMap(fileName) ?? findSourceMap(fileName.replace(/\?.*$/, ""));
  if (map) {
    const entry = map.findEntry(line - 1, column - 1) as {
      originalSource?: string;
      originalLine?: number;
      originalColumn?: number;
    };
    if (entry && entry.originalSource !== undefined && entry.originalLine !== undefined) {
      const source = entry.originalSource.startsWith("file://") ? toPath(entry.originalSource) : toPath(fileName);
      return { file: source, line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1 };
    }
  }
  return { file: toPath(fileName), line, column };
}

/** The first call site that belongs to the user's code (not the SDK, not dtcheck, not Node), source-mapped. */
export function userFrame(sites: readonly NodeJS.CallSite[], excludedDirs: readonly string[]): SourceLocation | undefined {
  for (const site of sites) {
    const fileName = site.getFileName() ?? site.getScriptNameOrSourceURL?.();
    if (!fileName || fileName.startsWith("node:")) continue;
    const file = toPath(fileName);
    if (file.startsWith(OWN_DIR) || file.includes(`${sep}node_modules${sep}`)) continue;
    if (excludedDirs.some((dir) => file.startsWith(dir))) continue;
    const line = site.getLineNumber();
    const column = site.getColumnNumber();
    if (line === null || column === null) continue;
    return original(fileName, line, column);
  }
  return undefined;
}
