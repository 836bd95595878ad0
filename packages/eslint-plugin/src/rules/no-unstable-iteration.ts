import { createHazardRule } from "./hazard-rule.js";

export const noUnstableIteration = createHazardRule({
  name: "no-unstable-iteration",
  category: "unstable-iteration",
  description: "Disallow scheduling durable calls in an iteration order that can change between runs or deploys",
  allowDescription: "Names of collections whose iteration this rule does not report.",
  recommended: "warn",
});
