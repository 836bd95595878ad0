import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { expectOneLineError, REPO, runCli } from "../run-cli.js";

/* The built CLI on fixtures/explore: inputs inferred from types, --input per orchestrator, seeds from --histories. */
const explore = path.join(REPO, "fixtures/explore");
const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "dtcheck-inputs-"));
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const dfV1 = path.join(explore, "durable-functions/get-input/v1.ts");
const dfV2 = path.join(explore, "durable-functions/get-input/v2-input.ts");

// Several CLI processes per test: on a loaded 2-core machine they can pass the 30 s default.
describe("dtcheck drift and fuzz with no input given", { timeout: 120_000 }, () => {
  it("drift finds a change behind an input branch of a Durable Functions orchestrator from getInput<Order>()", () => {
    const run = runCli(["drift", "--baseline", dfV1, "--candidate", dfV2, "--seed", "7", "--out-dir", tempDir()]);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toContain('order: an instance started by the baseline diverges on the candidate: episode 1, history event #6: the history recorded activity "expedite" with id 1, but the code now makes activity "bookCourier"');
    // The report says what the worlds were made of.
    expect(run.stdout).toContain('order: inferred input: Order from getInput<Order>() (fixtures/explore/durable-functions/get-input/v1.ts:24)');
    expect(run.stdout).toContain('order: inferred activity "screen" result: Verdict from variable "verdict" (fixtures/explore/durable-functions/get-input/v1.ts:25)');
  });

  it("--input <name>=@file fixes one orchestrator's input for drift: a standard order never reaches the courier, so the verdict is inconclusive", () => {
    const dir = tempDir();
    const file = path.join(dir, "standard.json");
    writeFileSync(file, JSON.stringify({ id: "o-1", shipping: "standard", lines: [{ sku: "a", quantity: 1 }] }));
    const run = runCli(["drift", "--baseline", dfV1, "--candidate", dfV2, "--seed", "7", "--runs", "30", "--input", `order=@${file}`, "--out-dir", dir]);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toContain('order: inconclusive: the candidate\'s activity "bookCourier" at fixtures/explore/durable-functions/get-input/v2-input.ts:34');
    expect(run.stdout).toContain("(30 worlds, seed 7): 0 compatible, 0 drifted, 1 inconclusive");
    // The given input replaced the inferred one; the activity result is still inferred.
    expect(run.stdout).not.toContain("order: inferred input:");
    expect(run.stdout).toContain('order: inferred activity "screen" result: Verdict');
  });

  it("rejects an --input for an orchestrator the module does not register, and two unnamed inputs, in one line (exit 2)", () => {
    const unknown = runCli(["drift", "--baseline", dfV1, "--candidate", dfV2, "--input", 'ordr={"id":"x"}']);
    expect(expectOneLineError(unknown)).toBe(`dtcheck: ${path.relative(REPO, dfV1)}: registers no orchestrator "ordr", which fuzz.inputs / --input ordr=... gives an input for; it registers: order`);
    const twice = runCli(["fuzz", "-m", dfV1, "--input", "1", "--input", "2"]);
    expect(expectOneLineError(twice)).toBe("dtcheck: --input without a name is given twice; name the orchestrator of each: --input <name>=<json|@file>");
  });

  it("fuzz tries the inputs and results of saved histories first: the module cache is caught from one history even without types", () => {
    const cache = path.join(explore, "durabletask/typed-param/cache.ts");
    const dir = tempDir();
    const input = JSON.stringify({ id: "o-7", shipping: "standard", lines: [{ sku: "sku-7", quantity: 2 }] });
    const at = "2024-01-01T00:00:00.000Z";
    writeFileSync(
      path.join(dir, "order.json"),
      JSON.stringify([
        { eventId: -1, timestamp: at, orchestratorStarted: {} },
        { eventId: -1, timestamp: at, executionStarted: { name: "order", orchestrationInstance: { instanceId: "saved-1" }, input } },
        { eventId: 1, timestamp: at, taskScheduled: { name: "screen", input: '"o-7"' } },
        { eventId: -1, timestamp: at, orchestratorCompleted: {} },
        { eventId: -1, timestamp: at, orchestratorStarted: {} },
        { eventId: -1, timestamp: at, taskCompleted: { taskScheduledId: 1, result: '{"decision":"accept","score":1}' } },
      ]),
    );
    const blind = runCli(["fuzz", "-m", cache, "--no-infer-types", "--runs", "20", "--seed", "3", "--out-dir", dir]);
    expect(blind.code, blind.stdout + blind.stderr).toBe(1);
    expect(blind.stdout).toContain("(20 worlds, seed 3): 0 deterministic, 0 not, 1 inconclusive");
    const seeded = runCli(["fuzz", "-m", cache, "--no-infer-types", "--histories", dir, "--runs", "20", "--seed", "3", "--out-dir", path.join(dir, "out")]);
    expect(seeded.code, seeded.stdout + seeded.stderr).toBe(1);
    expect(seeded.stdout).toContain('order: the orchestrator cannot replay the history it produced: the history recorded activity "reserve" with id 2');
    expect(seeded.stdout).toContain("order: seeded from 1 saved history: 1 input, 1 activity result, tried first\n");
  });
});

describe("the config's histories folder before anything was recorded (what dtcheck init writes)", { timeout: 120_000 }, () => {
  it("fuzz and drift check generated worlds with a note, not exit 2; --histories given and empty is still exit 2", () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "dtcheck.config.json"), JSON.stringify({ module: dfV1, histories: "test/histories" }));
    const note = 'dtcheck: note: test/histories (the config\'s "histories") holds no histories yet; checking generated worlds only';
    const fuzz = runCli(["fuzz", "--runs", "3", "--seed", "7", "--out-dir", tempDir()], { cwd: dir });
    expect(fuzz.code, fuzz.stdout + fuzz.stderr).toBe(0);
    // Three worlds do not reach every call site: a pass, but no ✔.
    expect(fuzz.stdout.split("\n")[0]).toBe("! 1 orchestrator fuzzed (3 worlds, seed 7): 1 deterministic, 0 not");
    expect(fuzz.stderr.split("\n")).toContain(note);
    const drift = runCli(["drift", "--baseline", dfV1, "--runs", "3", "--seed", "7", "--format", "json", "--out-dir", tempDir()], { cwd: dir });
    expect(drift.code, drift.stdout + drift.stderr).toBe(0);
    expect((JSON.parse(drift.stdout) as { summary: string }).summary).toMatch(/^1 orchestrator checked .*: 1 compatible, 0 drifted$/);
    expect(drift.stderr).toBe("");
    expect(expectOneLineError(runCli(["fuzz", "--histories", "test/histories"], { cwd: dir }))).toBe("dtcheck: test/histories: matches no history file; check the path or glob");
  });
});

describe("a check that passed without reaching every call site", { timeout: 120_000 }, () => {
  it("fuzz names each site never reached, with what it is behind and how to reach it, and prints no ✔", () => {
    const module = path.join(explore, "durabletask/typed-param/v1.ts");
    // A standard order with no lines: the loop's reserve and the express branch are never taken.
    const run = runCli(["fuzz", "-m", module, "--seed", "3", "--runs", "20", "--input", '{"id":"o-1","shipping":"standard","lines":[]}', "--out-dir", tempDir()]);
    // Passed, but not everything was checked: exit 0, and a "!" where a full check shows a ✔.
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout.split("\n")[0]).toBe("! 1 orchestrator fuzzed (20 worlds, seed 3): 1 deterministic, 0 not");
    expect(run.stdout).toContain("order: 3 of 5 durable call sites reached\n");
    expect(run.stdout).toContain(
      'order: never reached, so not checked: activity "reserve" (fixtures/explore/durabletask/typed-param/v1.ts:33, behind not (verdict.decision === "review") and order.lines is not empty); activity "expedite" (fixtures/explore/durabletask/typed-param/v1.ts:35, behind not (verdict.decision === "review") and order.shipping === "express"); give an input or activity results that reach them (--input, or fuzz.inputs / fuzz.activities in dtcheck.config) or more --runs\n',
    );
  });

  it("names the setting a call is behind when the code reads it from process.env, and no warning for a log line", () => {
    const dir = tempDir();
    symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"));
    writeFileSync(
      path.join(dir, "region.mjs"),
      `import { TaskHubGrpcWorker } from "@microsoft/durabletask-js";\nasync function* order(ctx, id) {\n  console.log("order", id);\n  if (process.env.REGION?.startsWith("eu")) yield ctx.callActivity("gdprCheck", id);\n  return yield ctx.callActivity("ship", id);\n}\nconst worker = new TaskHubGrpcWorker({ hostAddress: "localhost:4001" });\nworker.addOrchestrator(order);\n`,
    );
    const run = runCli(["fuzz", "-m", "region.mjs", "--seed", "1", "--runs", "20", "-q"], { cwd: dir });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain(
      'order: never reached, so not checked: activity "gdprCheck" (region.mjs:4, behind process.env.REGION?.startsWith("eu")); give an input or activity results that reach it (--input, or fuzz.inputs / fuzz.activities in dtcheck.config) or more --runs, or run with REGION set as the code expects (better: pass that setting in the input, since a replay reads whatever the worker has then)\n',
    );
    // A branch on the clock: no input reaches it, and the branch itself is the bug.
    writeFileSync(
      path.join(dir, "sunset.mjs"),
      `import { TaskHubGrpcWorker } from "@microsoft/durabletask-js";\nasync function* order(ctx, id) {\n  if (new Date().getUTCFullYear() > 2030) yield ctx.callActivity("sunset", id);\n  return yield ctx.callActivity("ship", id);\n}\nconst worker = new TaskHubGrpcWorker({ hostAddress: "localhost:4001" });\nworker.addOrchestrator(order);\n`,
    );
    const sunset = runCli(["fuzz", "-m", "sunset.mjs", "--seed", "1", "--runs", "20", "-q"], { cwd: dir });
    expect(sunset.stdout).toMatch(/order: never reached, so not checked: activity "sunset" .*; a branch on the clock or randomness is itself what makes an orchestrator non-deterministic \(dtcheck lint names the fix\)\n/);
    // Node reads FORCE_COLOR to colour console.log: not the code's setting.
    expect(run.stdout).toContain("warning (order): the code read process.env.REGION while it ran;");
    expect(run.stdout).not.toContain("FORCE_COLOR");
  });
});
