import { replacement } from "../catalogue/sdks.js";
import { contextInScope, createHazardRule, isArgumentlessCall } from "./hazard-rule.js";

export const noWallClock = createHazardRule({
  name: "no-wall-clock",
  category: "wall-clock",
  description: "Disallow reading the wall clock in orchestrator code; use the context's current UTC time",
  allowDescription: 'Global paths (e.g. "performance.now"), modules or `module#export` ids this rule does not report.',
  modulesDescription: 'Extra clock packages this rule reports (e.g. a date library whose "now" you call): exact package names, or a scope prefix ending in "/".',
  recommended: "error",
  suggest(finding, sourceCode) {
    if (!contextInScope(finding, sourceCode)) return undefined;
    const { api, apiText } = finding.orchestrator;
    const nowMs = replacement(api, "currentTimeMs", apiText);
    switch (finding.hazard.id) {
      case "Date.now":
        return isArgumentlessCall(finding, "CallExpression") ? nowMs : undefined;
      case "Date":
        // A fresh Date, so later mutation (setHours...) cannot touch the context's own Date object.
        if (isArgumentlessCall(finding, "NewExpression")) return `new Date(${nowMs})`;
        return isArgumentlessCall(finding, "CallExpression") ? `new Date(${nowMs}).toString()` : undefined;
      default:
        return undefined;
    }
  },
});
