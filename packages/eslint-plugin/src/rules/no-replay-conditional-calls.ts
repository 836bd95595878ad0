/**
 * Rule 16: a durable call made only while the orchestrator is not replaying (or only while it is).
 * The run that records the history makes it; every replay skips it (or the other way round), so
 * the replay's calls no longer match the history: durabletask-js and Dapr fail the instance with a
 * non-determinism error, durable-functions hands the recorded results to the wrong calls.
 * `isReplaying` is for side effects that stay out of the history (logging, metrics).
 */
import { durableCallOf } from "../analysis/durable-calls.js";
import { enclosingOrchestrator, findOrchestrators } from "../analysis/orchestrators.js";
import { replayGuards } from "../analysis/replay-guard.js";
import { DURABLE_CALL_METHODS } from "../catalogue/sdks.js";
import { onMethodCalls } from "../util/method-calls.js";
import { createRule } from "../util/create-rule.js";

/** Besides the durable calls, continueAsNew is also an action the history records. */
const RECORDED_VOID_CALLS = new Set(["continueAsNew"]);

export const noReplayConditionalCalls = createRule<[], "replayConditional">({
  name: "no-replay-conditional-calls",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow durable calls that are made only while the orchestrator is, or is not, replaying",
      recommended: "error",
    },
    messages: {
      replayConditional:
        "{{call}} depends on `{{test}}`: it is made only while the orchestrator is {{state}}, so a replay makes other durable calls than the run that recorded the history and the instance fails with a non-determinism error (durable-functions: results go to the wrong calls); make it on every run, and keep isReplaying for logging.",
    },
    schema: [],
  },
  create(context) {
    if (findOrchestrators(context).size === 0) return {};
    const sourceCode = context.sourceCode;
    return onMethodCalls(
      (method) => DURABLE_CALL_METHODS.has(method) || RECORDED_VOID_CALLS.has(method),
      (_callee, _method, call) => {
        const orchestrator = enclosingOrchestrator(context, call);
        if (!orchestrator) return;
        const durable = durableCallOf(call, orchestrator, sourceCode);
        if (!durable || !(DURABLE_CALL_METHODS.has(durable.method) || RECORDED_VOID_CALLS.has(durable.method))) return;
        const guard = replayGuards(call, orchestrator, sourceCode)[0];
        if (!guard) return;
        context.report({
          node: call,
          messageId: "replayConditional",
          data: {
            call: `${sourceCode.getText(call.callee)}(...)`,
            state: guard.state === "notReplaying" ? "not replaying" : "replaying",
            test: sourceCode.getText(guard.test),
          },
        });
      },
    );
  },
});
