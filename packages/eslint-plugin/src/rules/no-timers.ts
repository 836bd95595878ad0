import { createHazardRule } from "./hazard-rule.js";

export const noTimers = createHazardRule({
  name: "no-timers",
  category: "timers",
  description: "Disallow setTimeout, setInterval, setImmediate, nextTick and timers/promises in orchestrator code; use a durable timer",
  recommended: "error",
});
