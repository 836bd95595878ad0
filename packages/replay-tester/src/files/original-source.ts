import { existsSync, readFileSync } from "node:fs";
import { findSourceMap } from "node:module";
import { dirname, isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { OrchestratorTarget } from "../engines/engine.js";

const MAPPING_URL = /\/\/[#@] sourceMappingURL=(\S+)\s*$/;
const INLINE_MAP = /^data:application\/json(?:;charset=[^;,]+)?;base64,(.+)$/;

/**
 * The sources a compiled file's source map names, as absolute paths. Node keeps the map of every
 * module it loaded while source maps were enabled (load-module.ts enables them); a module some
 * other loader ran (a test runner's) has its map read from the comment tsc leaves at its end.
 */
function mappedSources(file: string): string[] | undefined {
  const known = findSourceMap(file)?.payload;
  if (known) return known.sources.map((source) => (source.startsWith("file:") ? fileURLToPath(source) : resolve(dirname(file), source)));
  const url = MAPPING_URL.exec(readFileSync(file, "utf8").slice(-4096))?.[1];
  if (!url) return undefined;
  const inline = INLINE_MAP.exec(url);
  const mapFile = inline ? file : resolve(dirname(file), decodeURIComponent(url));
  const map = JSON.parse(inline ? Buffer.from(inline[1]!, "base64").toString("utf8") : readFileSync(mapFile, "utf8")) as { sources?: unknown; sourceRoot?: unknown };
  if (!Array.isArray(map.sources)) return undefined;
  const root = typeof map.sourceRoot === "string" && map.sourceRoot ? map.sourceRoot.replace(/\/?$/, "/") : "";
  return map.sources.filter((source): source is string => typeof source === "string").map((source) => resolve(dirname(mapFile), `${root}${source}`));
}

/**
 * The TypeScript file a compiled module was built from, when its source map names exactly one
 * source that exists (tsc's output with `sourceMap` or `inlineSourceMap`, as the Functions template
 * builds it); otherwise the file itself. Call sites and types are then read where the runs' stacks,
 * mapped through the same map, say the calls were made.
 */
export function originalSource(file: string): string {
  if (!/\.[cm]?js$/.test(file)) return file;
  try {
    const sources = mappedSources(file);
    const source = sources?.length === 1 ? sources[0]! : undefined;
    return source && isAbsolute(source) && existsSync(source) ? source : file;
  } catch {
    // An unreadable file or a malformed map: the compiled file is what there is.
    return file;
  }
}

/** Where an orchestrator's source is read (types, call sites): its own source file, the original of a compiled one. */
export function sourceOf(target: Pick<OrchestratorTarget, "sourceFile" | "modulePath">): string | undefined {
  const file = target.sourceFile ?? target.modulePath;
  return file === undefined ? undefined : originalSource(file);
}
