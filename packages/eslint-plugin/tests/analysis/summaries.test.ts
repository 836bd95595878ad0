import { describe, expect, it } from "vitest";
import { noIo } from "../../src/rules/no-io.js";
import { noRandom } from "../../src/rules/no-random.js";
import { noWallClock } from "../../src/rules/no-wall-clock.js";
import { lintText } from "../helpers/lint.js";

const header = `import { TaskHubGrpcWorker } from "@microsoft/durabletask-js";\n`;
const footer = `\nnew TaskHubGrpcWorker().addOrchestrator(orch);\n`;

function findings(code: string): string[] {
  // Only the hazard rules: the summaries are what is under test here.
  const rules = { "no-wall-clock": noWallClock, "no-random": noRandom, "no-io": noIo };
  return lintText(header + code + footer, rules).map((m) => {
    if (m.fatal) throw new Error(m.message);
    return `${m.line} ${m.ruleId?.replace("test/", "")}: ${m.message}`;
  });
}

describe("helper summaries", () => {
  it("terminates on mutual recursion and still finds every hazard in the cycle, from either entry", () => {
    const out = findings(`
function ping(n: number): number { return n > 0 ? pong(n - 1) : Math.random(); }
function pong(n: number): number { return n > 0 ? ping(n - 1) : Date.now(); }
async function* orch(ctx) {
  yield ctx.callActivity("a", pong(3));
  yield ctx.callActivity("b", ping(3));
}`);
    expect(out).toEqual([
      "6 no-wall-clock: pong() calls Date.now() (line 4), which returns a different time on replay; use ctx.currentUtcDateTime.getTime() instead.",
      "6 no-random: pong() → ping() calls Math.random() (line 3), which returns a new value on replay; use an activity (yield ctx.callActivity(...)) instead.",
      "7 no-wall-clock: ping() → pong() calls Date.now() (line 4), which returns a different time on replay; use ctx.currentUtcDateTime.getTime() instead.",
      "7 no-random: ping() calls Math.random() (line 3), which returns a new value on replay; use an activity (yield ctx.callActivity(...)) instead.",
    ]);
  });

  it("follows a 1,000-deep chain of helpers without overflowing", () => {
    const helpers = Array.from({ length: 1000 }, (_, i) =>
      i === 999 ? `function h${i}() { return crypto.randomUUID(); }` : `function h${i}() { return h${i + 1}(); }`,
    ).join("\n");
    const out = findings(`${helpers}\nasync function* orch(ctx) { yield ctx.callActivity("a", h0()); }`);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^1002 no-random: h0\(\) → h1\(\) → .* → h999\(\) calls crypto\.randomUUID\(\) \(line 1001\)/);
  });

  it("follows a function passed as a callback into a helper that calls it (directly or by handing it on)", () => {
    const out = findings(`
function stamp() { return Date.now(); }
function safe() { return 1; }
function retrying(attempt: () => number, times = 3) { return attempt(); }
function twice(fn: () => number) { return retrying(fn) + retrying(fn); }
function keep(fn: () => number) { return { fn }; }
async function* orch(ctx) {
  yield ctx.callActivity("a", retrying(stamp));
  yield ctx.callActivity("b", twice(stamp));
  yield ctx.callActivity("c", retrying(safe) + keep(stamp).fn.length);
  yield ctx.callActivity("d", retrying(() => 2));
}`);
    expect(out).toEqual([
      "9 no-wall-clock: retrying() → stamp() calls Date.now() (line 3), which returns a different time on replay; use ctx.currentUtcDateTime.getTime() instead.",
      "10 no-wall-clock: twice() → stamp() calls Date.now() (line 3), which returns a different time on replay; use ctx.currentUtcDateTime.getTime() instead.",
    ]);
  });

  it("reports a hazard once per call site even when reached by two paths, and once when written in the orchestrator", () => {
    const out = findings(`
function stamp() { return Date.now(); }
function a() { return stamp(); }
function b() { return stamp() + a(); }
async function* orch(ctx) {
  const t = Date.now();
  yield ctx.callActivity("x", b());
}`);
    expect(out).toEqual([
      "7 no-wall-clock: Date.now() returns a different time on replay; use ctx.currentUtcDateTime.getTime() instead.",
      "8 no-wall-clock: b() → stamp() calls Date.now() (line 3), which returns a different time on replay; use ctx.currentUtcDateTime.getTime() instead.",
    ]);
  });

  it("does not follow helpers nested inside the orchestrator twice, nor activities passed as values", () => {
    const out = findings(`
async function* orch(ctx) {
  function local() { return Math.random(); }
  const v = local();
  yield ctx.callActivity(async function fetchRate() { return fetch("https://rates"); });
}`);
    expect(out).toEqual([
      "4 no-random: Math.random() returns a new value on replay; use an activity (yield ctx.callActivity(...)) instead.",
    ]);
  });

  it("a helper calling back into the orchestrator does not re-report the orchestrator's own code", () => {
    const out = findings(`
function again(ctx) { return orch(ctx); }
async function* orch(ctx) {
  const t = Date.now();
  again(ctx);
}`);
    expect(out).toEqual(["5 no-wall-clock: Date.now() returns a different time on replay; use ctx.currentUtcDateTime.getTime() instead."]);
  });

  it("honours eslint-disable comments", () => {
    const out = findings(`
async function* orch(ctx) {
  // eslint-disable-next-line test/no-wall-clock -- logged only
  const t = Date.now();
}`);
    expect(out).toEqual([]);
  });
});
