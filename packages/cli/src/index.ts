import { Command, CommanderError } from "commander";

export function buildProgram(): Command {
  const program = new Command("dtcheck")
    .description("Keep Durable Task orchestrations deterministic: lint, replay, fuzz and drift-check them before deploy.")
    .version("0.1.0")
    .exitOverride();
  return program;
}

/** Runs the CLI and returns the process exit code: 0 clean, 1 findings, 2 bad usage or input. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through exitOverride with exit code 0.
      return error.exitCode === 0 ? 0 : 2;
    }
    throw error;
  }
}
