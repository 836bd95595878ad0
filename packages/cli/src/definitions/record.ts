import { Option, type Command } from "commander";
import { HISTORY_FORMATS } from "@dtcheck/replay-tester/history";
import { lazyAction, withContainmentOptions } from "./shared.js";

export function defineRecord(program: Command): void {
  withContainmentOptions(program.command("record"))
    .summary("run an orchestrator offline with stubs and write its history")
    .description("Run an orchestrator forward from an input with activity, sub-orchestration and event stubs, using the SDK's own executor, and write the resulting history (a golden history for replay tests).")
    .option("-m, --module <path>", "module that registers the orchestrator")
    .option("--orchestrator <name>", "orchestrator to run (optional when the module registers one)")
    .option("--input <json|@file>", "orchestration input as JSON, or @file.json")
    .option("--stubs <file>", "stubs: .json (activity name → result, {\"error\": ...}, or a list per attempt) or a module")
    .requiredOption("--out <file>", "history file to write (never replaces an existing file, see --force)")
    .option("--force", "replace --out when it already holds a history (never a source file, nor a lossless history with a lossy format)")
    .addOption(new Option("--format <format>", "history format to write").choices([...HISTORY_FORMATS]).default("protobuf-json"))
    .option("--orchestration-version <version>", "orchestration version stamped into ExecutionStarted (what ctx.version reads)")
    .option("--instance-id <id>", "instance id (default: a fixed id, so recordings are reproducible)")
    .option("-q, --quiet", "print nothing but errors: neither what the module prints nor the line saying what was recorded")
    .option("-c, --config <file>", "dtcheck.config to use")
    .addHelpText("after", "\nExample:\n  $ dtcheck record -m src/worker.ts --orchestrator newsletter --input @input.json --stubs stubs.json --out golden/newsletter.json")
    .action(lazyAction(async () => (await import("../commands/record.js")).runRecord));
}
