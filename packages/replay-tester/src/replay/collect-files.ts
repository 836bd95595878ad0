import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { glob } from "tinyglobby";
import { InputError } from "../errors.js";

// readHistoryFile decompresses gzip (the export-history package writes .jsonl.gz), so those count too.
const HISTORY_GLOB = "**/*.{json,jsonl,json.gz,jsonl.gz}";

/** Expands files, directories (every .json/.jsonl, gzipped or not, below them) and globs into sorted, de-duplicated paths. */
export async function collectHistoryFiles(inputs: readonly string[], cwd = process.cwd()): Promise<string[]> {
  const files = new Set<string>();
  for (const input of inputs) {
    const path = resolve(cwd, input);
    if (existsSync(path)) {
      if (statSync(path).isDirectory()) {
        for (const file of await glob(HISTORY_GLOB, { cwd: path, absolute: true, ignore: ["**/node_modules/**"] })) files.add(file);
      } else {
        files.add(path);
      }
      continue;
    }
    const matches = await glob(input, { cwd, absolute: true, ignore: ["**/node_modules/**"] });
    if (matches.length === 0) throw new InputError("matches no history file; check the path or glob", { file: input });
    for (const file of matches) files.add(file);
  }
  return [...files].sort();
}
