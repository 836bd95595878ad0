import { createHazardRule } from "./hazard-rule.js";

export const noModuleState = createHazardRule({
  name: "no-module-state",
  category: "module-state",
  description: "Disallow mutating module-level or global state from orchestrator code",
  allowDescription: "Names of module-level bindings this rule does not report (e.g. a metrics counter accepted to be per-worker).",
  recommended: "error",
});
