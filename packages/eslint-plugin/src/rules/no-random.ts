import { replacement } from "../catalogue/sdks.js";
import { contextInScope, createHazardRule, isArgumentlessCall } from "./hazard-rule.js";

/** Operations whose result is a random UUID string, so a deterministic GUID is a drop-in. */
const UUID_PRODUCERS = new Set(["crypto.randomUUID", "uuid#v4", "uuid#v7", "uuid#v1"]);

export const noRandom = createHazardRule({
  name: "no-random",
  category: "randomness",
  description: "Disallow random numbers and random ids (Math.random, crypto, uuid, nanoid, ulid) in orchestrator code",
  allowDescription: 'Global paths (e.g. "Math.random"), modules (e.g. "nanoid") or `module#export` ids (e.g. "uuid#v4") this rule does not report.',
  modulesDescription: 'Extra id or random-number packages this rule reports: exact package names, or a scope prefix ending in "/".',
  recommended: "error",
  suggest(finding, sourceCode) {
    const { api, apiText } = finding.orchestrator;
    // Only durabletask-js and durable-functions have a deterministic GUID API.
    if (api !== "durabletask" && api !== "durable-functions") return undefined;
    if (!UUID_PRODUCERS.has(finding.hazard.id) || !isArgumentlessCall(finding, "CallExpression")) return undefined;
    return contextInScope(finding, sourceCode) ? replacement(api, "newGuid", apiText) : undefined;
  },
});
