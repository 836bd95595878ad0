/**
 * Writes pulled histories into a directory, one file per instance, all or nothing: every target is
 * checked (main's safe-write rule: never over anything but a history, and only with --force) and
 * every text is read back by dtcheck's own parser before the first file is written, so a refused
 * or unreadable history leaves no file behind.
 */
import { join } from "node:path";
import { InputError } from "../errors.js";
import { checkHistoryTarget, writeFileAtomically } from "../files/safe-write.js";
import { codecFor, parseHistoryText, writeHistory } from "../history/index.js";
import { isJsonObject } from "../history/formats/fields.js";
import type { HistoryFormat } from "../history/model.js";
import type { PulledHistory } from "./pulled.js";
import { createRedactor, type Redactor } from "./redact.js";
import { existsSync, lstatSync } from "node:fs";

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

export function writePulledHistories(histories: readonly PulledHistory[], options: WritePulledOptions): WritePulledResult {
  const redactor = options.redact === true ? createRedactor() : options.redact || undefined;
  const extension = options.jsonl ? ".jsonl" : ".json";
  const planned: { file: string; text: string; replace: boolean; entry: WrittenHistory }[] = [];
  const taken = new Set<string>();
  const notes: string[] = [];
  if (existsSync(options.outDir) && !lstatSync(options.outDir).isDirectory()) {
    throw new InputError("is not a directory; --out-dir names the directory pulled histories are written into", { file: options.outDir });
  }
  for (const pulled of histories) {
    const format = options.format ?? pulled.format;
    let name = instanceFileName(pulled.instanceId);
    // Two ids that differ only in case would share a file on a case-insensitive file system.
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${instanceFileName(pulled.instanceId)}~${n}`;
    taken.add(name.toLowerCase());
    const file = join(options.outDir, name + extension);
    checkHistoryTarget(file, { force: options.force, format, flag: "--out-dir" });
    const text = textFor(pulled, format, options.jsonl ?? false, redactor);
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
      notes.push(`${file}: ${reconstructed} events were rebuilt from the lossy ${pulled.format} answer; the ${format} file no longer marks them as guesses (keep --format ${pulled.format} to have replay reports say so)`);
    }
    planned.push({
      file,
      text,
      replace: existsSync(file),
      entry: { instanceId: pulled.instanceId, name: pulled.name, status: pulled.status, file, format, events: reread.events.length, reconstructed },
    });
  }
  for (const { file, text, replace } of planned) writeFileAtomically(file, text, { replace });
  return { written: planned.map((p) => p.entry), notes };
}
