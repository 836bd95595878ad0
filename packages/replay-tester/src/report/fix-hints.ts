import { shownPath } from "../errors.js";
import type { SdkKind } from "../engines/engine.js";
import type { DivergenceReason } from "../replay/result.js";

/** How to keep in-flight instances working, in the SDK's own terms. */
export function versioningHint(sdk: SdkKind): string {
  switch (sdk) {
    case "durabletask":
      return (
        'keep instances started by the old code on the old path: branch on the version the instance started with, e.g. `if (ctx.compareVersionTo("2.0") >= 0) { new code } else { old code }` ' +
        "(start new instances with version 2.0 and let the worker replay older ones, versioning matchStrategy CurrentOrOlder), or ship the change under a new orchestrator name"
      );
    case "dapr":
      return (
        "the Dapr workflow context has no version to branch on: register the changed workflow under a new name (registerWorkflowWithName) for new instances and keep the old one until its in-flight instances finish"
      );
    case "durable-functions":
      return (
        'keep instances started by the old code on the old path: branch on `context.df.version` (e.g. `if (context.df.version >= "2.0") { new code } else { old code }`, with host.json defaultVersion "2.0"), or ship the change under a new orchestration name'
      );
  }
}

/** Why a perturbed replay differs, and what to use instead. */
export function determinismHint(sdk: SdkKind): string {
  const api =
    sdk === "durable-functions"
      ? "context.df.currentUtcDateTime, context.df.newGuid() and the orchestration input"
      : "ctx.currentUtcDateTime, ctx.newGuid() (durabletask-js) and the orchestration input";
  return (
    `the orchestrator (or a helper it calls) reads the clock, randomness or process.env directly; use ${api} instead, ` +
    "or move the call into an activity whose result the history records"
  );
}

/**
 * The fix when the code makes a durable call only while it is, or is not, replaying: the run that
 * recorded the history made it, the replay does not (or the other way round).
 */
export function replayConditionalHint(site: { file: string; line: number }, condition: string, cwd: string): string {
  return (
    `a durable call behind \`${condition}\` (${shownPath(site.file, cwd)}:${site.line}) is made on one run and not on its replay; ` +
    "make it on every run and keep isReplaying for logging (the lint rule no-replay-conditional-calls finds these)"
  );
}

const VERSION_GATE: Record<SdkKind, string> = {
  durabletask: "gate the change on the instance's version (ctx.compareVersionTo(...))",
  dapr: "register the changed workflow under a new name",
  "durable-functions": "gate the change on the instance's version (context.df.version)",
};

/**
 * The hint for a replay divergence, matched to its cause: a call that is missing, renamed, of
 * another kind or new means the code changed (gate it on the version); the same call with another
 * input or timer time means the code computes it from something that changes between runs (the
 * clock, randomness, the environment), unless the change was deliberate. A thrown orchestrator has
 * its own error and no hint.
 */
export function divergenceHint(reason: DivergenceReason, sdk: SdkKind): string | undefined {
  switch (reason) {
    case "missing":
    case "wrong-kind":
    case "wrong-name":
    case "extra":
      return versioningHint(sdk);
    case "input":
    case "fire-at":
    case "output":
    case "status":
      return `${determinismHint(sdk)}; if you changed the value on purpose, ${VERSION_GATE[sdk]}`;
    case "orchestrator-failed":
      return undefined;
  }
}
