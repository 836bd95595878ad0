import path from "node:path";
import { Option, type Command } from "commander";
import { HISTORY_FORMATS, InputError, checkHistoryTarget, runContainedRecord, writeHistory, writeHistoryFile, type HistoryFormat } from "@dtcheck/replay-tester";
import { commandContext, containment, withContainmentOptions, type ContainmentFlags } from "./context.js";
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
  config?: string;
}

async function runRecord(flags: RecordFlags): Promise<void> {
  const ctx = await commandContext({ format: "text", config: flags.config });
  const module = ctx.modulePath(flags.module);
  if (!module) throw new InputError("no orchestrator module: pass --module <path> (a file, or a function app folder), or set \"module\" in dtcheck.config");
  const stubs = flags.stubs ?? ctx.configPath(ctx.config.stubs);
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
    containment({ ...flags, format: "text" }, ctx.cwd),
  );
  writeHistoryFile(flags.out, writeHistory(history, flags.format), target);
  const completed = history.events.find((e) => e.kind === "executionCompleted");
  const status = completed && completed.kind === "executionCompleted" ? completed.status : "running (the orchestration waits for something the stubs did not provide)";
  process.stderr.write(`recorded ${history.events.length} events to ${flags.out} (${flags.format}); orchestration ${status}\n`);
}

export function registerRecord(program: Command): void {
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
    .option("-c, --config <file>", "dtcheck.config to use")
    .addHelpText("after", "\nExample:\n  $ dtcheck record -m src/worker.ts --orchestrator newsletter --input @input.json --stubs stubs.json --out golden/newsletter.json")
    .action(runRecord);
}
