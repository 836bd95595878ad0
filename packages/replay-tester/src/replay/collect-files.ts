import { opendir, realpath, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { glob } from "tinyglobby";
import { InputError } from "../errors.js";

/**
 * What counts as a history file in a directory, case-insensitively (Windows tools write `.JSON`).
 * readHistoryFile decompresses gzip (the export-history package writes .jsonl.gz), so those count too.
 */
const HISTORY_FILE = /\.jsonl?(\.gz)?$/i;
const SEARCHED = "*.json, *.jsonl, *.json.gz and *.jsonl.gz files, in any letter case";

export interface CollectedInputs {
  /** History files, absolute, sorted and de-duplicated. */
  files: string[];
  /** Directories below an input that could not be listed: reported, and the rest still read. */
  unreadable: { path: string; message: string }[];
}

function errnoWords(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "EACCES" || code === "EPERM" ? "permission denied" : (code ?? String(error));
}

/**
 * Every history file below `root`, skipping node_modules and hidden entries as globs do. Written
 * out rather than globbed because glob libraries skip unreadable directories silently, and a
 * folder that was not read must never count as a folder without failing histories.
 */
async function walk(root: string, shown: string, found: Set<string>, unreadable: CollectedInputs["unreadable"]): Promise<void> {
  const pending = [root];
  const seen = new Set<string>();
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    // A symlinked directory is followed once: a link back up the tree must not loop.
    const real = await realpath(dir).catch(() => dir);
    if (seen.has(real)) continue;
    seen.add(real);
    let entries;
    try {
      entries = await opendir(dir);
    } catch (error) {
      if (dir === root) throw new InputError(`cannot be read (${errnoWords(error)}); check its permissions`, { file: shown });
      unreadable.push({ path: dir, message: `${dir}: the directory cannot be read (${errnoWords(error)}), so the histories in it were not replayed; check its permissions` });
      continue;
    }
    for await (const entry of entries) {
      if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
      const path = join(dir, entry.name);
      let isDirectory = entry.isDirectory();
      if (entry.isSymbolicLink()) isDirectory = (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
      if (isDirectory) pending.push(path);
      // Anything else with a history name (a FIFO, a broken link) is kept: reading it says what is wrong with it.
      else if (HISTORY_FILE.test(entry.name)) found.add(path);
    }
  }
}

/**
 * Expands files, directories (every history file below them) and globs. An input that yields no
 * history file is an InputError saying what was searched: "0 histories replayed" must never pass.
 */
export async function collectHistoryInputs(inputs: readonly string[], cwd = process.cwd()): Promise<CollectedInputs> {
  const files = new Set<string>();
  const unreadable: CollectedInputs["unreadable"] = [];
  for (const input of inputs) {
    const path = resolve(cwd, input);
    const stats = await stat(path).catch(() => undefined);
    if (stats?.isDirectory()) {
      const before = files.size + unreadable.length;
      await walk(path, input, files, unreadable);
      if (files.size + unreadable.length === before) {
        throw new InputError(`has no history files: searched it and its subfolders for ${SEARCHED}; record or export histories into it, or check the path`, { file: input });
      }
      continue;
    }
    if (stats) {
      files.add(path);
      continue;
    }
    const matches = await glob(input, { cwd, absolute: true, ignore: ["**/node_modules/**"] });
    if (matches.length === 0) throw new InputError("matches no history file; check the path or glob", { file: input });
    for (const file of matches) files.add(file);
  }
  return { files: [...files].sort(), unreadable };
}

/** The history files of collectHistoryInputs; directories that could not be read are an InputError. */
export async function collectHistoryFiles(inputs: readonly string[], cwd = process.cwd()): Promise<string[]> {
  const { files, unreadable } = await collectHistoryInputs(inputs, cwd);
  if (unreadable.length) throw new InputError(unreadable[0]!.message);
  return files;
}
