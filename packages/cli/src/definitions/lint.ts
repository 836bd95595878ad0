import type { Command } from "commander";
import { parsePositiveInt } from "../duration.js";
import { parseShard, SHARD_HELP } from "../shard-option.js";
import { lazyAction } from "./shared.js";

export function defineLint(program: Command, withOutput: (c: Command) => Command): void {
  withOutput(
    program
      .command("lint")
      .summary("find non-deterministic orchestrator code")
      .description("Lint JavaScript and TypeScript sources with dtcheck's rules and report non-deterministic orchestrator code. When the project's ESLint config loads @dtcheck/eslint-plugin, dtcheck's rules run as that config sets them (settings, options, ignores, parser), so the editor, eslint and dtcheck lint agree. Otherwise it needs no ESLint setup: the recommended config, type-aware when the current directory has a tsconfig.json (it then follows calls into helpers across files and packages).")
      .argument("[paths...]", "files, directories or globs (default: the current directory)")
      .option("--fix", "apply safe automatic fixes")
      .option("--strict", "use the strict config (every rule as an error)")
      .option("--no-types", "skip type-aware analysis (on by default when the current directory has a tsconfig.json; without --no-eslint-config, only when the project has no ESLint config for dtcheck)")
      .option("--no-eslint-config", "ignore the project's ESLint config and use dtcheck's own setup")
      .option("--shard <i/n>", SHARD_HELP, parseShard)
      .option("--workers <n>", "threads linting at once (default 1). Each loads typescript-eslint and, with types, builds its own TypeScript program: worth it only for many parsed files on spare cores (on 2 busy cores, 2 threads were slower); the report is the same for any number", parsePositiveInt)
      .option("--no-prefilter", "without a project ESLint config for dtcheck: parse every file, also those whose text shows that no dtcheck rule can report in them (slower, same findings; for comparison)")
      .addHelpText("after", "\nExample:\n  $ dtcheck lint src\n  $ dtcheck lint --format sarif --output dtcheck.sarif"),
  ).action(lazyAction(async () => (await import("../commands/lint.js")).runLint));
}
