import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { shownPath } from "../output/paths.js";
import type { ContainmentLimits, ContainOptions } from "@dtcheck/replay-tester";
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
  /** Settings of a config module that are not plain data (see LoadedConfig.opaque). */
  opaqueSettings: string[];
  /** Resolves a path from the config file relative to the config's directory. */
  configPath(value: string | undefined): string | undefined;
  /**
   * The module to load: the flag, else "module" from the config, else the Azure Functions app in
   * the current directory (a host.json there), loaded as the Functions host loads it.
   */
  modulePath(flag: string | undefined): string | undefined;
  /**
   * The config's "histories" for fuzz and drift, which only take extra inputs from it: undefined
   * while the folder does not exist or holds no file yet (what `dtcheck init` names before the
   * first recording), with a note in text output, instead of the exit 2 an empty input gives replay.
   */
  optionalConfigHistories(flags: { format?: OutputFormat; quiet?: boolean }): string | undefined;
}

export async function commandContext(flags: OutputFlags & ContainmentFlags): Promise<CommandContext> {
  const cwd = process.cwd();
  const loaded = await loadConfig(cwd, flags.config, containment(flags, cwd));
  return {
    cwd,
    config: loaded.config,
    configFile: loaded.file,
    opaqueSettings: loaded.opaque ?? [],
    configPath: (value) => (value === undefined ? undefined : path.resolve(loaded.dir, value)),
    modulePath: (flag) =>
      flag ?? (loaded.config.module === undefined ? undefined : path.resolve(loaded.dir, loaded.config.module)) ?? (existsSync(path.join(cwd, "host.json")) ? cwd : undefined),
    optionalConfigHistories: (output) => {
      if (loaded.config.histories === undefined) return undefined;
      const histories = path.resolve(loaded.dir, loaded.config.histories);
      // A glob is the user's own pattern, not init's folder: it is passed on as written.
      if (/[*?[{]/.test(loaded.config.histories) || holdsAFile(histories)) return histories;
      if ((output.format ?? "text") === "text" && !output.quiet) {
        process.stderr.write(`dtcheck: note: ${shownPath(cwd, histories)} (the config's "histories") holds no histories yet; checking generated worlds only\n`);
      }
      return undefined;
    },
  };
}

/** Whether `target` is a file, or a folder with a file somewhere below it (stops at the first). */
function holdsAFile(target: string): boolean {
  let stat;
  try {
    stat = statSync(target);
  } catch {
    return false;
  }
  if (!stat.isDirectory()) return true;
  try {
    return readdirSync(target, { withFileTypes: true }).some((entry) => (entry.isDirectory() ? holdsAFile(path.join(target, entry.name)) : true));
  } catch {
    // An unreadable folder: replaying from it says so in one line.
    return true;
  }
}

/** Prints the report in the chosen format and sets the exit code (0 clean, 1 findings). */
export function finish(report: Report, flags: OutputFlags, cwd: string): void {
  emitReport(report, { format: flags.format, output: flags.output, root: cwd, version: VERSION });
  process.exitCode = exitCodeFor(report);
}

/** Limits for the thread that runs the user's code (replay, fuzz, drift, record). */
export interface ContainmentFlags {
  loadTimeout?: number;
  episodeTimeout?: number;
  historyTimeout?: number;
  memoryLimit?: number;
}

/** Lines of the module's own output shown in text output; a log in an orchestrator prints once per replayed episode, and thousands of them would bury the report. */
const SHOWN_OUTPUT_LINES = 20;

/** The modules whose lines were not shown (a drift runs two), as the lines were marked. */
function hiddenLabel(from: ReadonlySet<string>): string {
  return `[${[...from].join(", ")}] `;
}

/**
 * How a command runs user code: contained, with the given limits; what the code prints goes to
 * stderr marked with its module in text output (never to stdout, where the report goes), and is
 * dropped for json/sarif/junit; a blocked connection or an escaped error is a warning line.
 */
export function containment(flags: ContainmentFlags & { format?: OutputFormat; quiet?: boolean }, cwd: string): Omit<ContainOptions<never>, "onResult"> {
  const limits: Partial<ContainmentLimits> = {
    loadTimeoutMs: flags.loadTimeout,
    episodeTimeoutMs: flags.episodeTimeout,
    historyTimeoutMs: flags.historyTimeout,
    memoryMb: flags.memoryLimit,
  };
  const showOutput = (flags.format ?? "text") === "text" && !flags.quiet;
  let shown = 0;
  let hidden = 0;
  const hiddenFrom = new Set<string>();
  return {
    limits,
    onOutput: showOutput
      ? (text, module) => {
          const label = shownPath(cwd, module);
          const lines = text.replace(/\n$/, "").split("\n");
          const room = Math.max(0, SHOWN_OUTPUT_LINES - shown);
          // On a terminal, the progress line is cleared first, so the output does not start in the middle of it.
          const clear = process.stderr.isTTY ? "\r\u001b[K" : "";
          if (room > 0) process.stderr.write(clear + lines.slice(0, room).map((line) => `[${label}] ${line}\n`).join(""));
          shown += Math.min(room, lines.length);
          if (lines.length > room) {
            // Once, when the process ends: after the report, which is what the run is for.
            if (hidden === 0) process.once("exit", () => process.stderr.write(`${hiddenLabel(hiddenFrom)}… and ${hidden} more ${hidden === 1 ? "line" : "lines"} of output not shown (a log in an orchestrator prints on every replay; -q hides it all)\n`));
            hidden += lines.length - room;
            hiddenFrom.add(label);
          }
        }
      : undefined,
    onWarning: (line) => process.stderr.write(`dtcheck: warning: ${line}\n`),
  };
}
