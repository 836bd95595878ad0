import type { Command } from "commander";
import { lazyAction } from "./shared.js";

export function defineInit(program: Command): void {
  program
    .command("init")
    .summary("set dtcheck up in an existing project")
    .description("Add dtcheck's rules to the ESLint flat config, a dtcheck.config.json skeleton and a GitHub Actions workflow. Shows the diff first and writes only after confirmation (or with --yes).")
    .option("-y, --yes", "write without asking")
    .option("--dry-run", "only show the diff")
    .addHelpText("after", "\nExample:\n  $ dtcheck init            # shows the diff, asks before writing\n  $ dtcheck init --yes      # in scripts")
    .action(lazyAction(async () => (await import("../commands/init.js")).runInit));
}
