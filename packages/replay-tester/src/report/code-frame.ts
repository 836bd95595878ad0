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

/**
 * How much of a line a frame shows. A minified or generated file is one very long line: shown
 * whole under each of thousands of findings, the report outgrew the longest string V8 can build.
 */
export const FRAME_WIDTH = 160;

/** The part of `line` a frame shows, starting at `start`, with … where it was cut. */
function clip(line: string, start: number): string {
  const shown = line.slice(start, start + FRAME_WIDTH);
  return `${start > 0 && line.length > 0 ? "…" : ""}${shown}${line.length > start + FRAME_WIDTH ? "…" : ""}`;
}

/**
 * A few numbered source lines around a location, with a caret under the column; lines longer
 * than FRAME_WIDTH are cut to a window around the column. Empty when the file is unreadable.
 */
export function codeFrame(location: SourceLocation, context = 2): string {
  const lines = linesOf(location.file);
  if (!lines || location.line < 1 || location.line > lines.length) return "";
  const first = Math.max(1, location.line - context);
  const last = Math.min(lines.length, location.line + context);
  const width = String(last).length;
  const column = Math.max(0, location.column - 1);
  // The same window on every line of the frame, so the lines stay aligned around the caret.
  const start = column < FRAME_WIDTH - 20 ? 0 : column - Math.floor(FRAME_WIDTH / 2);
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const marker = n === location.line ? ">" : " ";
    out.push(`${marker} ${String(n).padStart(width)} | ${clip(lines[n - 1]!, start)}`);
    if (n === location.line) out.push(`  ${" ".repeat(width)} | ${" ".repeat(column - start + (start > 0 ? 1 : 0))}^`);
  }
  return out.join("\n");
}
