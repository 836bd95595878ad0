import { InputError } from "../errors.js";

/**
 * JSON / JSONL text to a value, with errors a user can act on: an empty file, the line and column
 * of malformed JSON, and a file cut short (truncated export). JSON.parse does the work; the slow
 * locator below runs only after it failed, because V8's messages do not always give a position.
 */

export interface ParsedText {
  value: unknown;
  /** True when the text was JSON Lines (one event per line); the value is then the array of lines. */
  jsonl: boolean;
}

export function parseJsonText(text: string, file?: string): ParsedText {
  // Windows tools (PowerShell's Out-File, Notepad) often start UTF-8 files with a byte-order mark.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (!/\S/.test(text)) {
    throw new InputError("the file is empty; expected a history as JSON (an array of events or an object holding one) or JSONL (one event per line)", { file });
  }
  // JSONL is recognised up front when its first line is a whole object, so the common JSONL file
  // does not pay for a failed JSON.parse of the whole text.
  if (firstLineIsObject(text) && looksLikeJsonl(text)) return { value: parseJsonl(text, file), jsonl: true };
  try {
    return { value: JSON.parse(text), jsonl: false };
  } catch {
    // Fall through: maybe JSON Lines, else report where the JSON breaks.
  }
  if (looksLikeJsonl(text)) return { value: parseJsonl(text, file), jsonl: true };
  throw describe(text, locateJsonError(text, 0), file);
}

function firstLineIsObject(text: string): boolean {
  let start = 0;
  while (start < text.length && text.charCodeAt(start) <= 32) start++;
  const newline = text.indexOf("\n", start);
  if (text[start] !== "{" || newline < 0) return false;
  let end = newline - 1;
  while (end > start && text.charCodeAt(end) <= 32) end--;
  return text[end] === "}";
}

/** JSONL when the first non-empty line is a complete JSON value on its own and more lines follow. */
function looksLikeJsonl(text: string): boolean {
  const body = text.trimStart();
  const newline = body.indexOf("\n");
  if (newline < 0 || body.slice(newline).trim() === "") return false;
  try {
    JSON.parse(body.slice(0, newline));
    return true;
  } catch {
    return false;
  }
}

function parseJsonl(text: string, file?: string): unknown[] {
  const lines = text.split("\n");
  const values: unknown[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === "") continue;
    try {
      values.push(JSON.parse(line));
    } catch {
      const error = locateJsonError(line, 0);
      const column = error.offset + 1;
      const last = lines.slice(i + 1).every((rest) => rest.trim() === "");
      if (error.atEnd && last) {
        throw new InputError(`line ${i + 1} (the last) ends in the middle of a JSON value at column ${column}; the file looks truncated, export the history again`, { file });
      }
      throw new InputError(`malformed JSON on line ${i + 1}, column ${column}: ${error.reason}; each JSONL line must be one complete JSON event`, { file });
    }
  }
  return values;
}

function describe(text: string, error: JsonError, file?: string): InputError {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < error.offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  const column = error.offset - lineStart + 1;
  if (error.atEnd) {
    return new InputError(`the JSON ends early at line ${line}, column ${column} (${error.reason}); the file looks truncated, export the history again`, { file });
  }
  return new InputError(`malformed JSON at line ${line}, column ${column}: ${error.reason}`, { file });
}

interface JsonError {
  offset: number;
  reason: string;
  /** The text ended before the value was complete. */
  atEnd: boolean;
}

/** Finds the first syntax error of a text JSON.parse rejected. */
function locateJsonError(text: string, start: number): JsonError {
  let pos = start;
  const n = text.length;
  const fail = (reason: string): never => {
    throw { offset: pos, reason: pos >= n ? "unexpected end of input" : reason, atEnd: pos >= n } satisfies JsonError;
  };
  const ws = () => {
    while (pos < n && (text[pos] === " " || text[pos] === "\t" || text[pos] === "\n" || text[pos] === "\r")) pos++;
  };
  const literal = (word: string) => {
    for (const ch of word) {
      if (text[pos] !== ch) fail(`unexpected ${JSON.stringify(text[pos])}, expected ${word}`);
      pos++;
    }
  };
  const string = () => {
    pos++;
    while (pos < n && text[pos] !== '"') {
      if (text[pos] === "\\") pos++;
      else if (text.charCodeAt(pos) < 0x20) fail("control character inside a string");
      pos++;
    }
    if (pos >= n) fail("unterminated string");
    pos++;
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(pos, pos + 400));
    if (!match || match[0] === "" || match[0] === "-") fail(`expected a JSON value, found ${JSON.stringify(text[pos])}`);
    pos += match![0].length;
  };
  const value = (): void => {
    ws();
    const ch = text[pos];
    if (ch === "{") {
      pos++;
      ws();
      if (text[pos] === "}") {
        pos++;
        return;
      }
      for (;;) {
        ws();
        if (text[pos] !== '"') fail(`expected a property name in double quotes, found ${JSON.stringify(text[pos])}`);
        string();
        ws();
        if (text[pos] !== ":") fail(`expected ':' after a property name, found ${JSON.stringify(text[pos])}`);
        pos++;
        value();
        ws();
        if (text[pos] === ",") {
          pos++;
          continue;
        }
        if (text[pos] === "}") {
          pos++;
          return;
        }
        fail(`expected ',' or '}', found ${JSON.stringify(text[pos])}`);
      }
    }
    if (ch === "[") {
      pos++;
      ws();
      if (text[pos] === "]") {
        pos++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[pos] === ",") {
          pos++;
          continue;
        }
        if (text[pos] === "]") {
          pos++;
          return;
        }
        fail(`expected ',' or ']', found ${JSON.stringify(text[pos])}`);
      }
    }
    if (ch === '"') return string();
    if (ch === "t") return literal("true");
    if (ch === "f") return literal("false");
    if (ch === "n") return literal("null");
    return number();
  };
  try {
    value();
    ws();
    if (pos < n) fail(`unexpected ${JSON.stringify(text[pos])} after the end of the JSON value`);
    return { offset: pos, reason: "invalid JSON", atEnd: false };
  } catch (error) {
    return error as JsonError;
  }
}
