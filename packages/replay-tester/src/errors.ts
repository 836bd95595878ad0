import { isAbsolute, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/**
 * An error caused by the user's input (a file, a module, an option), as opposed to a bug in dtcheck.
 * Its message is one line that names the file, says what is wrong and what to do; the CLI prints
 * it without a stack trace and exits with code 2.
 */
export class InputError extends Error {
  override readonly name = "InputError";
  readonly file: string | undefined;
  /** What is wrong, without the file: for reports that name the file beside it. */
  readonly reason: string;

  constructor(message: string, options: { file?: string; cause?: unknown } = {}) {
    super(options.file ? `${options.file}: ${message}` : message, { cause: options.cause });
    this.file = options.file;
    this.reason = message;
  }
}

export function isInputError(error: unknown): error is InputError {
  return error instanceof InputError;
}

/**
 * The line of an error message that says what is wrong: esbuild (through tsx) opens with a generic
 * "Transform failed with 1 error:" header and puts the real error on the next line.
 */
export function firstErrorLine(error: unknown): string {
  const lines = String((error as Error)?.message ?? error)
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !/^(Transform|Build) failed with \d+ errors?:?$/.test(line));
  const line = lines[0] ?? "unknown error";
  if (line.includes('Top-level await is currently not supported with the "cjs" output format')) {
    return `${line}; the file is compiled as CommonJS: add "type": "module" to the package.json beside it, or rename it to .mts`;
  }
  return line;
}

/**
 * Why `file` could not be loaded, in one line. A syntax error from esbuild (through tsx) names the
 * file again ("<file>:1:17: ERROR: Unexpected …"): when that is `file` itself, only the position
 * is kept, since the message already opens with the file; an error in a file it imports keeps its path.
 */
export function loadFailureDetail(error: unknown, file: string): string {
  const line = firstErrorLine(error);
  // Node's own SyntaxError says what, not where: its position is in the first lines of its stack.
  const position = syntaxErrorPosition(error) ?? syntaxErrorLine(error, file);
  if (position) {
    const at = `line ${position.line}${position.column === undefined ? "" : `, column ${position.column}`}`;
    if (position.file === file) return `${at}: ${line}`;
    return `${position.file}:${position.line}${position.column === undefined ? "" : `:${position.column}`}: ${line}`;
  }
  // esbuild (through tsx) counts columns from 0; editors, and these messages, from 1.
  const own = line.startsWith(`${file}:`) ? /^:(\d+):(\d+): (?:ERROR: )?(.*)$/.exec(line.slice(file.length)) : null;
  if (own) return `line ${own[1]}, column ${Number(own[2]) + 1}: ${own[3]}`;
  return line.replace(/^(\S+:\d+):(\d+): ERROR: /, (_match, at: string, column: string) => `${at}:${Number(column) + 1}: `);
}

/**
 * Where a SyntaxError Node raised while loading points: its stack starts with "<file>:<line>", the
 * source line and a caret under the culprit. Undefined for other errors (esbuild's, through tsx,
 * already say where).
 */
function syntaxErrorPosition(error: unknown): { file: string; line: number; column?: number } | undefined {
  if (!(error instanceof Error) || error.name !== "SyntaxError" || typeof error.stack !== "string") return undefined;
  const [where, , caret] = error.stack.split("\n");
  const match = /^(.+):(\d+)$/.exec(where ?? "");
  if (!match) return undefined;
  const file = match[1]!.startsWith("file://") ? fileURLToPath(match[1]!) : match[1]!;
  const column = caret !== undefined && /^\s*\^+\s*$/.test(caret) ? caret.indexOf("^") + 1 : undefined;
  return { file, line: Number(match[2]), column };
}

/**
 * The line of the first syntax error in `file`, found with TypeScript's parser, for a SyntaxError
 * that carries no position (Node's ES module loader keeps it to itself). Only the line: the
 * parser's column can differ from V8's. Undefined when the file parses (the error is elsewhere).
 */
function syntaxErrorLine(error: unknown, file: string): { file: string; line: number; column?: number } | undefined {
  if (!(error instanceof Error) || error.name !== "SyntaxError") return undefined;
  try {
    const ts = createRequire(import.meta.url)("typescript") as typeof import("typescript");
    const result = ts.transpileModule(readFileSync(file, "utf8"), { fileName: file, reportDiagnostics: true, compilerOptions: { allowJs: true } });
    const first = result.diagnostics?.find((d) => d.file && d.start !== undefined);
    return first?.file && first.start !== undefined ? { file, line: first.file.getLineAndCharacterOfPosition(first.start).line + 1 } : undefined;
  } catch {
    return undefined;
  }
}

/** `text` as a regular expression that matches it literally. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A file as messages show it: relative to `cwd` when below it (src/worker.ts, or "." for cwd itself), else absolute ("../../x" helps nobody). */
export function shownPath(file: string, cwd: string): string {
  const absolute = resolve(cwd, file);
  const rel = relative(cwd, absolute);
  // The current directory itself (a function app given as `-m .`) is ".", which pastes anywhere.
  if (rel === "") return ".";
  return !rel.startsWith("..") && !isAbsolute(rel) ? rel : absolute;
}

/**
 * A one-line message with the paths below `cwd` as the user typed them (src/worker.ts), whichever
 * layer resolved them to absolute ones on the way; paths elsewhere stay absolute.
 */
export function withPathsRelativeTo(message: string, cwd: string): string {
  return message.replace(new RegExp(`(?<![\\w.\\/-])${escapeRegExp(cwd + sep)}`, "g"), "");
}

/** One level of a configuration whose settings are checked: its object, what it may hold, and how to name it. */
export interface SettingsLevel {
  value: object;
  known: readonly string[];
  /** How messages name the level, e.g. "the fuzz section". */
  where: string;
  /** Settings people expect that do not exist, with what to do instead. */
  hints?: Readonly<Record<string, string>>;
}

/**
 * Rejects the settings dtcheck does not read, naming the nearest known one for each, every level
 * and every typo in one message: a misspelt `modul` or a `fuzz.activity` would otherwise be ignored
 * without a word, and the run would not be what was asked.
 */
export function checkKnownSettings(levels: readonly SettingsLevel[], file?: string): void {
  const problems: { key: string; level: SettingsLevel; advice: string }[] = [];
  for (const level of levels) {
    for (const key of Object.keys(level.value)) {
      if (level.known.includes(key)) continue;
      if (level.hints && Object.hasOwn(level.hints, key)) {
        problems.push({ key, level, advice: level.hints[key]! });
        continue;
      }
      const nearest = [...level.known].sort((a, b) => editDistance(key, a) - editDistance(key, b))[0];
      const close = nearest !== undefined && editDistance(key, nearest) <= Math.max(2, Math.floor(Math.max(key.length, nearest.length) / 3));
      problems.push({ key, level, advice: close ? `did you mean "${nearest}"?` : "" });
    }
  }
  const [first] = problems;
  if (!first) return;
  if (problems.length === 1) {
    const hinted = first.level.hints && Object.hasOwn(first.level.hints, first.key);
    const tail = hinted ? first.advice : `${first.advice ? `${first.advice} ` : ""}the settings are ${first.level.known.join(", ")}`;
    throw new InputError(`unknown setting "${first.key}" in ${first.level.where}; ${tail}`, { file });
  }
  const each = problems.map((p) => `"${p.key}" in ${p.level.where}${p.advice ? ` (${p.advice})` : ""}`);
  throw new InputError(`unknown settings: ${each.join(", ")}; fix them all (docs/cli.md#configuration lists the settings)`, { file });
}

/** One level's settings checked (see checkKnownSettings). */
export function checkKnownKeys(value: object, known: readonly string[], where: string, file?: string, hints: Readonly<Record<string, string>> = {}): void {
  checkKnownSettings([{ value, known, where, hints }], file);
}

/** Levenshtein distance, case-insensitive (settings differ from typos by a letter or two). */
function editDistance(a: string, b: string): number {
  const [s, t] = [a.toLowerCase(), b.toLowerCase()];
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const current = [i];
    for (let j = 1; j <= t.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (s[i - 1] === t[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[t.length]!;
}
