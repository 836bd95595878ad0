import { createHazardRule } from "./hazard-rule.js";

export const noModuleState = createHazardRule({
  name: "no-module-state",
  category: "module-state",
  description: "Disallow mutating module-level or global state from orchestrator code",
  recommended: "error",
});
