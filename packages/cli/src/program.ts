import { Command, Option } from "commander";
import { LINT_OUTPUT_FORMATS, OUTPUT_FORMATS } from "./output/write.js";
import { registerConvert } from "./commands/convert.js";
import { registerDrift } from "./commands/drift.js";
import { registerFuzz } from "./commands/fuzz.js";
import { registerInit } from "./commands/init.js";
import { registerLint } from "./commands/lint.js";
import { registerPull } from "./commands/pull.js";
import { registerRecord } from "./commands/record.js";
import { registerReplay } from "./commands/replay.js";

import { VERSION } from "./version.js";

export { VERSION };

/** Output flags shared by every command that produces a report. */
export function withOutputOptions(command: Command, formats: readonly string[] = OUTPUT_FORMATS): Command {
  return command
    .addOption(new Option("-f, --format <format>", "output format").choices([...formats]).default("text"))
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
  registerLint(program, (command) => withOutputOptions(command, LINT_OUTPUT_FORMATS));
  registerReplay(program, withOutputOptions);
  registerFuzz(program, withOutputOptions);
  registerDrift(program, withOutputOptions);
  registerRecord(program);
  registerConvert(program);
  registerPull(program);
  registerInit(program);
  return program;
}
