import { describe, expect, it } from "vitest";
import type { TSESLint } from "@typescript-eslint/utils";
import { findOrchestrators, enclosingOrchestrator } from "../../src/analysis/orchestrators.js";
import { lintText } from "../helpers/lint.js";

/** Reports one line per orchestrator: `line foundBy sdk/api name apiText`. */
const probe: TSESLint.RuleModule<"found"> = {
  meta: { type: "problem", messages: { found: "{{what}}" }, schema: [] },
  defaultOptions: [],
  create(context) {
    return {
      "Program:exit"() {
        for (const info of findOrchestrators(context).values()) {
          context.report({
            node: info.node,
            messageId: "found",
            data: { what: `${info.foundBy} ${info.sdk}/${info.api} ${info.name ?? "-"} ${info.apiText}` },
          });
        }
      },
    };
  },
};

/** Reports each `marker()` call with the orchestrator it runs in (or "none"). */
const enclosingProbe: TSESLint.RuleModule<"in"> = {
  meta: { type: "problem", messages: { in: "{{name}}" }, schema: [] },
  defaultOptions: [],
  create(context) {
    return {
      'CallExpression[callee.name="marker"]'(node: TSESLint.SourceCode["ast"]["body"][number]) {
        context.report({ node, messageId: "in", data: { name: enclosingOrchestrator(context, node)?.name ?? "none" } });
      },
    };
  },
};

function found(code: string, settings?: Record<string, unknown>): string[] {
  return lintText(code, { probe }, { settings }).map((m) => {
    if (m.ruleId !== "test/probe") throw new Error(`${m.line}: ${m.message}`);
    return `${m.line} ${m.message}`;
  });
}

describe("findOrchestrators", () => {
  it("finds durabletask-js registrations: inline, identifiers, function expressions", () => {
    const code = `
import { TaskHubGrpcWorker } from "@microsoft/durabletask-js";
async function* sequence(ctx, input) { yield ctx.callActivity("a", input); }
const fanOut = async function* (context) { yield context.callActivity("b"); };
const approval = async function* (c) {};
async function say(_ctx, name) { return "hi " + name; }
const worker = new TaskHubGrpcWorker({ hostAddress: "localhost:4001" });
worker.addOrchestrator(sequence);
worker.addNamedOrchestrator("fan-out", fanOut);
worker.addNamedOrchestrator("inline", async function* (x) {});
worker.addActivity(say);
`;
    expect(found(code)).toEqual([
      "3 registration durabletask/durabletask sequence ctx",
      "4 registration durabletask/durabletask fan-out context",
      "10 registration durabletask/durabletask inline x",
    ]);
  });

  it("finds durable-functions app.orchestration with a handler, an options object and legacy df.orchestrator", () => {
    const code = `
import * as df from "durable-functions";
const helloSequence = function* (context) { yield context.df.callActivity("Hello", "Tokyo"); };
df.app.orchestration("helloSequence", helloSequence);
df.app.orchestration("withOptions", { handler: function* (ctx) { yield ctx.df.createTimer(new Date(0)); } });
module.exports = df.orchestrator(function* (context) { return 1; });
df.app.activity("Hello", { handler: (input) => "Hello " + input });
`;
    expect(found(code)).toEqual([
      "3 registration durable-functions/durable-functions helloSequence context.df",
      "5 registration durable-functions/durable-functions withOptions ctx.df",
      "6 registration durable-functions/durable-functions - context.df",
    ]);
  });

  it("does not take an unrelated app.orchestration for a durable-functions registration", () => {
    expect(found(`const app = makeApp(); app.orchestration("x", function* (context) {});`)).toEqual([]);
  });

  it("finds Dapr workflows by registration and by WorkflowContext type, with the WorkflowContext API", () => {
    const code = `
import { WorkflowRuntime, WorkflowContext as WfCtx, TWorkflow } from "@dapr/dapr";
const order: TWorkflow = async function* (ctx, input) { yield ctx.callActivity(ship, input); };
async function* typed(wf: WfCtx, n: number) {}
const runtime = new WorkflowRuntime();
runtime.registerWorkflowWithName("order", order).registerWorkflow(function* legacy(ctx) {});
`;
    expect(found(code)).toEqual([
      "3 registration dapr/dapr-workflow order ctx",
      "4 context-type dapr/dapr-workflow typed wf",
      "6 registration dapr/dapr-workflow legacy ctx",
    ]);
  });

  it("uses the @dapr/durabletask-js API for addOrchestrator in a file importing the Dapr fork", () => {
    const code = `
import { TaskHubGrpcWorker } from "@dapr/durabletask-js";
const w = new TaskHubGrpcWorker();
w.addOrchestrator(async function* daprSeq(ctx) {});
`;
    expect(found(code)).toEqual(["4 registration dapr/dapr-durabletask daprSeq ctx"]);
  });

  it("finds orchestrators by context type through renames, namespaces, aliases and intersections", () => {
    const code = `
import type { OrchestrationContext as Ctx } from "@microsoft/durabletask-js";
import * as df from "durable-functions";
import type { TOrchestrator } from "@microsoft/durabletask-js";
type MyCtx = Ctx & { extra: true };
export async function* renamed(ctx: Ctx) {}
function* dfTyped(context: df.OrchestrationContext) {}
const aliased = async function* (c: MyCtx) {};
export const typedVar: TOrchestrator = async function* (ctx) {};
function notOne(ctx: SomethingElse) {}
`;
    expect(found(code)).toEqual([
      "6 context-type durabletask/durabletask renamed ctx",
      "7 context-type durable-functions/durable-functions dfTyped context.df",
      "8 context-type durabletask/durabletask aliased c",
      "9 context-type durabletask/durabletask typedVar ctx",
    ]);
  });

  it("finds /** @orchestrator */ functions and settings.dtcheck.orchestrators names", () => {
    const code = `
import { whenAll } from "@microsoft/durabletask-js";
/** Ships an order. @orchestrator */
export async function* shipOrder(ctx) {}
/** not tagged */
async function* helper(ctx) {}
/** Mentions the \`@orchestrator\` tag in prose, or @orchestrators, but is not tagged. */
function mentionsTag(context) {}
const fromSettings = async function* (ctx) {};
`;
    expect(found(code, { dtcheck: { orchestrators: ["fromSettings"] } })).toEqual([
      "4 jsdoc durabletask/durabletask shipOrder ctx",
      "9 settings durabletask/durabletask fromSettings ctx",
    ]);
  });

  it("never takes activities for orchestrators, even when typed with the context type", () => {
    const code = `
import { TaskHubGrpcWorker, OrchestrationContext } from "@microsoft/durabletask-js";
const w = new TaskHubGrpcWorker();
async function* orch(ctx: OrchestrationContext) { yield ctx.callActivity(fetchIt); }
w.addActivity(async function fetchIt(ctx: OrchestrationContext) { return fetch("x"); });
`;
    expect(found(code)).toEqual(["4 context-type durabletask/durabletask orch ctx"]);
  });

  it("finds generators by the use of their first parameter as a durable context, in files with no SDK import", () => {
    // What a folder of orchestrators that a worker registers in a loop looks like.
    const code = `
export async function* order(ctx, input) { const r = yield ctx.callActivity("charge", input); return r; }
export function* approval(context) { const d = context.df.currentUtcDateTime; yield context.df.createTimer(d); }
export async function* ship(ctx) { if (!ctx.isReplaying()) { /* */ } yield ctx.createTimer(5); }
export async function* retryStep(ctx) { yield ctx.callActivity("x"); }
export async function* caller(ctx) { yield* retryStep(ctx); }
export async function* notAContext(ctx) { const ctx2 = { callActivity() {} }; ctx2.callActivity(); yield ctx.other(); }
export async function* shadowed(ctx) { [1].map((ctx) => ctx.callActivity("y")); yield 1; }
export async function plain(ctx) { await ctx.callActivity("z"); }
`;
    expect(found(code)).toEqual([
      "2 context-use durabletask/durabletask order ctx",
      "3 context-use durable-functions/durable-functions approval context.df",
      "4 context-use dapr/dapr-workflow ship ctx",
      "6 context-use durabletask/durabletask caller ctx",
    ]);
  });

  it("does not take a function that registers or wraps its parameter for an orchestrator", () => {
    const code = `
import { TaskHubGrpcWorker, TOrchestrator } from "@microsoft/durabletask-js";
const worker = new TaskHubGrpcWorker();
function startOrchestration(orch: TOrchestrator) { worker.addOrchestrator(orch); console.log("registered"); }
export function register(name: string, fn: TOrchestrator) { worker.addNamedOrchestrator(name, fn); return Date.now(); }
`;
    expect(found(code)).toEqual([]);
  });

  it("skips files without any SDK marker", () => {
    expect(found(`async function* f(ctx) { ctx.addOrchestratorLike(); }`)).toEqual([]);
  });

  it("rejects malformed settings with one clear message", () => {
    expect(() => found(`import "@microsoft/durabletask-js";`, { dtcheck: { orchestrators: "x" } })).toThrow(
      /settings\.dtcheck\.orchestrators must be an array, got "x"/,
    );
  });
});

describe("enclosingOrchestrator", () => {
  it("covers nested callbacks but not activities passed as values or code outside", () => {
    const code = `
import { TaskHubGrpcWorker } from "@microsoft/durabletask-js";
async function* orch(ctx) {
  marker();
  const xs = [1, 2].map((x) => { marker(); return x; });
  yield ctx.callActivity(async function inlineActivity() { marker(); });
}
marker();
new TaskHubGrpcWorker().addOrchestrator(orch);
`;
    const messages = lintText(code, { enclosingProbe }).map((m) => `${m.line} ${m.message}`);
    expect(messages).toEqual(["4 orch", "5 orch", "6 none", "8 none"]);
  });
});
