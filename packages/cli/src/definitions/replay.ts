import type { Command } from "commander";
import { parsePositiveInt } from "../duration.js";
import { parseShard, SHARD_HELP } from "../shard-option.js";
import { lazyAction, withContainmentOptions } from "./shared.js";

export function defineReplay(program: Command, withOutput: (c: Command) => Command): void {
  withOutput(withContainmentOptions(
    program
      .command("replay")
      .summary("replay recorded histories against the orchestrator code")
      .description("Replay recorded histories (files, directories or globs; any supported format) against the orchestrators a module registers, and report the first divergence of each.")
      .argument("[histories...]", "history files, directories or globs")
      .option("-m, --module <path>", "module that registers the orchestrators (.ts, .js, .mjs, .cjs)")
      .option("--orchestrator <name>", "replay every history against this orchestrator (default: the name in each history)")
      .option("--strict", "also compare inputs, timer fire times, extra calls and the final output")
      .option("--fail-fast", "stop at the first history that does not replay (in file order, so on one thread)")
      .option("--workers <n>", "threads replaying at once (default 1: each loads your module afresh; worth it for many long histories); the report is the same for any number", parsePositiveInt)
      .option("--shard <i/n>", SHARD_HELP, parseShard)
      .addHelpText("after", "\nExample:\n  $ dtcheck replay histories/ --module src/worker.ts\n  $ dtcheck replay 'exports/**/*.json' -m dist/worker.js --format sarif -o replay.sarif"),
  )).action(lazyAction(async () => (await import("../commands/replay.js")).runReplay));
}
