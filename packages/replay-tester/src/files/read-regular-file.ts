import { closeSync, constants, fstatSync, openSync, readFileSync, statSync, type Stats } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { InputError } from "../errors.js";

const MiB = 1024 * 1024;

/** Histories are rarely over a few MB; 256 MiB stays clear of V8's longest string (~512 MiB). */
export const DEFAULT_MAX_HISTORY_BYTES = 256 * MiB;
/** The environment variable that raises (or lowers) the limit, in MiB. */
export const MAX_HISTORY_ENV = "DTCHECK_MAX_HISTORY_MB";

/** The per-file limit: DTCHECK_MAX_HISTORY_MB when set, else the default. */
export function maxHistoryBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[MAX_HISTORY_ENV];
  if (raw === undefined || raw.trim() === "") return DEFAULT_MAX_HISTORY_BYTES;
  const mb = Number(raw);
  if (!Number.isFinite(mb) || mb <= 0) {
    throw new InputError(`${MAX_HISTORY_ENV}=${raw} is not a positive number of megabytes; set it to e.g. 512, or unset it for the default of ${DEFAULT_MAX_HISTORY_BYTES / MiB}`);
  }
  return Math.floor(mb * MiB);
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * MiB) return `${(bytes / (1024 * MiB)).toFixed(1)} GiB`;
  if (bytes >= MiB) return `${(bytes / MiB).toFixed(1)} MiB`;
  return `${bytes} bytes`;
}

/** What a path is when it is not a regular file, in words; undefined for a regular file. */
export function specialKind(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a FIFO (named pipe)";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isSocket()) return "a socket";
  return "not a regular file";
}

export interface ReadRegularFileOptions {
  /** Refuse files larger than this (default: maxHistoryBytes()). */
  maxBytes?: number;
  /** What the file is meant to be, for messages: "history file", "stubs file"... */
  what?: string;
  /** What to do about a file over the limit. */
  overLimitHint?: string;
}

function openError(error: unknown, file: string): InputError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === "ENOENT" || code === "ENOTDIR"
      ? "no such file; check the path"
      : code === "EACCES" || code === "EPERM"
        ? "cannot be read (permission denied); check its permissions"
        : code === "ELOOP"
          ? "is a symbolic link loop; check the path"
          : `cannot be read (${code ?? String(error)}); check the path`;
  return new InputError(why, { file, cause: error });
}

const defaultHint = `split it, or raise the limit with ${MAX_HISTORY_ENV}=<megabytes>`;
// O_NONBLOCK: opening a FIFO must not wait for a writer; it means nothing for regular files. Windows has no such flag.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

interface Limits {
  maxBytes: number;
  what: string;
  overLimit(size: string): InputError;
}

function limitsFor(file: string, options: ReadRegularFileOptions): Limits {
  const maxBytes = options.maxBytes ?? maxHistoryBytes();
  const what = options.what ?? "history file";
  const overLimit = (size: string) =>
    new InputError(`is ${size}, over the ${formatBytes(maxBytes)} limit for one ${what}; ${options.overLimitHint ?? defaultHint}`, { file });
  return { maxBytes, what, overLimit };
}

function openFailed(error: unknown, file: string, what: string): InputError {
  if ((error as NodeJS.ErrnoException).code === "EISDIR") return new InputError(`is a directory, not a ${what}; pass a file`, { file });
  return openError(error, file);
}

function notRegular(kind: string, file: string, what: string): InputError {
  return new InputError(`is ${kind}, not a regular file; save the ${what} to a regular file and pass that`, { file });
}

/**
 * For paths handed to something else to open (a module to import): refuses FIFOs and devices,
 * which would block or never end. A missing path is left to the caller's own message.
 */
export function assertRegularIfExists(file: string, what: string): void {
  let stats: Stats | undefined;
  try {
    stats = statSync(file);
  } catch {
    return;
  }
  const kind = specialKind(stats);
  if (kind && kind !== "a directory") throw notRegular(kind, file, what);
}

/** Refuses what is not a regular file, or is over the limit already by its size. */
function checkStats(stats: Stats, file: string, limits: Limits): void {
  const kind = specialKind(stats);
  if (kind) throw notRegular(kind, file, limits.what);
  if (stats.size > limits.maxBytes) throw limits.overLimit(formatBytes(stats.size));
}

/** readRegularFile for synchronous callers (small files: inputs, stubs). */
export function readRegularFileSync(file: string, options: ReadRegularFileOptions = {}): Buffer {
  const limits = limitsFor(file, options);
  let fd: number;
  try {
    fd = openSync(file, OPEN_FLAGS);
  } catch (error) {
    throw openFailed(error, file, limits.what);
  }
  try {
    checkStats(fstatSync(fd), file, limits);
    const bytes = readFileSync(fd);
    if (bytes.length > limits.maxBytes) throw limits.overLimit(`over ${formatBytes(limits.maxBytes)} (it grew while being read)`);
    return bytes;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw openError(error, file);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a whole file, but only a regular one and only up to a limit. FIFOs and devices are refused
 * before a byte is read (opening without O_NONBLOCK would wait forever for a FIFO's writer, and
 * /dev/zero never ends); the size is checked from fstat, and again while reading, so a file that
 * grows under us is caught too. Every refusal is an InputError naming the file.
 */
export async function readRegularFile(file: string, options: ReadRegularFileOptions = {}): Promise<Buffer> {
  const limits = limitsFor(file, options);
  const { maxBytes, overLimit } = limits;
  let handle: FileHandle;
  try {
    handle = await open(file, OPEN_FLAGS);
  } catch (error) {
    throw openFailed(error, file, limits.what);
  }
  try {
    const stats = await handle.stat();
    checkStats(stats, file, limits);
    // Some regular files report size 0 and still have content (/proc): read until EOF, never past the limit.
    let buffer = Buffer.allocUnsafe(Math.min(maxBytes + 1, Math.max(stats.size + 1, 64 * 1024)));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > maxBytes) throw overLimit(`over ${formatBytes(maxBytes)} (it grew while being read)`);
        const grown = Buffer.allocUnsafe(Math.min(maxBytes + 1, buffer.length * 2));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxBytes) throw overLimit(`over ${formatBytes(maxBytes)} (it grew while being read)`);
    return buffer.subarray(0, length);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw openError(error, file);
  } finally {
    await handle.close();
  }
}
