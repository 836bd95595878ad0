/**
 * The failures the structural rules describe, reproduced with the real SDKs: each case lints an
 * orchestrator's source with the rule and runs the very same function through the SDK's own
 * executor, so a message claiming "completes at once with {}" or "fails with ..." is checked
 * against what the installed SDK really does (and breaks loudly if an SDK upgrade changes it).
 */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { NoOpLogger } from "@microsoft/durabletask-js";
import { generatorShape } from "../../src/rules/generator-shape.js";
import { namedRegistration } from "../../src/rules/named-registration.js";
import { noAwait } from "../../src/rules/no-await.js";
import { noPromiseCombinators } from "../../src/rules/no-promise-combinators.js";
import { yieldDurableTasks } from "../../src/rules/yield-durable-tasks.js";
import type { DtcheckRule } from "../../src/rules/index.js";
import { lintText } from "../helpers/lint.js";

const require = createRequire(import.meta.url);

// ---- durabletask-js: its own offline executor (deep imports; the package has no exports map) ----
interface DtAction {
  toObject(): { scheduletask?: { name: string }; completeorchestration?: { orchestrationstatus: number; result?: { value: string }; failuredetails?: { errormessage: string } } };
}
const { Registry } = require("@microsoft/durabletask-js/dist/worker/registry.js") as {
  Registry: new () => { addNamedOrchestrator(name: string, fn: unknown): void; addOrchestrator(fn: unknown): string; addActivity(fn: unknown): string };
};
const { OrchestrationExecutor } = require("@microsoft/durabletask-js/dist/worker/orchestration-executor.js") as {
  OrchestrationExecutor: new (registry: unknown, logger: unknown) => { execute(id: string, old: unknown[], events: unknown[]): Promise<{ actions: DtAction[] }> };
};
const pb = require("@microsoft/durabletask-js/dist/utils/pb-helper.util.js") as {
  newOrchestratorStartedEvent(): unknown;
  newExecutionStartedEvent(name: string, id: string, input?: string): unknown;
};

/** Runs the first episode of an orchestration; returns what was scheduled and how it completed. */
async function runDurabletask(fn: unknown) {
  const registry = new Registry();
  registry.addNamedOrchestrator("o", fn);
  const { actions } = await new OrchestrationExecutor(registry, new NoOpLogger()).execute("i1", [], [
    pb.newOrchestratorStartedEvent(),
    pb.newExecutionStartedEvent("o", "i1", JSON.stringify("Tokyo")),
  ]);
  const objects = actions.map((a) => a.toObject());
  const complete = objects.find((a) => a.completeorchestration)?.completeorchestration;
  return {
    scheduled: objects.flatMap((a) => (a.scheduletask ? [a.scheduletask.name] : [])),
    output: complete?.result?.value,
    failure: complete?.failuredetails?.errormessage,
  };
}

// ---- durable-functions: its own testing utilities and history classes ----
const dfTesting = require("durable-functions/lib/src/util/testingUtils.js") as {
  createOrchestrator(fn: unknown): (input: unknown, context: unknown) => Promise<unknown>;
  DurableOrchestrationInput: new (instanceId: string, history: unknown[], input: unknown) => unknown;
  DummyOrchestrationContext: new () => unknown;
};
const { HistoryEventOptions } = require("durable-functions/lib/src/history/HistoryEventOptions.js") as {
  HistoryEventOptions: new (eventId: number, timestamp: Date) => object;
};
const { OrchestratorStartedEvent } = require("durable-functions/lib/src/history/OrchestratorStartedEvent.js") as { OrchestratorStartedEvent: new (o: object) => unknown };
const { ExecutionStartedEvent } = require("durable-functions/lib/src/history/ExecutionStartedEvent.js") as { ExecutionStartedEvent: new (o: object) => unknown };

/** Runs the first episode; durable-functions reports a failed episode by throwing with its state as JSON. */
async function runDurableFunctions(fn: unknown): Promise<{ scheduled: string[]; error?: string }> {
  const at = new Date("2024-01-01T00:00:00Z");
  const history = [
    new OrchestratorStartedEvent(new HistoryEventOptions(0, at)),
    new ExecutionStartedEvent({ ...new HistoryEventOptions(1, at), name: "o", input: JSON.stringify("Tokyo") }),
  ];
  let state: { actions: Array<Array<{ functionName?: string }>>; error?: string };
  try {
    state = (await dfTesting.createOrchestrator(fn)(new dfTesting.DurableOrchestrationInput("i1", history, "Tokyo"), new dfTesting.DummyOrchestrationContext())) as typeof state;
  } catch (error) {
    const text = String((error as Error).message);
    state = JSON.parse(text.slice(text.indexOf("{")));
  }
  return { scheduled: state.actions.flat().flatMap((a) => (a.functionName ? [a.functionName] : [])), error: state.error };
}

// ---- linting the same function's source ----
const dtFile = (fn: unknown) =>
  `import { TaskHubGrpcWorker } from "@microsoft/durabletask-js";
new TaskHubGrpcWorker().addNamedOrchestrator("o", ${String(fn)});\n`;
const dfFile = (fn: unknown) => `import * as df from "durable-functions";
df.app.orchestration("o", ${String(fn)});\n`;
const lint = (code: string, name: string, rule: DtcheckRule) => lintText(code, { [name]: rule }).map((m) => m.message);

// Test orchestrators are untyped on purpose: the bugs below are ones the SDKs' types may not catch in JavaScript.
/* eslint-disable @typescript-eslint/no-explicit-any */
describe("durabletask-js: what the messages say is what the SDK does", () => {
  it("a sync function* completes at once with {} and runs no step (generator-shape)", async () => {
    const orchestrator = function* (ctx: any): any {
      yield ctx.callActivity("sayHello", "Tokyo");
    };
    expect(await runDurabletask(orchestrator)).toEqual({ scheduled: [], output: "{}", failure: undefined });
    expect(lint(dtFile(orchestrator), "generator-shape", generatorShape)).toEqual([
      expect.stringContaining("completes at once with {} without running a step"),
    ]);
  });

  it("await on a Task yields the Task object itself as the value (no-await)", async () => {
    // eslint-disable-next-line require-yield -- the bug under test: awaiting instead of yielding
    const orchestrator = async function* (ctx: any): any {
      const greeting = await ctx.callActivity("sayHello", "Tokyo");
      return greeting;
    };
    const run = await runDurabletask(orchestrator);
    expect(run.scheduled).toEqual(["sayHello"]);
    // The output is the serialised Task, not the activity's result (which does not exist yet).
    expect(JSON.parse(run.output ?? "null")).toEqual({ _isComplete: false });
    expect(lint(dtFile(orchestrator), "no-await", noAwait)).toEqual([expect.stringContaining("the value is the Task object itself")]);
  });

  it("yielding Promise.all fails the orchestration (no-promise-combinators)", async () => {
    const orchestrator = async function* (ctx: any): any {
      return yield Promise.all([ctx.callActivity("sayHello", "Tokyo")]);
    };
    expect((await runDurabletask(orchestrator)).failure).toBe("The orchestrator generator yielded a non-Task object");
    expect(lint(dtFile(orchestrator), "no-promise-combinators", noPromiseCombinators)).toEqual([
      expect.stringContaining("the SDK cannot yield a Promise (the orchestration fails)"),
    ]);
  });

  it("yielding setCustomStatus fails with the exact error the message quotes (yield-durable-tasks)", async () => {
    const orchestrator = async function* (ctx: any): any {
      yield ctx.setCustomStatus("starting");
    };
    const { failure } = await runDurabletask(orchestrator);
    const [message] = lint(dtFile(orchestrator), "yield-durable-tasks", yieldDurableTasks);
    expect(message).toContain(`"${failure}"`);
  });

  it("addOrchestrator with an anonymous function throws the error the message quotes (named-registration)", () => {
    let thrown = "";
    try {
      new Registry().addOrchestrator(() => undefined);
    } catch (error) {
      thrown = (error as Error).message;
    }
    const [message] = lint(
      `import { TaskHubGrpcWorker } from "@microsoft/durabletask-js";
new TaskHubGrpcWorker().addOrchestrator(() => undefined);`,
      "named-registration",
      namedRegistration,
    );
    expect(thrown).not.toBe("");
    expect(message).toContain(`"${thrown.replace(/\.$/, "")}"`);
  });

  it("addActivity with an anonymous function throws the error the message quotes (named-registration, activities: true)", () => {
    let thrown = "";
    try {
      new Registry().addActivity(async () => "hello");
    } catch (error) {
      thrown = (error as Error).message;
    }
    const [message] = lintText(
      `import { TaskHubGrpcWorker } from "@microsoft/durabletask-js";
new TaskHubGrpcWorker().addActivity(async () => "hello");`,
      { "named-registration": namedRegistration },
      { ruleOptions: { "named-registration": [{ activities: true }] } },
    ).map((m) => m.message);
    expect(thrown).not.toBe("");
    expect(message).toContain(`"${thrown.replace(/\.$/, "")}"`);
  });
});

describe("durable-functions: what the messages say is what the SDK does", () => {
  it("an async function* fails with the error the message quotes (generator-shape)", async () => {
    const orchestrator = async function* (context: any): any {
      yield context.df.callActivity("sayHello", "Tokyo");
    };
    const { error } = await runDurableFunctions(orchestrator);
    expect(error).toMatch(/^Durable Functions programming constraint violation: Orchestration yielded data of type undefined\./);
    expect(lint(dfFile(orchestrator), "generator-shape", generatorShape)).toEqual([
      expect.stringContaining('"Orchestration yielded data of type undefined"'),
    ]);
  });

  it("a Task that is never yielded is never scheduled (yield-durable-tasks)", async () => {
    const orchestrator = function* (context: any): any {
      context.df.callActivity("audit", "Tokyo");
      return yield context.df.callActivity("sayHello", "Tokyo");
    };
    expect((await runDurableFunctions(orchestrator)).scheduled).toEqual(["sayHello"]);
    expect(lint(dfFile(orchestrator), "yield-durable-tasks", yieldDurableTasks)).toEqual([
      expect.stringContaining("durable-functions only schedules Tasks that are yielded, so it never runs"),
    ]);
  });

  it("yielding continueAsNew fails with the error the message quotes (yield-durable-tasks)", async () => {
    const orchestrator = function* (context: any): any {
      yield context.df.continueAsNew("next");
    };
    const { error } = await runDurableFunctions(orchestrator);
    expect(error).toContain("Orchestration yielded data of type undefined");
    expect(lint(dfFile(orchestrator), "yield-durable-tasks", yieldDurableTasks)).toEqual([
      expect.stringContaining('fails with "Orchestration yielded data of type undefined"'),
    ]);
  });

  it("a plain function fails because it has no .next() (generator-shape)", async () => {
    const orchestrator = function (context: any): any {
      return context.df.callActivity("sayHello", "Tokyo");
    };
    expect((await runDurableFunctions(orchestrator)).error).toContain("next is not a function");
    expect(lint(dfFile(orchestrator), "generator-shape", generatorShape)).toEqual([expect.stringContaining("calls .next() on what it returns")]);
  });
});
