import { createHazardRule } from "./hazard-rule.js";

export const noIo = createHazardRule({
  name: "no-io",
  category: "io",
  description: "Disallow I/O (fetch, Node I/O builtins, database/HTTP/cloud clients) in orchestrator code; call an activity",
  allowDescription: 'Global paths (e.g. "fetch"), modules (e.g. "axios") or `module#export` ids (e.g. "axios#isAxiosError") this rule does not report.',
  modulesDescription: 'Extra I/O client packages this rule reports: exact package names, or a scope prefix ending in "/" such as "@acme/".',
  recommended: "error",
});
