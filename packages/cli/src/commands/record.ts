import { existsSync } from "node:fs";
import path from "node:path";
import { shownPath } from "../output/paths.js";
import { InputError, checkHistoryTarget, runContainedRecord, writeHistory, writeHistoryFile, type HistoryFormat } from "@dtcheck/replay-tester";
import { commandContext, containment, type ContainmentFlags } from "./context.js";
import { parseInput } from "../input.js";

interface RecordFlags extends ContainmentFlags {
  module?: string;
  orchestrator?: string;
  input?: string;
  stubs?: string;
  out: string;
  force?: boolean;
  format: HistoryFormat;
  orchestrationVersion?: string;
  instanceId?: string;
  quiet?: boolean;
  config?: string;
}

export async function runRecord(flags: RecordFlags): Promise<void> {
  const ctx = await commandContext({ ...flags, format: "text" });
  const module = ctx.modulePath(flags.module);
  if (!module) throw new InputError("no orchestrator module: pass --module <path> (a file, or a function app folder), or set \"module\" in dtcheck.config");
  const stubs = flags.stubs ?? ctx.configPath(ctx.config.stubs);
  // `dtcheck init` names test/stubs.json in the config before the file exists: say where the name came from.
  if (!flags.stubs && stubs && !existsSync(stubs)) {
    throw new InputError(
      `the stubs file the dtcheck config names ("stubs") does not exist; create it with a result for each activity the orchestrator calls (e.g. {"chargeCard": {"ok": true}}), or pass --stubs <file>`,
      { file: shownPath(ctx.cwd, stubs) },
    );
  }
  const target = { force: flags.force, format: flags.format, flag: "--out" };
  // Before the run, so a refused --out costs nothing; writeHistoryFile checks again when writing.
  checkHistoryTarget(flags.out, target);
  const history = await runContainedRecord(
    {
      kind: "record",
      module: path.resolve(module),
      orchestrator: flags.orchestrator,
      input: parseInput(flags.input),
      stubs: stubs ? path.resolve(stubs) : undefined,
      version: flags.orchestrationVersion,
      instanceId: flags.instanceId,
      cwd: ctx.cwd,
    },
    // The history goes to --out, never to stdout: what the module prints may be shown.
    containment({ ...flags, format: "text", quiet: flags.quiet }, ctx.cwd),
  );
  writeHistoryFile(flags.out, writeHistory(history, flags.format), target);
  const completed = history.events.find((e) => e.kind === "executionCompleted");
  let status = completed && completed.kind === "executionCompleted" ? completed.status : "running (the orchestration waits for something the stubs did not provide)";
  // A failed recording is a golden of a crash: say why, and the likely cause when no input was given.
  if (completed?.kind === "executionCompleted" && completed.status === "failed" && completed.failure) {
    status += ` (${completed.failure.errorType}: ${completed.failure.errorMessage.split("\n")[0]})${flags.input === undefined ? "; no --input was given" : ""}`;
  }
  if (!flags.quiet) process.stderr.write(`recorded ${history.events.length} events to ${flags.out} (${flags.format}); orchestration ${status}\n`);
}
