import path from "node:path";
import { loadConfig, type DtcheckConfig } from "../config.js";
import { emitReport, type OutputFormat } from "../output/write.js";
import { exitCodeFor, type Report } from "../output/report.js";
import { VERSION } from "../version.js";

export interface OutputFlags {
  format: OutputFormat;
  output?: string;
  quiet?: boolean;
  config?: string;
}

export interface CommandContext {
  cwd: string;
  config: DtcheckConfig;
  /** The config file, for messages about its contents. */
  configFile?: string;
  /** Resolves a path from the config file relative to the config's directory. */
  configPath(value: string | undefined): string | undefined;
}

export async function commandContext(flags: OutputFlags): Promise<CommandContext> {
  const cwd = process.cwd();
  const loaded = await loadConfig(cwd, flags.config);
  return {
    cwd,
    config: loaded.config,
    configFile: loaded.file,
    configPath: (value) => (value === undefined ? undefined : path.resolve(loaded.dir, value)),
  };
}

/** Prints the report in the chosen format and sets the exit code (0 clean, 1 findings). */
export function finish(report: Report, flags: OutputFlags, cwd: string): void {
  emitReport(report, { format: flags.format, output: flags.output, root: cwd, version: VERSION });
  process.exitCode = exitCodeFor(report);
}
