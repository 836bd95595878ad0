import { Command, Option } from "commander";
import { OUTPUT_FORMATS } from "./output/write.js";

export const VERSION = "0.1.0";

/** Output flags shared by every command that produces a report. */
export function withOutputOptions(command: Command): Command {
  return command
    .addOption(new Option("-f, --format <format>", "output format").choices([...OUTPUT_FORMATS]).default("text"))
    .option("-o, --output <file>", "write the report to a file instead of stdout")
    .option("-q, --quiet", "no progress on stderr")
    .option("-c, --config <file>", "dtcheck.config.{ts,js,mjs,json} to use (default: found in the current directory)");
}

export function buildProgram(): Command {
  const program = new Command("dtcheck")
    .description("Keep Durable Task orchestrations deterministic: lint, replay, fuzz and drift-check them before deploy.")
    .version(VERSION)
    .option("--debug", "print stack traces for errors")
    .showHelpAfterError("(run dtcheck <command> --help for usage and an example)")
    .exitOverride();
  program.configureHelp({ sortSubcommands: false });
  return program;
}
