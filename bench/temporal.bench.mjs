// dtcheck's directory replay beside Temporal's Worker.runReplayHistories (issue 17 item 6), on equal
// histories: a chain of ten activities in each SDK (bench/temporal/chain/), 2,000 histories read
// from a directory and parsed by each tool, whole process (dtcheck: module load included;
// Temporal: workflow bundling included, which it does once per run), wall and CPU, medians of
// interleaved rounds. The dtcheck history is recorded by `dtcheck record`; the Temporal one is
// built by hand (bench/temporal/temporal-history.mjs) because Temporal's test server cannot start
// offline, so first both replayers are shown to reject a history their code cannot have written:
// a comparison with a replayer that accepts anything would mean nothing.
// Temporal's packages are large and live in bench/temporal's own package, installed on demand
// (npm ci --prefix bench/temporal); if that cannot be done, Temporal's figures say "skipped".
// Usage: npm run build && node bench/temporal.bench.mjs [rounds] [histories]
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { interleavedMedians, timedRun } from "./lib/processes.mjs";

const root = fileURLToPath(new URL("../", import.meta.url));
const bin = path.join(root, "packages/cli/bin/dtcheck.js");
const temporalDir = path.join(root, "bench/temporal");
const module = path.join(temporalDir, "chain/durabletask-chain.mjs");
const replayTemporal = path.join(temporalDir, "replay-temporal.mjs");
const rounds = Number(process.argv[2] ?? 5);
const count = Number(process.argv[3] ?? 2000);

/** Installs Temporal's packages into bench/temporal when they are missing; the reason when that fails. */
function temporalInstalled() {
  if (existsSync(path.join(temporalDir, "node_modules/@temporalio/worker/package.json"))) return undefined;
  console.log("installing Temporal's packages for this bench: npm ci --prefix bench/temporal");
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const install = spawnSync(npm, ["ci", "--prefix", temporalDir, "--no-audit", "--no-fund"], { encoding: "utf8" });
  if (install.status === 0) return undefined;
  const last = `${install.stderr ?? ""}${install.error?.message ?? ""}`.trim().split("\n").filter(Boolean).at(-1);
  return `npm ci --prefix bench/temporal failed (${last ?? `exit ${install.status}`}); offline? run it once with network access`;
}

function dtcheck(args, cwd) {
  return spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8" });
}

const dir = mkdtempSync(path.join(tmpdir(), "dtcheck-temporal-"));
try {
  // dtcheck: one recorded history, and one whose first activity is renamed.
  writeFileSync(path.join(dir, "input.json"), JSON.stringify("order"));
  writeFileSync(path.join(dir, "stubs.json"), JSON.stringify({ activities: { step: "done" } }));
  const golden = path.join(dir, "golden.json");
  const recorded = dtcheck(["record", "-m", module, "--orchestrator", "chain", "--input", "@input.json", "--stubs", "stubs.json", "--out", golden], dir);
  if (recorded.status !== 0) throw new Error(`dtcheck record failed: ${recorded.stderr}`);
  const goldenText = readFileSync(golden, "utf8");
  const renamed = path.join(dir, "renamed.json");
  writeFileSync(renamed, goldenText.replace('"name": "step"', '"name": "other"'));
  const events = (JSON.parse(goldenText).events ?? JSON.parse(goldenText)).length;
  const dtcheckChecks = [dtcheck(["replay", golden, "-m", module, "-q"], dir).status, dtcheck(["replay", renamed, "-m", module, "-q"], dir).status];
  console.log(`check: dtcheck replays its recorded chain (exit ${dtcheckChecks[0]}) and rejects it with the first activity renamed (exit ${dtcheckChecks[1]}): ${dtcheckChecks.join() === "0,1" ? "yes" : "NO"}`);

  const histories = path.join(dir, "dtcheck");
  mkdirSync(histories);
  for (let i = 0; i < count; i++) writeFileSync(path.join(histories, `h-${String(i).padStart(5, "0")}.json`), goldenText.replace('"dtcheck-instance"', `"order-${i}"`));

  const skipped = temporalInstalled();
  let chainEvents = 0;
  const commands = [{ label: `dtcheck replay, ${count} histories`, args: [bin, "replay", histories, "-m", module, "-q"] }];
  if (!skipped) {
    const { chainHistory } = await import("./temporal/temporal-history.mjs");
    const checks = path.join(dir, "temporal-checks");
    for (const [name, options] of [["good", {}], ["renamed", { activityName: "other" }]]) {
      mkdirSync(path.join(checks, name), { recursive: true });
      writeFileSync(path.join(checks, name, "h.json"), JSON.stringify(chainHistory(name, options)));
    }
    const check = (name) => spawnSync(process.execPath, [replayTemporal, path.join(checks, name), "1"], { encoding: "utf8" }).stdout.trim();
    const good = check("good");
    const wrong = check("renamed");
    const real = good.startsWith("replayed 1: ok 1") && wrong.startsWith("replayed 1: ok 0, failed 1");
    const why = /\[TMPRL\d+\][^"]*/.exec(wrong)?.[0] ?? wrong;
    console.log(`check: Temporal replays the hand-built chain ("${good}") and rejects it with every activity renamed ("${why}"): ${real ? "yes" : "NO"}`);
    if (!real) throw new Error("Temporal's replayer does not tell the hand-built history from a wrong one: the comparison would mean nothing");
    chainEvents = chainHistory("x").events.length;
    const temporal = path.join(dir, "temporal");
    mkdirSync(temporal);
    for (let i = 0; i < count; i++) writeFileSync(path.join(temporal, `h-${String(i).padStart(5, "0")}.json`), JSON.stringify(chainHistory(`order-${i}`)));
    commands.push({ label: `Temporal runReplayHistories, ${count} histories`, args: [replayTemporal, temporal, String(count)] });
  }
  const figures = interleavedMedians(commands, rounds, (command) => timedRun(command.label, command.args, dir));
  console.log(`histories: dtcheck ${events} events each (durabletask protobuf-json), Temporal ${chainEvents} events each (one workflow task per activity)`);
  console.log(`medians of ${rounds} interleaved rounds, whole process (Node ${process.version}), histories/s by wall and by CPU time:`);
  const rate = (figure) => ({ wall: count / figure.wall, cpu: count / figure.cpu });
  const line = (label, figure) => `${label.padEnd(44)} wall ${figure.wall.toFixed(2)} s (${rate(figure).wall.toFixed(0)}/s)  cpu ${figure.cpu.toFixed(2)} s (${rate(figure).cpu.toFixed(0)}/s)`;
  console.log(line(commands[0].label, figures[0]));
  if (skipped) console.log(`Temporal runReplayHistories: skipped: ${skipped}`);
  else {
    console.log(line(commands[1].label, figures[1]));
    console.log(`dtcheck / Temporal: ${(rate(figures[0]).wall / rate(figures[1]).wall).toFixed(1)}x histories/s by wall, ${(rate(figures[0]).cpu / rate(figures[1]).cpu).toFixed(1)}x by CPU`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
