import { Command } from "commander";
import { defineConvert } from "./definitions/convert.js";
import { defineDrift } from "./definitions/drift.js";
import { defineFuzz } from "./definitions/fuzz.js";
import { defineInit } from "./definitions/init.js";
import { defineLint } from "./definitions/lint.js";
import { defineMergeReports } from "./definitions/merge-reports.js";
import { definePull } from "./definitions/pull.js";
import { defineRecord } from "./definitions/record.js";
import { defineReplay } from "./definitions/replay.js";
import { withOutputOptions } from "./definitions/shared.js";
import { LINT_OUTPUT_FORMATS } from "./output/formats.js";
import { VERSION } from "./version.js";

export { VERSION, withOutputOptions };

/**
 * The whole command line, every option defined, nothing else loaded: each command's action imports
 * its implementation (`commands/<name>.ts`) when it runs. A new command gets a definition in
 * `definitions/<name>.ts` (arguments, options, help, `lazyAction`) and its body in `commands/`;
 * a definition imports only commander, `definitions/shared.ts`, option parsers and light lists.
 */
export function buildProgram(): Command {
  const program = new Command("dtcheck")
    .description("Keep Durable Task orchestrations deterministic: lint, replay, fuzz and drift-check them before deploy.")
    .version(VERSION)
    .option("--debug", "print stack traces for errors")
    .showHelpAfterError("(run dtcheck <command> --help for usage and an example)")
    .exitOverride();
  program.configureHelp({ sortSubcommands: false });
  defineLint(program, (command) => withOutputOptions(command, LINT_OUTPUT_FORMATS));
  defineReplay(program, withOutputOptions);
  defineFuzz(program, withOutputOptions);
  defineDrift(program, withOutputOptions);
  defineRecord(program);
  defineConvert(program);
  definePull(program);
  defineInit(program);
  defineMergeReports(program, withOutputOptions);
  return program;
}
