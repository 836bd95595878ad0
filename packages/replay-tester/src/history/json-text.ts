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
  if (firstLineIsObject(text) && looksLikeJsonl(text)) return { value: parseJsonl(textLines(text), file), jsonl: true };
  try {
    return { value: JSON.parse(text), jsonl: false };
  } catch {
    // Fall through: maybe JSON Lines, else report where the JSON breaks.
  }
  if (looksLikeJsonl(text)) return { value: parseJsonl(textLines(text), file), jsonl: true };
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

/** The lines of a JSONL document, read lazily so a byte buffer need not become one big string. */
interface Lines {
  count: number;
  get(index: number): string;
}

function textLines(text: string): Lines {
  const lines = text.split("\n");
  return { count: lines.length, get: (index) => lines[index]! };
}

function parseJsonl(lines: Lines, file?: string): unknown[] {
  const values: unknown[] = [];
  for (let i = 0; i < lines.count; i++) {
    const line = lines.get(i);
    if (line.trim() === "") continue;
    try {
      values.push(JSON.parse(line));
    } catch {
      const error = locateJsonError(line, 0);
      const column = error.offset + 1;
      let last = true;
      for (let rest = i + 1; rest < lines.count && last; rest++) last = lines.get(rest).trim() === "";
      if (error.atEnd && last) {
        throw new InputError(`line ${i + 1} (the last) ends in the middle of a JSON value at column ${column}; the file looks truncated, export the history again`, { file });
      }
      throw new InputError(`malformed JSON on line ${i + 1}, column ${column}: ${error.reason}; each JSONL line must be one complete JSON event`, { file });
    }
  }
  return values;
}

/** Files above this are parsed from their bytes element by element when they are one JSON array. */
export const CHUNKED_ARRAY_ABOVE_BYTES = 32 * 1024 * 1024;

export interface ParseBytesOptions {
  /** Parse a top-level JSON array element by element above this size (default CHUNKED_ARRAY_ABOVE_BYTES). */
  chunkedAboveBytes?: number;
}

const isSpace = (byte: number | undefined) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;

/**
 * Like parseJsonText, from the file's bytes, without turning a large file into one string first:
 * JSON Lines are decoded and parsed line by line, and a large top-level JSON array element by
 * element, so the text never exists twice (bytes and string) and may exceed V8's string limit.
 * Anything else, and every malformed input, goes through parseJsonText for its exact message.
 */
export function parseJsonBytes(bytes: Buffer, file?: string, options: ParseBytesOptions = {}): ParsedText {
  // Line numbers in messages count from the top of the file, so only the byte-order mark is cut off the text.
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let start = bom;
  while (isSpace(bytes[start])) start++;
  const newline = bytes.indexOf(0x0a, start);
  if (bytes[start] === 0x7b && newline > 0) {
    let end = newline;
    while (end > start && isSpace(bytes[end - 1])) end--;
    let more = newline + 1;
    while (isSpace(bytes[more])) more++;
    if (bytes[end - 1] === 0x7d && more < bytes.length && parses(bytes.toString("utf8", start, end))) {
      return { value: parseJsonl(byteLines(bytes, bom), file), jsonl: true };
    }
  }
  if (bytes[start] === 0x5b && bytes.length > (options.chunkedAboveBytes ?? CHUNKED_ARRAY_ABOVE_BYTES)) {
    const value = parseArrayChunked(bytes, start);
    if (value) return { value, jsonl: false };
  }
  let text: string;
  try {
    text = bytes.toString("utf8", bom);
  } catch {
    // Over V8's longest string: only the element-by-element paths above could have read it.
    throw new InputError("is too large to read as one JSON document and is not a plain JSON array or JSONL; export it as JSONL (one event per line)", { file });
  }
  return parseJsonText(text, file);
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function byteLines(bytes: Buffer, start: number): Lines {
  const starts = [start];
  for (let at = bytes.indexOf(0x0a, start); at >= 0; at = bytes.indexOf(0x0a, at + 1)) starts.push(at + 1);
  return {
    count: starts.length,
    get: (index) => bytes.toString("utf8", starts[index]!, index + 1 < starts.length ? starts[index + 1]! - 1 : bytes.length),
  };
}

/**
 * The elements of a top-level JSON array, each parsed on its own from its byte range. Undefined
 * when the bytes are not exactly one well-formed array (the caller then reports the error).
 */
function parseArrayChunked(bytes: Buffer, open: number): unknown[] | undefined {
  const n = bytes.length;
  const values: unknown[] = [];
  let pos = open + 1;
  while (isSpace(bytes[pos])) pos++;
  if (bytes[pos] === 0x5d) pos++;
  else {
    for (;;) {
      const elementStart = pos;
      let depth = 0;
      let inString = false;
      for (; pos < n; pos++) {
        const byte = bytes[pos]!;
        if (inString) {
          if (byte === 0x5c) pos++;
          else if (byte === 0x22) inString = false;
        } else if (byte === 0x22) inString = true;
        else if (byte === 0x7b || byte === 0x5b) depth++;
        else if (byte === 0x7d || byte === 0x5d) {
          if (depth === 0) break;
          depth--;
        } else if (byte === 0x2c && depth === 0) break;
      }
      if (pos >= n) return undefined;
      try {
        values.push(JSON.parse(bytes.toString("utf8", elementStart, pos)));
      } catch {
        return undefined;
      }
      if (bytes[pos++] === 0x5d) break;
    }
  }
  while (isSpace(bytes[pos])) pos++;
  return pos === n ? values : undefined;
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
