import { createHazardRule } from "./hazard-rule.js";

export const noTimers = createHazardRule({
  name: "no-timers",
  category: "timers",
  description: "Disallow setTimeout, setInterval, setImmediate, nextTick and timers/promises in orchestrator code; use a durable timer",
  allowDescription: 'Global paths (e.g. "queueMicrotask"), modules or `module#export` ids this rule does not report.',
  modulesDescription: 'Extra scheduling packages this rule reports: exact package names, or a scope prefix ending in "/".',
  recommended: "error",
});
