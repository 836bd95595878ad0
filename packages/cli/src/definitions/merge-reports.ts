import type { Command } from "commander";
import { lazyAction } from "./shared.js";

export function defineMergeReports(program: Command, withOutput: (c: Command) => Command): void {
  withOutput(
    program
      .command("merge-reports")
      .summary("merge the reports of a run split with --shard into one report")
      .description(
        "Merge the --format json reports of every shard of one run (dtcheck lint, replay, fuzz or drift with --shard i/n) into one report, in any format. Fails (exit 2) when a shard is missing or given twice, or the reports are of different commands; exits 1 when any shard found something.",
      )
      .argument("<reports...>", "the shards' --format json reports")
      .addHelpText("after", "\nExample:\n  $ dtcheck merge-reports reports/replay-*.json --format sarif -o replay.sarif\n  $ dtcheck merge-reports shard-1.json shard-2.json shard-3.json --format junit -o replay.xml"),
  ).action(lazyAction(async () => (await import("../commands/merge-reports.js")).runMergeReports));
}
