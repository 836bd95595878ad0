// dtcheck end to end on the sample apps (fixtures/apps): lint, replay of the golden histories,
// a short fuzz and a pre-deploy drift check, run through the real `dtcheck` binary as a user would.
// Good apps must pass and their buggy twins must be caught; the exit code says whether that held.
//
//   npm install && npm run demo
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "packages/cli/bin/dtcheck.js");
const APPS = join(ROOT, "fixtures/apps");
const ENTRY = { durabletask: "worker.ts", "durable-functions": "index.ts", dapr: "worker.ts" };
const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code, text) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
const ok = (text) => `  ${paint(32, "✔")} ${text}`;
const bad = (text) => `  ${paint(31, "✖")} ${text}`;
// Replaying ~100 histories against ~30 modules is one process's work: the library API, not a process each.
const { replayHistories, loadModule } = await import(new URL("../packages/replay-tester/dist/index.js", import.meta.url).href);
const scratch = mkdtempSync(join(tmpdir(), "dtcheck-demo-"));
let unmet = 0;

/** Runs dtcheck with --format json and returns the exit code and the parsed report. */
function dtcheck(args) {
  const shown = `dtcheck ${args.map((a) => (a.startsWith(ROOT) ? relative(ROOT, a) || "." : a)).join(" ")}`;
  const run = spawnSync(process.execPath, [BIN, ...args, "--format", "json"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  let report;
  try {
    report = JSON.parse(run.stdout);
  } catch {
    throw new Error(`${shown} printed no report (exit ${run.status}): ${run.stderr.trim().split("\n")[0]}`);
  }
  return { code: run.status, report, shown };
}

function expect(condition, good, badText) {
  if (condition) console.log(ok(good));
  else {
    unmet++;
    console.log(bad(badText));
  }
}

/** Every app directory (one with a worker.ts or index.ts), as "sdk/app" paths. */
function apps() {
  const found = [];
  const walk = (dir, sdk) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === "histories" || entry.name === "lib" || entry.name === "vendor") continue;
      const path = join(dir, entry.name);
      if (existsSync(join(path, ENTRY[sdk]))) found.push({ sdk, path, name: relative(APPS, path), entry: join(path, ENTRY[sdk]) });
      else walk(path, sdk);
    }
  };
  for (const sdk of Object.keys(ENTRY)) walk(join(APPS, sdk), sdk);
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

const all = apps();
const isBuggy = (app) => /(^|\/)buggy-/.test(app.name);
const good = all.filter((a) => !isBuggy(a));
const buggy = all.filter(isBuggy);
console.log(`dtcheck demo on ${all.length} sample apps in fixtures/apps (${good.length} good, ${buggy.length} buggy twins; durabletask-js, durable-functions, Dapr)\n`);

try {
  // 1. Lint: the good apps are clean, every buggy twin is flagged.
  const lint = dtcheck(["lint", APPS]);
  console.log(`1. lint       ${lint.shown}`);
  const byApp = new Map();
  for (const finding of lint.report.findings) {
    const app = all.find((a) => finding.location.file.startsWith(a.path + "/"));
    const key = app ? app.name : relative(ROOT, finding.location.file);
    byApp.set(key, [...(byApp.get(key) ?? []), finding]);
  }
  const noisyGood = good.filter((a) => byApp.has(a.name));
  expect(noisyGood.length === 0, `${good.length} good apps: no findings`, `good apps with findings: ${noisyGood.map((a) => a.name).join(", ")}`);
  for (const twin of buggy) {
    const findings = byApp.get(twin.name) ?? [];
    const rules = [...new Set(findings.map((f) => f.ruleId.replace("@dtcheck/", "")))].join(", ");
    expect(findings.length > 0, `${twin.name}: ${findings.length} ${findings.length === 1 ? "finding" : "findings"} (${rules})`, `${twin.name}: not flagged`);
  }

  // 2. Replay: every golden replays on its own app; the good twin's goldens expose the buggy twins that replay can see.
  console.log(`\n2. replay     dtcheck replay <app>/histories --module <app>/${"{worker,index}.ts"}   (here through the library: replayHistories)`);
  let histories = 0;
  const failing = [];
  for (const app of good) {
    const dir = join(app.path, "histories");
    if (!existsSync(dir)) continue;
    const summary = await replayHistories(dir, { module: await loadModule(app.entry) });
    histories += summary.results.length;
    if (summary.ok !== summary.results.length) failing.push(`${app.name} (${summary.ok}/${summary.results.length} ok)`);
  }
  expect(failing.length === 0, `${histories} golden histories of the good apps replay ok`, `goldens that do not replay: ${failing.join("; ")}`);
  for (const twin of buggy) {
    const twinOf = good.find((a) => a.name === twin.name.replace("buggy-", ""));
    const dir = twinOf && join(twinOf.path, "histories");
    if (!dir || !existsSync(dir)) continue;
    const summary = await replayHistories(join(dir, "*.protobuf-json.json"), { module: await loadModule(twin.entry), cwd: ROOT });
    const first = summary.results.find((r) => r.status === "diverged")?.divergence;
    if (first) console.log(ok(`${twin.name} diverges on ${relative(APPS, twinOf.path)}'s golden: episode ${first.episode}, event #${first.eventIndex}: ${first.message}`));
    else console.log(`    ${twin.name}: replays the good twin's golden (its bugs change inputs or need another environment; lint and fuzz catch them)`);
  }

  // 3. Fuzz: generated worlds, replayed in perturbed environments, catch a clock read hidden in vendored code.
  const fuzzGood = all.find((a) => a.name === "durabletask/newsletter");
  const fuzzBuggy = all.find((a) => a.name === "durabletask/buggy-newsletter");
  const outDir = join(scratch, "failures");
  console.log(`\n3. fuzz       dtcheck fuzz --module <app>/worker.ts --runs 40 --seed 42   (inputs generated from the orchestrator's types)`);
  const fuzzOk = dtcheck(["fuzz", "--module", fuzzGood.entry, "--runs", "40", "--seed", "42", "--out-dir", outDir]);
  expect(fuzzOk.code === 0, `${fuzzGood.name}: ${fuzzOk.report.summary}`, `${fuzzGood.name}: ${fuzzOk.report.summary}`);
  const fuzzBad = dtcheck(["fuzz", "--module", fuzzBuggy.entry, "--runs", "40", "--seed", "42", "--out-dir", outDir]);
  const caught = fuzzBad.report.findings[0];
  expect(
    fuzzBad.code === 1 && caught,
    `${fuzzBuggy.name}: caught at ${caught ? `${relative(APPS, caught.location.file)}:${caught.location.line}` : "?"}, shrunk to a minimal history`,
    `${fuzzBuggy.name}: not caught (${fuzzBad.report.summary})`,
  );

  // 4. Drift: can v2 finish the instances v1 started?
  console.log(`\n4. drift      dtcheck drift --baseline versioned/v1 --candidate versioned/v2-* --runs 40 --seed 42`);
  for (const sdk of ["durabletask", "durable-functions"]) {
    const v = (name) => join(APPS, sdk, "versioned", name, ENTRY[sdk]);
    const gated = dtcheck(["drift", "--baseline", v("v1"), "--candidate", v("v2-gated"), "--runs", "40", "--seed", "42", "--out-dir", outDir]);
    expect(gated.code === 0, `${sdk} v1 → v2-gated: compatible (old instances keep the old path)`, `${sdk} v1 → v2-gated: ${gated.report.summary}`);
    const ungated = dtcheck(["drift", "--baseline", v("v1"), "--candidate", v("v2-ungated"), "--runs", "40", "--seed", "42", "--out-dir", outDir]);
    const divergence = ungated.report.findings[0];
    expect(
      ungated.code === 1 && divergence,
      `${sdk} v1 → v2-ungated: caught, ${divergence ? divergence.message.replace(/^[^:]+: /, "") : ""}`,
      `${sdk} v1 → v2-ungated: not caught (${ungated.report.summary})`,
    );
  }
} catch (error) {
  unmet++;
  console.log(bad(error.message));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

console.log(
  unmet === 0
    ? `\n${paint(32, "demo ok")}: the good apps pass and the buggy ones are caught. Try the commands above on your own worker; see docs/cli.md.`
    : `\n${paint(31, `demo: ${unmet} expectation(s) not met`)}`,
);
process.exitCode = unmet === 0 ? 0 : 1;
