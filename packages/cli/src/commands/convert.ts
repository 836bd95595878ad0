import { Option, type Command } from "commander";
import { HISTORY_FORMATS, checkHistoryTarget, codecFor, readHistoryFile, writeHistory, writeHistoryFile, type HistoryFormat } from "@dtcheck/replay-tester";

interface ConvertFlags {
  to: HistoryFormat;
  from?: HistoryFormat;
  out?: string;
  force?: boolean;
  jsonl?: boolean;
}

async function runConvert(input: string, flags: ConvertFlags): Promise<void> {
  const out = { force: flags.force, format: flags.to, flag: "--out" };
  if (flags.out) checkHistoryTarget(flags.out, out);
  // The same reader as replay: regular files only, bounded, gzip recognised.
  const history = await readHistoryFile(input, { format: flags.from });
  const converted = writeHistory(history, flags.to, { jsonl: flags.jsonl });
  if (flags.out) writeHistoryFile(flags.out, converted, out);
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
    .option("--out <file>", "write to a file instead of stdout (never replaces an existing file, see --force)")
    .option("--force", "replace --out when it already holds a history (never a source file, nor a lossless history with a lossy format)")
    .option("--jsonl", "write one event per line (friendly format)")
    .addHelpText("after", "\nExample:\n  $ dtcheck convert show-history.json --to protobuf-json --out history.json")
    .action(runConvert);
}
