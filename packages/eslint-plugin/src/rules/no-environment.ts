import { createHazardRule } from "./hazard-rule.js";

export const noEnvironment = createHazardRule({
  name: "no-environment",
  category: "environment",
  description: "Disallow reading process.env, argv, cwd and os in orchestrator code; pass values as input",
  allowDescription: 'Global paths (e.g. "process.env"), modules (e.g. "os") or `module#export` ids this rule does not report.',
  modulesDescription: 'Extra modules that read the environment (e.g. "dotenv", a config loader): exact package names, or a scope prefix ending in "/".',
  recommended: "error",
});
