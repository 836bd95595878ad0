import { Option, type Command } from "commander";
import { HISTORY_FORMATS } from "@dtcheck/replay-tester/history";
import { parseDuration, parsePositiveInt, parseSeed } from "../duration.js";
import { parseShard, SHARD_HELP } from "../shard-option.js";
import { collectInput, lazyAction, withContainmentOptions } from "./shared.js";

export function defineFuzz(program: Command, withOutput: (c: Command) => Command): void {
  withOutput(withContainmentOptions(
    program
      .command("fuzz")
      .summary("generate many histories and check every orchestrator replays them deterministically")
      .description(
        "Generate worlds with fast-check (activity results and failures, completion orders, event arrivals, timers, retries, suspend/terminate, continue-as-new), run each orchestrator through them with its SDK's own executor, and check that every episode replays its own history and gives the same calls when replayed with the clock moved, randomness reseeded and the environment changed. A failure is shrunk to a minimal history and written to a file with the command that reproduces it.",
      )
      .option("-m, --module <path>", "module that registers the orchestrators")
      .option("--orchestrator <name...>", "only these orchestrators (default: all the module registers)")
      .option("--input <[name=]json|@file>", "a fixed orchestration input; name=... for one orchestrator of several; repeatable (default: fuzz.inputs / fuzz.input from dtcheck.config, else generated from the input's declared type)", collectInput)
      .option("--histories <paths...>", "saved histories (files, directories, globs) whose inputs and results are tried first (default: \"histories\" from dtcheck.config)")
      .option("--no-infer-types", "do not generate inputs and results from the orchestrators' declared types")
      .option("--runs <n>", "worlds per orchestrator (default 100)", parsePositiveInt)
      .option("--seed <n>", "fast-check seed (printed on every run; the same seed gives the same results)", parseSeed)
      .option("--time-limit <duration>", "stop generating after this long per orchestrator, e.g. 30s", parseDuration)
      .option("--path <counterexample>", "with --seed, go straight to the failing world a previous run printed")
      .option("--allow-inconclusive", "exit 0 when a check is inconclusive (reported as a warning and a skipped case, never as passed)")
      .option("--out-dir <dir>", "where minimal failing histories are written", ".dtcheck/failures")
      .addOption(new Option("--history-format <format>", "format of the written histories").choices([...HISTORY_FORMATS]).default("protobuf-json"))
      .option("--workers <n>", "threads checking orchestrators side by side (default 1: each loads your module afresh; worth it for several orchestrators); the report is the same for any number", parsePositiveInt)
      .option("--shard <i/n>", SHARD_HELP, parseShard)
      .addHelpText("after", "\nExample:\n  $ dtcheck fuzz --module src/worker.ts --runs 200 --time-limit 30s\n  $ dtcheck fuzz -m src/worker.ts --orchestrator processOrder --seed 1234"),
  )).action(lazyAction(async () => (await import("../commands/fuzz.js")).runFuzz));
}
