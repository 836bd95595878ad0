import { checkHistoryTarget, codecFor, readHistoryFile, writeHistory, writeHistoryFile, type HistoryFormat } from "@dtcheck/replay-tester";

interface ConvertFlags {
  to: HistoryFormat;
  from?: HistoryFormat;
  out?: string;
  force?: boolean;
  jsonl?: boolean;
}

export async function runConvert(input: string, flags: ConvertFlags): Promise<void> {
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
