/**
 * dtcheck lint's pre-filter: most files of a code base cannot hold an orchestrator, and in such a
 * file no dtcheck rule reports (each starts from the file's orchestrators, after the plugin's own
 * text check), yet ESLint would still parse it with typescript-eslint (TypeScript parse, ESTree
 * conversion, scope analysis) to find nothing. The pre-filter is a parser around typescript-eslint's
 * that decides per file from its text, before the parse, and gives ESLint an empty program for
 * files where nothing can be reported. ESLint itself still lints every file (same files, order,
 * results, ignores and stats); only the parse of those files is skipped.
 *
 * A file still gets the real parse when:
 * - the plugin's marker check (`textMayContainOrchestrators`, the one its rules use) passes;
 * - it has ESLint comments that ESLint reports on without any rule: inline configs
 *   (a malformed one is an error), `eslint-env` (an error since ESLint 9), block `global(s)`
 *   comments (an invalid value is an error), a block `eslint-disable-line` (an error when it spans
 *   lines), or a directive naming a `@dtcheck/` rule (an unknown one is an error);
 * - TypeScript's parser reports a syntax error in it: ESLint then reports the parse error with
 *   typescript-eslint's exact message, and dtcheck lint exits 2 as without the pre-filter.
 *
 * The plugin's own parses of other files (following calls into helpers) go straight to
 * typescript-eslint: only ESLint's parse of the file it lints carries the pre-filter's option.
 */
import type { Linter } from "eslint";
import { textMayContainOrchestrators } from "@dtcheck/eslint-plugin";
import { parserTypeScript } from "./parser-typescript.js";

/** Set in the zero-config parserOptions; ESLint passes it to the parser for the file it lints. */
export const PREFILTER_OPTION = "dtcheckPrefilter";

/** The ESLint comments that can give a message with no rule running (see the module comment). */
const ESLINT_COMMENTS = /eslint-env|\/\*[\s*]*(?:eslint(?![\w-])|eslint-disable-line|globals?(?![\w-]))|@dtcheck\//;

type ParseForESLint = (text: string, options?: Record<string, unknown>) => unknown;

/**
 * True when TypeScript's parser finds no syntax error (no ESTree conversion, no scope analysis).
 * `parseDiagnostics` is not in TypeScript's public typings; it is what typescript-estree itself
 * reads to throw a parse error. When it is missing (another TypeScript), the file gets the real parse.
 */
function parsesCleanly(text: string, filePath: string): boolean {
  const ts = parserTypeScript();
  // The script kind follows the extension, as in typescript-estree (zero-config never sets jsx).
  const sourceFile = ts.createSourceFile(filePath, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode?.ParseNone }, false);
  const diagnostics = (sourceFile as unknown as { parseDiagnostics?: readonly unknown[] }).parseDiagnostics;
  return Array.isArray(diagnostics) && diagnostics.length === 0;
}

/** Whether ESLint must really parse a file with this text (see the module comment). */
export function needsParse(text: string, filePath: string, typed: boolean): boolean {
  if (textMayContainOrchestrators(text, { typed })) return true;
  if (ESLINT_COMMENTS.test(text)) return true;
  return !parsesCleanly(text, filePath);
}

/** An ESTree program with nothing in it, spanning the text (ESLint computes lines from the text). */
function emptyProgram(text: string) {
  const lines = text.split(/\r\n|[\r\n\u2028\u2029]/);
  const end = { line: lines.length, column: lines[lines.length - 1]!.length };
  return {
    type: "Program",
    body: [],
    sourceType: "module",
    range: [0, text.length],
    loc: { start: { line: 1, column: 0 }, end },
    tokens: [],
    comments: [],
  };
}

const wrapped = new WeakMap<object, Map<boolean, Linter.Parser>>();

/**
 * typescript-eslint's parser with the pre-filter in front, one object per (parser, typed) so the
 * plugin's per-parser caches are shared across files as with the bare parser.
 */
export function prefilteringParser(parser: Linter.Parser, typed: boolean): Linter.Parser {
  let byTyped = wrapped.get(parser);
  if (!byTyped) wrapped.set(parser, (byTyped = new Map()));
  const existing = byTyped.get(typed);
  if (existing) return existing;
  const real = parser as unknown as { parseForESLint: ParseForESLint; meta?: { name?: string; version?: string } };
  const result = {
    meta: { name: `dtcheck-prefilter+${real.meta?.name ?? "parser"}`, version: real.meta?.version },
    parseForESLint(text: string, options?: Record<string, unknown>): unknown {
      if (!options || !(PREFILTER_OPTION in options)) return real.parseForESLint(text, options);
      const { [PREFILTER_OPTION]: _prefilter, ...parserOptions } = options;
      const filePath = typeof parserOptions["filePath"] === "string" ? parserOptions["filePath"] : "file.ts";
      if (needsParse(text, filePath, typed)) return real.parseForESLint(text, parserOptions);
      return { ast: emptyProgram(text) };
    },
  } as unknown as Linter.Parser;
  byTyped.set(typed, result);
  return result;
}
