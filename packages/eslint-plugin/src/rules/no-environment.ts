import { createHazardRule } from "./hazard-rule.js";

export const noEnvironment = createHazardRule({
  name: "no-environment",
  category: "environment",
  description: "Disallow reading process.env, argv, cwd and os in orchestrator code; pass values as input",
  recommended: "error",
});
