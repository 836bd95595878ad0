import { writeFileSync } from "node:fs";
import { InputError } from "@dtcheck/replay-tester/errors";
import { colorsEnabled, painter } from "./colors.js";
import { toJUnit } from "./junit.js";
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

export function renderReport(report: Report, options: OutputOptions, stream: { isTTY?: boolean } = process.stdout): string {
  switch (options.format) {
    case "json": {
      const { native: _native, ...plain } = report;
      return JSON.stringify(plain, null, 2) + "\n";
    }
    case "sarif":
      return JSON.stringify(toSarif(report, options), null, 2) + "\n";
    case "junit":
      return toJUnit(report, { root: options.root });
    case "eslint-json": {
      const text = report.native?.["eslint-json"];
      if (text === undefined) throw new InputError(`--format eslint-json is ESLint's result shape and only dtcheck lint has one; use --format json for dtcheck ${report.tool}`);
      return text;
    }
    case "text":
      return toText(report, { root: options.root, paint: painter(!options.output && colorsEnabled(stream)) });
  }
}

export function emitReport(report: Report, options: OutputOptions): void {
  const text = renderReport(report, options);
  if (options.output) writeFileSync(options.output, text);
  else process.stdout.write(text);
}
