import path from "node:path";
import { Option, type Command } from "commander";
import { HISTORY_FORMATS, InputError, runContainedFuzz, type HistoryFormat } from "@dtcheck/replay-tester";
import { collectInput, parseInputs, rerunInputArgs, valueNotes } from "../input.js";
import { parseDuration, parsePositiveInt, parseSeed } from "../duration.js";
import { shownPath } from "../output/paths.js";
import type { Finding, Report, TestCase } from "../output/report.js";
import { progress } from "../progress.js";
import { commandContext, containment, finish, fuzzSource, withContainmentOptions, type ContainmentFlags, type OutputFlags } from "./context.js";
import { coverageEntries, coverageNotes, fuzzCase, fuzzFinding, NONDETERMINISM_RULE, reproduceNotes, stoppedCase, stoppedFinding, VERDICT_RULES, verdictFinding } from "./fuzz-report.js";

interface FuzzFlags extends OutputFlags, ContainmentFlags {
  module?: string;
  orchestrator?: string[];
  runs?: number;
  seed?: number;
  timeLimit?: number;
  outDir: string;
  historyFormat: HistoryFormat;
  input?: string[];
  histories?: string[];
  inferTypes: boolean;
  path?: string;
  allowInconclusive?: boolean;
}

async function runFuzz(flags: FuzzFlags): Promise<void> {
  const ctx = await commandContext(flags);
  const module = ctx.modulePath(flags.module);
  if (!module) throw new InputError("no orchestrator module: pass --module <path> (a file, or a function app folder), or set \"module\" in dtcheck.config");
  const bar = progress(0, { quiet: flags.quiet });
  const { seed, results, stopped } = await runContainedFuzz(
    {
      kind: "fuzz",
      module: path.resolve(module),
      orchestrators: flags.orchestrator ?? (ctx.config.orchestrator ? [ctx.config.orchestrator] : undefined),
      runs: flags.runs ?? ctx.config.runs ?? 100,
      seed: flags.seed ?? ctx.config.seed,
      path: flags.path,
      timeLimitMs: flags.timeLimit,
      fuzz: fuzzSource(ctx, parseInputs(flags.input)),
      seedHistories: flags.histories ?? (ctx.config.histories ? ctx.configPath(ctx.config.histories) : undefined),
      inferTypes: flags.inferTypes,
      outDir: path.resolve(flags.outDir),
      format: flags.historyFormat,
      cwd: ctx.cwd,
    },
    { ...containment(flags, ctx.cwd), onResult: (r) => bar.tick(r.orchestrator) },
  );
  bar.done();
  const verdict = { allowInconclusive: flags.allowInconclusive };
  const inconclusive = results.filter((r) => !r.failure && !r.unfinished && r.inconclusive).length;
  const unfinished = results.filter((r) => !r.failure && r.unfinished).length;
  const failed = results.filter((r) => r.failure).length + stopped.length;
  const total = results.length + stopped.length;
  // The same run, as a command line: what a reproduce command starts from.
  // Inline JSON is printed compact (the same value) so the command stays on one line.
  const input = rerunInputArgs(flags.input);
  const rerun = ["dtcheck", "fuzz", "--module", shownPath(ctx.cwd, module), ...input, ...(flags.config ? ["--config", flags.config] : [])];
  const worlds = results.reduce((n, r) => n + r.runs, 0);
  const counts = [`${total - failed - inconclusive - unfinished} deterministic`, `${failed} not`];
  if (unfinished > 0) counts.push(`${unfinished} never finished`);
  if (inconclusive > 0) counts.push(`${inconclusive} inconclusive`);
  const report: Report = {
    tool: "fuzz",
    rules: [NONDETERMINISM_RULE, ...VERDICT_RULES],
    findings: [
      ...results.flatMap((r) => [fuzzFinding(r, NONDETERMINISM_RULE, ctx.cwd, rerun), verdictFinding(r, verdict)]).filter((f): f is Finding => f !== undefined),
      ...stopped.map((unit) => stoppedFinding(unit, NONDETERMINISM_RULE, path.resolve(module))),
    ],
    cases: [
      ...results.map((r): TestCase => fuzzCase(r, "determinism", ctx.cwd, NONDETERMINISM_RULE, rerun, verdict)),
      ...stopped.map((unit) => stoppedCase(unit, "determinism")),
    ],
    summary: `${total} ${total === 1 ? "orchestrator" : "orchestrators"} fuzzed (${worlds} worlds, seed ${seed}): ${counts.join(", ")}`,
    notes: [...coverageNotes(results), ...valueNotes(results), ...reproduceNotes(results, ctx.cwd, rerun)],
    coverage: results.flatMap((r) => coverageEntries(r, ctx.cwd)),
  };
  finish(report, flags, ctx.cwd);
}

export function registerFuzz(program: Command, withOutput: (c: Command) => Command): void {
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
      .addHelpText("after", "\nExample:\n  $ dtcheck fuzz --module src/worker.ts --runs 200 --time-limit 30s\n  $ dtcheck fuzz -m src/worker.ts --orchestrator processOrder --seed 1234"),
  )).action(runFuzz);
}
