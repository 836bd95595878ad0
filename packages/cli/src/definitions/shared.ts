import { Option, type Command } from "commander";
import { DEFAULT_LIMITS } from "@dtcheck/replay-tester/limits";
import { parseDuration, parsePositiveInt } from "../duration.js";
import { OUTPUT_FORMATS } from "../output/formats.js";

/*
 * What the commands' definitions share. A definition names a command's arguments, options and help
 * and loads nothing else: its action body is imported only when that command runs, so `dtcheck
 * --help` does not load ESLint, and `dtcheck replay` does not load the lint or fuzz machinery.
 */

/** An action that imports its implementation on first use. */
export function lazyAction<A extends unknown[]>(load: () => Promise<(...args: A) => Promise<void>>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const run = await load();
    await run(...args);
  };
}

/** Output flags shared by every command that produces a report. */
export function withOutputOptions(command: Command, formats: readonly string[] = OUTPUT_FORMATS): Command {
  return command
    .addOption(new Option("-f, --format <format>", "output format").choices([...formats]).default("text"))
    .option("-o, --output <file>", "write the report to a file instead of stdout")
    .option("-q, --quiet", "no progress on stderr")
    .option("-c, --config <file>", "dtcheck.config.{ts,js,mjs,json} to use (default: found in the current directory)");
}

/** Commander's accumulator for a repeatable option (`--input a --input b`). */
export function collectInput(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

const seconds = (ms: number) => `${ms / 1000}s`;

/** Limits for the thread that runs the user's code (replay, fuzz, drift, record). */
export function withContainmentOptions(command: Command): Command {
  return command
    .option("--load-timeout <duration>", `stop a module that has not finished loading after this long (default ${seconds(DEFAULT_LIMITS.loadTimeoutMs)})`, parseDuration)
    .option("--episode-timeout <duration>", `stop an orchestrator invocation that runs longer than this (default ${seconds(DEFAULT_LIMITS.episodeTimeoutMs)})`, parseDuration)
    .option("--history-timeout <duration>", `stop replaying or recording one history after this long (default ${seconds(DEFAULT_LIMITS.historyTimeoutMs)})`, parseDuration)
    .option("--memory-limit <MB>", `heap limit of the thread running your code (default ${DEFAULT_LIMITS.memoryMb})`, parsePositiveInt);
}
