import { readFileSync } from "node:fs";
import type { SourceLocation } from "../engines/engine.js";

const fileCache = new Map<string, string[] | undefined>();

function linesOf(file: string): string[] | undefined {
  if (!fileCache.has(file)) {
    try {
      fileCache.set(file, readFileSync(file, "utf8").split(/\r?\n/));
    } catch {
      fileCache.set(file, undefined);
    }
  }
  return fileCache.get(file);
}

/** A few numbered source lines around a location, with a caret under the column. Empty when the file is unreadable. */
export function codeFrame(location: SourceLocation, context = 2): string {
  const lines = linesOf(location.file);
  if (!lines || location.line < 1 || location.line > lines.length) return "";
  const first = Math.max(1, location.line - context);
  const last = Math.min(lines.length, location.line + context);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const marker = n === location.line ? ">" : " ";
    out.push(`${marker} ${String(n).padStart(width)} | ${lines[n - 1]}`);
    if (n === location.line) out.push(`  ${" ".repeat(width)} | ${" ".repeat(Math.max(0, location.column - 1))}^`);
  }
  return out.join("\n");
}
