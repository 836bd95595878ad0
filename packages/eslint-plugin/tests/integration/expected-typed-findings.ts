/**
 * The exact findings `recommended-type-checked` must produce on the multi-file fixture projects
 * fixtures/lint/typed-*, as `<project>/<file>:<line>:<rule>`. Helper files (src/lib/**) are
 * never reported: their hazards appear at the orchestrator's call site.
 */
export const EXPECTED_TYPED_FINDINGS: readonly string[] = [
  // barrel → newsletter.ts → http.ts (three files deep)
  "typed-durabletask/src/orchestrators/newsletter.ts:8:no-io",
  // default export re-exported by the barrel
  "typed-durabletask/src/orchestrators/newsletter.ts:9:no-random",
  // static class method
  "typed-durabletask/src/orchestrators/newsletter.ts:10:no-wall-clock",
  // instance method
  "typed-durabletask/src/orchestrators/newsletter.ts:11:no-environment",
  // cycle between two files, through a renamed re-export
  "typed-durabletask/src/orchestrators/newsletter.ts:12:no-random",
  // object method
  "typed-durabletask/src/orchestrators/newsletter.ts:13:no-wall-clock",
  // a helper in a workspace package (tsconfig paths to its sources)
  "typed-durabletask/src/orchestrators/newsletter.ts:14:no-random",
  // orchestrator found only by its context type (an alias from another file)
  "typed-durabletask/src/orchestrators/typed-context.ts:5:no-wall-clock",
  // orchestrators found through the checker's contextual type of an unannotated parameter: a
  // variable typed with an alias from another file, a project's wrapper, a typed record's property
  // (a generator over numbers in the same file is not one)
  "typed-durabletask/src/orchestrators/contextual.ts:6:no-wall-clock",
  "typed-durabletask/src/orchestrators/contextual.ts:11:no-random",
  "typed-durabletask/src/orchestrators/contextual.ts:17:no-environment",
  // callbacks: a helper from another file passed to a helper that calls it (directly, handed on
  // to another helper, with .call); not when the callback is safe or only stored
  "typed-durabletask/src/orchestrators/callbacks.ts:7:no-io",
  "typed-durabletask/src/orchestrators/callbacks.ts:8:no-io",
  "typed-durabletask/src/orchestrators/callbacks.ts:9:no-wall-clock",
  // durable-functions: object method → another file's function → axios; default export
  "typed-durable-functions/src/orchestrator.ts:7:no-io",
  "typed-durable-functions/src/orchestrator.ts:9:no-environment",
  // CommonJS TypeScript: `export =` object method via `import x = require()`, `export =` function
  // expression via a default import, `export =` function declaration calling another such module
  "typed-durable-functions/src/legacy/orchestrator.ts:9:no-random",
  "typed-durable-functions/src/legacy/orchestrator.ts:10:no-wall-clock",
  "typed-durable-functions/src/legacy/orchestrator.ts:11:no-wall-clock",
  // ESM importing `.cts` modules: `export = class` static method, `export =` object with a
  // shorthand property, by default and by namespace import
  "typed-durable-functions/src/esm-legacy.ts:8:no-random",
  "typed-durable-functions/src/esm-legacy.ts:9:no-wall-clock",
  "typed-durable-functions/src/esm-legacy.ts:10:no-wall-clock",
  // Dapr: static method in another file → nanoid
  "typed-dapr/src/workflow.ts:5:no-random",
];
