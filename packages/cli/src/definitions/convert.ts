import { Option, type Command } from "commander";
import { HISTORY_FORMATS } from "@dtcheck/replay-tester/history";
import { lazyAction } from "./shared.js";

export function defineConvert(program: Command): void {
  program
    .command("convert")
    .summary("convert a history between formats")
    .description("Convert a recorded history between the supported formats (through dtcheck's canonical model; the input format is detected).")
    .argument("<history>", "history file to read")
    .addOption(new Option("--to <format>", "format to write").choices([...HISTORY_FORMATS]).makeOptionMandatory())
    .addOption(new Option("--from <format>", "read as this format instead of detecting it").choices([...HISTORY_FORMATS]))
    .option("--out <file>", "write to a file instead of stdout (never replaces an existing file, see --force)")
    .option("--force", "replace --out when it already holds a history (never a source file, nor a lossless history with a lossy format)")
    .option("--jsonl", "write one event per line (friendly format)")
    .addHelpText("after", "\nExample:\n  $ dtcheck convert show-history.json --to protobuf-json --out history.json")
    .action(lazyAction(async () => (await import("../commands/convert.js")).runConvert));
}
