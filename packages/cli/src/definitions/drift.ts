import { Option, type Command } from "commander";
import { HISTORY_FORMATS } from "@dtcheck/replay-tester/history";
import { parseDuration, parsePositiveInt, parseSeed } from "../duration.js";
import { parseShard, SHARD_HELP } from "../shard-option.js";
import { collectInput, lazyAction, withContainmentOptions } from "./shared.js";

export function defineDrift(program: Command, withOutput: (c: Command) => Command): void {
  withOutput(withContainmentOptions(
    program
      .command("drift")
      .summary("check that the new version can finish instances the deployed version started")
      .description(
        "Pre-deploy version check: generate histories from the baseline (the deployed code; a module path or git:<ref>:<path>) with fast-check, cut each at every episode boundary (an in-flight instance), and replay them on the candidate. Histories carry the baseline's version, so a candidate that keeps old instances on the old path (ctx.version, compareVersionTo, context.df.version) passes. Saved histories given with --histories are replayed on the candidate too.",
      )
      .option("--baseline <path|git:ref:path>", "the deployed code, e.g. git:origin/main:src/worker.ts")
      .option("--candidate <path>", "the code about to be deployed (default: \"module\" from dtcheck.config)")
      .option("--histories <paths...>", "saved histories (files, directories, globs) to replay on the candidate as well; their inputs and results are tried first")
      .option("--input <[name=]json|@file>", "a fixed orchestration input; name=... for one orchestrator of several; repeatable (default: fuzz.inputs / fuzz.input from dtcheck.config, else generated from the input's declared type)", collectInput)
      .option("--no-infer-types", "do not generate inputs and results from the orchestrators' declared types")
      .option("--orchestrator <name...>", "only these orchestrators (default: all the baseline registers)")
      .option("--baseline-version <version>", "the version the baseline stamps on the instances it starts")
      .option("--runs <n>", "worlds per orchestrator (default 100)", parsePositiveInt)
      .option("--seed <n>", "fast-check seed (the same seed gives the same results)", parseSeed)
      .option("--time-limit <duration>", "stop generating after this long per orchestrator, e.g. 30s", parseDuration)
      .option("--strict", "also compare inputs, timer fire times, extra calls and outputs")
      .option("--allow-inconclusive", "exit 0 when a check is inconclusive (reported as a warning and a skipped case, never as passed)")
      .option("--out-dir <dir>", "where minimal failing histories are written", ".dtcheck/failures")
      .addOption(new Option("--history-format <format>", "format of the written histories").choices([...HISTORY_FORMATS]).default("protobuf-json"))
      .option("--workers <n>", "threads checking orchestrators side by side (default 1: each loads your modules afresh; worth it for several orchestrators); the report is the same for any number", parsePositiveInt)
      .option("--shard <i/n>", SHARD_HELP, parseShard)
      .addHelpText("after", "\nExample:\n  $ dtcheck drift --baseline git:origin/main:src/worker.ts --candidate src/worker.ts\n  $ dtcheck drift --baseline v1/worker.ts --candidate v2/worker.ts --histories exports/ --runs 300"),
  )).action(lazyAction(async () => (await import("../commands/drift.js")).runDrift));
}
