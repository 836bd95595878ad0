import { CommanderError } from "commander";
import { isInputError, withPathsRelativeTo } from "@dtcheck/replay-tester/errors";
import { buildProgram } from "./program.js";

export { buildProgram } from "./program.js";
export type { Report, Finding, TestCase, RuleInfo } from "./output/report.js";

/**
 * Runs the CLI and returns the process exit code: 0 clean, 1 findings or divergences,
 * 2 bad usage or unreadable input. Input errors print one line; --debug adds the stack.
 */
export async function main(argv: string[]): Promise<number> {
  // `dtcheck lint | head`: once the reader has gone, the rest of the report has nowhere to go; end
  // quietly with the run's exit code, as Unix tools do, instead of an unhandled EPIPE stack trace.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(typeof process.exitCode === "number" ? process.exitCode : 0);
  });
  const program = buildProgram();
  const debug = argv.includes("--debug");
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander already printed the message; --help and --version end here with code 0.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (isInputError(error)) {
      process.stderr.write(`dtcheck: ${withPathsRelativeTo(error.message, process.cwd())}\n`);
      if (debug && error.stack) process.stderr.write(`${error.stack}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`dtcheck: internal error: ${message.split("\n")[0]}${debug ? "" : " (run with --debug for the stack trace, and please report it)"}\n`);
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return 2;
  }
}
