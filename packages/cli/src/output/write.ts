import { writeFileSync } from "node:fs";
import { colorsEnabled, painter } from "./colors.js";
import { toJUnit } from "./junit.js";
import type { Report } from "./report.js";
import { toSarif } from "./sarif.js";
import { toText } from "./text.js";

export const OUTPUT_FORMATS = ["text", "json", "sarif", "junit"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface OutputOptions {
  format: OutputFormat;
  /** Write to this file instead of stdout. */
  output?: string;
  root: string;
  version: string;
}

export function renderReport(report: Report, options: OutputOptions, stream: { isTTY?: boolean } = process.stdout): string {
  switch (options.format) {
    case "json":
      return JSON.stringify(report, null, 2) + "\n";
    case "sarif":
      return JSON.stringify(toSarif(report, options), null, 2) + "\n";
    case "junit":
      return toJUnit(report);
    case "text":
      return toText(report, { root: options.root, paint: painter(!options.output && colorsEnabled(stream)) });
  }
}

export function emitReport(report: Report, options: OutputOptions): void {
  const text = renderReport(report, options);
  if (options.output) writeFileSync(options.output, text);
  else process.stdout.write(text);
}
