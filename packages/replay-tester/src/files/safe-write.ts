import { randomBytes } from "node:crypto";
import { lstatSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import { InputError } from "../errors.js";
import { codecFor, detectFormat, parseHistoryValue } from "../history/index.js";
import { parseJsonBytes } from "../history/json-text.js";
import type { HistoryFormat } from "../history/model.js";
import { readRegularFileSync, specialKind } from "./read-regular-file.js";

/** Extensions of files people write by hand: never replaced, whatever the flags say. */
const SOURCE_EXTENSIONS = new Set([".ts", ".mts", ".cts", ".tsx", ".js", ".mjs", ".cjs", ".jsx", ".json5", ".yml", ".yaml", ".md", ".toml"]);
const PROTECTED_NAMES = new Set(["package.json", "package-lock.json", "tsconfig.json", "dtcheck.config.json"]);

export interface HistoryWriteOptions {
  /** Replace an existing file, but only one that already reads as a history. */
  force?: boolean;
  /** The format about to be written: a lossless history is never replaced by a lossy one. */
  format: HistoryFormat;
  /** The option that named the file, for messages ("--out"). */
  flag?: string;
}

/** The format of an existing file when it reads as a history, else undefined. */
function existingHistoryFormat(file: string): HistoryFormat | undefined {
  try {
    const bytes = readRegularFileSync(file, { what: "history file" });
    const value = parseJsonBytes(bytes, file).value;
    const format = detectFormat(value);
    if (format !== undefined) parseHistoryValue(value, { file, format, validate: false });
    return format;
  } catch {
    return undefined;
  }
}

/**
 * Refuses to write a history over anything that is not itself a history: a source file, a
 * config, a directory, a FIFO, an unrelated JSON file are never replaced; an existing history
 * only with --force, and never a lossless one by a lossy format. Each refusal names the file.
 */
export function checkHistoryTarget(file: string, options: HistoryWriteOptions): void {
  const flag = options.flag ?? "--out";
  let stats;
  try {
    stats = lstatSync(file);
  } catch {
    return; // nothing there: a new file
  }
  const kind = stats.isSymbolicLink() ? "a symbolic link" : specialKind(stats);
  if (kind) throw new InputError(`is ${kind}; ${flag} writes a new history file and never replaces anything else, so choose another path`, { file });
  const name = basename(file).toLowerCase();
  if (SOURCE_EXTENSIONS.has(extname(name)) || PROTECTED_NAMES.has(name)) {
    throw new InputError(`already exists and is a source or project file; dtcheck never overwrites it, so choose another ${flag} path (e.g. histories/x.json)`, { file });
  }
  const format = existingHistoryFormat(file);
  if (format === undefined) {
    throw new InputError(`already exists and is not a history; dtcheck overwrites only histories (with --force), so choose another ${flag} path`, { file });
  }
  if (codecFor(format).lossless && !codecFor(options.format).lossless) {
    throw new InputError(`already holds a lossless ${format} history; writing lossy ${options.format} over it would lose events, so choose another ${flag} path`, { file });
  }
  if (!options.force) {
    throw new InputError(`already exists (a ${format} history); pass --force to replace it, or choose another ${flag} path`, { file });
  }
}

/**
 * Writes the whole text or nothing: into a temporary file beside the target, then renamed over
 * it, so an interrupted run never leaves half a history. A new file is created exclusively, so a
 * file that appeared since checkHistoryTarget is not replaced either.
 */
export function writeFileAtomically(file: string, text: string, options: { replace: boolean }): void {
  mkdirSync(dirname(file), { recursive: true });
  if (!options.replace) {
    try {
      writeFileSync(file, text, { flag: "wx" });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new InputError("appeared while dtcheck was writing it; run again", { file });
      throw error;
    }
  }
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    writeFileSync(temp, text, { flag: "wx" });
    renameSync(temp, file);
  } finally {
    rmSync(temp, { force: true });
  }
}

/** checkHistoryTarget, then writeFileAtomically: what record and convert do with --out. */
export function writeHistoryFile(file: string, text: string, options: HistoryWriteOptions): void {
  checkHistoryTarget(file, options);
  let exists = true;
  try {
    lstatSync(file);
  } catch {
    exists = false;
  }
  writeFileAtomically(file, text, { replace: exists });
}
