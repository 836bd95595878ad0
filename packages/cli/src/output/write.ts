import { closeSync, openSync, writeSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { InputError } from "@dtcheck/replay-tester/errors";
import { CaseSpool, type SpoolRendering } from "./case-spool.js";
import { colorsEnabled, painter } from "./colors.js";
import { JUNIT_CASE_SEPARATOR, junitPieces, testCaseXml } from "./junit.js";
import type { Report } from "./report.js";
import { toSarif } from "./sarif.js";
import { toText } from "./text.js";
import type { OutputFormat } from "./formats.js";

export { OUTPUT_FORMATS, LINT_OUTPUT_FORMATS, type OutputFormat } from "./formats.js";

export interface OutputOptions {
  format: OutputFormat;
  /** Write to this file instead of stdout. */
  output?: string;
  root: string;
  version: string;
}

/** A case inside the JSON report's "cases" array, as JSON.stringify(report, null, 2) indents it. */
function jsonCase(testCase: unknown): string {
  return "    " + JSON.stringify(testCase, null, 2).replaceAll("\n", "\n    ");
}

/**
 * A spool that renders each case as the chosen format prints it (nothing to render for text and
 * SARIF, which print only what did not pass), for a command whose report may hold a great many cases.
 */
export function caseSpoolFor(format: OutputFormat, root: string): CaseSpool {
  const rendering: SpoolRendering | undefined =
    format === "json" ? { render: jsonCase, separator: ",\n" } : format === "junit" ? { render: (testCase) => testCaseXml(testCase, root), separator: JUNIT_CASE_SEPARATOR } : undefined;
  return new CaseSpool(rendering);
}

/** The JSON report in pieces: a spooled report's cases are copied from the spool into the place the array holds. */
function* jsonPieces(report: Report): Generator<string | Buffer> {
  const { native: _native, spool, ...plain } = report;
  if (!spool) {
    yield JSON.stringify(plain, null, 2) + "\n";
    return;
  }
  // A marker no case can hold stands for the array; the rest of the report is stringified as usual.
  const marker = `dtcheck-cases-${randomUUID()}`;
  const [before, after] = JSON.stringify({ ...plain, cases: marker }, null, 2).split(`"${marker}"`) as [string, string];
  if (spool.total === 0) {
    yield `${before}[]${after}\n`;
    return;
  }
  yield `${before}[\n`;
  yield* spool.rendered();
  yield `\n  ]${after}\n`;
}

function* reportPieces(report: Report, options: OutputOptions, stream: { isTTY?: boolean }): Generator<string | Buffer> {
  switch (options.format) {
    case "json":
      yield* jsonPieces(report);
      return;
    case "sarif":
      yield JSON.stringify(toSarif(report, options), null, 2) + "\n";
      return;
    case "junit":
      yield* junitPieces(report, { root: options.root });
      return;
    case "eslint-json": {
      const text = report.native?.["eslint-json"];
      if (text === undefined) throw new InputError(`--format eslint-json is ESLint's result shape and only dtcheck lint has one; use --format json for dtcheck ${report.tool}`);
      yield text;
      return;
    }
    case "text":
      yield toText(report, { root: options.root, paint: painter(!options.output && colorsEnabled(stream)) });
  }
}

export function renderReport(report: Report, options: OutputOptions, stream: { isTTY?: boolean } = process.stdout): string {
  return [...reportPieces(report, options, stream)].map((piece) => piece.toString()).join("");
}

function writeAll(fd: number, bytes: Buffer): void {
  for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written);
}

/** Writes the report piece by piece: a spooled report is never one string in memory. */
export function emitReport(report: Report, options: OutputOptions): void {
  const pieces = reportPieces(report, options, process.stdout);
  if (options.output) {
    const fd = openSync(options.output, "w");
    try {
      for (const piece of pieces) writeAll(fd, typeof piece === "string" ? Buffer.from(piece) : piece);
    } finally {
      closeSync(fd);
    }
  } else for (const piece of pieces) process.stdout.write(piece);
  report.spool?.dispose();
}
