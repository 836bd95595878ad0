import { writeFileSync } from "node:fs";
import { Option, type Command } from "commander";
import { HISTORY_FORMATS, codecFor, readHistoryFile, writeHistory, type HistoryFormat } from "@dtcheck/replay-tester";

interface ConvertFlags {
  to: HistoryFormat;
  from?: HistoryFormat;
  out?: string;
  jsonl?: boolean;
}

async function runConvert(input: string, flags: ConvertFlags): Promise<void> {
  // The same reader as replay: regular files only, bounded, gzip recognised.
  const history = await readHistoryFile(input, { format: flags.from });
  const converted = writeHistory(history, flags.to, { jsonl: flags.jsonl });
  if (flags.out) writeFileSync(flags.out, converted);
  else process.stdout.write(converted);
  const target = codecFor(flags.to);
  if (!target.lossless) {
    // Say it where it cannot be missed: the output alone looks complete.
    process.stderr.write(
      `dtcheck: note: ${flags.to} is lossy (no event ids, no scheduling or OrchestratorStarted events, some inputs dropped); reading it back rebuilds them, and replay reports say when a conclusion rests on a rebuilt event\n`,
    );
  }
}

export function registerConvert(program: Command): void {
  program
    .command("convert")
    .summary("convert a history between formats")
    .description("Convert a recorded history between the supported formats (through dtcheck's canonical model; the input format is detected).")
    .argument("<history>", "history file to read")
    .addOption(new Option("--to <format>", "format to write").choices([...HISTORY_FORMATS]).makeOptionMandatory())
    .addOption(new Option("--from <format>", "read as this format instead of detecting it").choices([...HISTORY_FORMATS]))
    .option("--out <file>", "write to a file instead of stdout")
    .option("--jsonl", "write one event per line (friendly format)")
    .addHelpText("after", "\nExample:\n  $ dtcheck convert show-history.json --to protobuf-json --out history.json")
    .action(runConvert);
}
