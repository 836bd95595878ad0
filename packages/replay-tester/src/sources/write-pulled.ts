/**
 * Writes pulled histories into a directory, one file per instance, all or nothing: every target is
 * checked (main's safe-write rule: never over anything but a history, and only with --force) and
 * every text is read back by dtcheck's own parser before the first file is written, so a refused
 * or unreadable history leaves no file behind. Histories are taken one at a time as they are
 * pulled and staged in a hidden folder of the output directory until the last one is in, so a
 * pull of many instances holds one history in memory, not all of them.
 */
import { dirname, join } from "node:path";
import { InputError } from "../errors.js";
import { checkHistoryTarget } from "../files/safe-write.js";
import { codecFor, parseHistoryText, writeHistory } from "../history/index.js";
import { isJsonObject } from "../history/formats/fields.js";
import type { HistoryFormat } from "../history/model.js";
import type { PulledHistory } from "./pulled.js";
import { createRedactor, type Redactor } from "./redact.js";
import { existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";

export interface WritePulledOptions {
  outDir: string;
  /** Default: the source's own format (friendly over gRPC, df-http over HTTP). */
  format?: HistoryFormat;
  jsonl?: boolean;
  force?: boolean;
  /** Hash payloads; a Redactor (with a fixed key) or true for a fresh key. */
  redact?: boolean | Redactor;
}

export interface WrittenHistory {
  instanceId: string;
  name: string;
  status: string;
  file: string;
  format: HistoryFormat;
  events: number;
  /** Events the reader had to rebuild (df-http); 0 for lossless sources. */
  reconstructed: number;
}

export interface WritePulledResult {
  written: WrittenHistory[];
  /** Things the user must know about what was written (one line each). */
  notes: string[];
}

/** A file name for an instance id: characters outside [A-Za-z0-9._-] percent-encoded, never hidden, never "." or "..". */
export function instanceFileName(instanceId: string): string {
  const encoded = [...instanceId].map((ch) => (/[A-Za-z0-9._-]/.test(ch) ? ch : [...Buffer.from(ch, "utf8")].map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join(""))).join("");
  return encoded.startsWith(".") ? `%2E${encoded.slice(1)}` : encoded;
}

/** The df-http response as the API sent it, with its payloads hashed (the same rule as the model's). */
function redactDfHttp(raw: unknown, redactor: Redactor): unknown {
  if (!isJsonObject(raw)) return raw;
  const out: Record<string, unknown> = { ...raw };
  for (const key of ["input", "output", "customStatus"]) if (key in out) out[key] = redactor.value(out[key]);
  if (Array.isArray(out.historyEvents)) {
    out.historyEvents = out.historyEvents.map((event: unknown) => {
      if (!isJsonObject(event)) return event;
      const e: Record<string, unknown> = { ...event };
      for (const key of ["Input", "Result", "Reason", "Details", "Data"]) if (key in e) e[key] = redactor.value(e[key]);
      if (isJsonObject(e.FailureDetails)) {
        const details: Record<string, unknown> = { ...e.FailureDetails };
        for (const key of ["ErrorMessage", "StackTrace"]) if (key in details) details[key] = redactor.value(details[key]);
        e.FailureDetails = details;
      }
      return e;
    });
  }
  return out;
}

function textFor(pulled: PulledHistory, format: HistoryFormat, jsonl: boolean, redactor: Redactor | undefined): string {
  if (format === pulled.format && pulled.raw !== undefined) {
    // The backend's own response is already this format: written as sent (so a re-read rebuilds exactly what the API showed).
    const raw = redactor ? redactDfHttp(pulled.raw, redactor) : pulled.raw;
    if (!jsonl) return JSON.stringify(raw, null, 2) + "\n";
    const lines = isJsonObject(raw) && Array.isArray(raw.historyEvents) ? raw.historyEvents : [];
    return lines.map((event) => JSON.stringify(event)).join("\n") + "\n";
  }
  const history = redactor ? redactor.history(pulled.history) : pulled.history;
  return writeHistory(history, format, { jsonl });
}

/**
 * Takes pulled histories one by one (`add`), checking and staging each, and puts them all in
 * place at once (`commit`); `abort` removes what was staged, and the output directory if this
 * writer created it.
 */
export class PulledHistoryWriter {
  private readonly redactor: Redactor | undefined;
  private readonly extension: string;
  private readonly planned: { file: string; staged: string; replace: boolean; entry: WrittenHistory }[] = [];
  private readonly taken = new Set<string>();
  private readonly notes: string[] = [];
  private staging: string | undefined;
  private createdOutDir = false;

  constructor(private readonly options: WritePulledOptions) {
    this.redactor = options.redact === true ? createRedactor() : options.redact || undefined;
    this.extension = options.jsonl ? ".jsonl" : ".json";
    if (existsSync(options.outDir) && !lstatSync(options.outDir).isDirectory()) {
      throw new InputError("is not a directory; --out-dir names the directory pulled histories are written into", { file: options.outDir });
    }
  }

  /** Histories taken so far. */
  get count(): number {
    return this.planned.length;
  }

  add(pulled: PulledHistory): void {
    const { options } = this;
    const format = options.format ?? pulled.format;
    let name = instanceFileName(pulled.instanceId);
    // Two ids that differ only in case would share a file on a case-insensitive file system.
    for (let n = 2; this.taken.has(name.toLowerCase()); n++) name = `${instanceFileName(pulled.instanceId)}~${n}`;
    this.taken.add(name.toLowerCase());
    const file = join(options.outDir, name + this.extension);
    checkHistoryTarget(file, { force: options.force, format, flag: "--out-dir" });
    const text = textFor(pulled, format, options.jsonl ?? false, this.redactor);
    let reread;
    try {
      reread = parseHistoryText(text, { file, format });
    } catch (error) {
      throw new InputError(
        `the ${format} text dtcheck would write for instance "${pulled.instanceId}" does not read back (${(error as Error).message}); nothing was written: pull it with --format friendly or protobuf-json`,
        { cause: error },
      );
    }
    // Events, not notes: one event can carry several guesses (its input and its version).
    const reconstructed = new Set(pulled.history.reconstructions?.map((r) => r.eventIndex)).size;
    if (reconstructed > 0 && codecFor(format).lossless) {
      this.notes.push(`${file}: ${reconstructed} events were rebuilt from the lossy ${pulled.format} answer; the ${format} file no longer marks them as guesses (keep --format ${pulled.format} to have replay reports say so)`);
    }
    const staged = join(this.stagingDir(), String(this.planned.length));
    writeFileSync(staged, text, { flag: "wx" });
    this.planned.push({
      file,
      staged,
      replace: existsSync(file),
      entry: { instanceId: pulled.instanceId, name: pulled.name, status: pulled.status, file, format, events: reread.events.length, reconstructed },
    });
  }

  /** A hidden folder inside the output directory: moving a staged file into place is then a rename on one file system. */
  private stagingDir(): string {
    if (this.staging) return this.staging;
    if (!existsSync(this.options.outDir)) {
      mkdirSync(this.options.outDir, { recursive: true });
      this.createdOutDir = true;
    }
    this.staging = mkdtempSync(join(this.options.outDir, ".dtcheck-pull-"));
    return this.staging;
  }

  /** Puts every staged history in place; a file that appeared meanwhile where none was is never overwritten. */
  commit(): WritePulledResult {
    try {
      for (const { file, staged, replace } of this.planned) {
        mkdirSync(dirname(file), { recursive: true });
        if (replace) renameSync(staged, file);
        else placeNew(staged, file);
      }
    } finally {
      this.removeStaging();
    }
    return { written: this.planned.map((p) => p.entry), notes: this.notes };
  }

  /** Removes what was staged: nothing of an unfinished pull is left behind. */
  abort(): void {
    this.removeStaging();
    if (this.createdOutDir && existsSync(this.options.outDir) && readdirSync(this.options.outDir).length === 0) rmSync(this.options.outDir, { recursive: true, force: true });
  }

  private removeStaging(): void {
    if (this.staging) rmSync(this.staging, { recursive: true, force: true });
    this.staging = undefined;
  }
}

/** Moves a staged file to where no file is: a hard link fails if one appeared meanwhile (a copy where links are not supported). */
function placeNew(staged: string, file: string): void {
  try {
    linkSync(staged, file);
    unlinkSync(staged);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") throw new InputError("appeared while dtcheck was writing it; run again", { file });
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EXDEV") throw error;
    try {
      writeFileSync(file, readFileSync(staged), { flag: "wx" });
    } catch (copyError) {
      if ((copyError as NodeJS.ErrnoException).code === "EEXIST") throw new InputError("appeared while dtcheck was writing it; run again", { file });
      throw copyError;
    }
  }
}

export function writePulledHistories(histories: readonly PulledHistory[], options: WritePulledOptions): WritePulledResult {
  const writer = new PulledHistoryWriter(options);
  try {
    for (const pulled of histories) writer.add(pulled);
  } catch (error) {
    writer.abort();
    throw error;
  }
  return writer.commit();
}
