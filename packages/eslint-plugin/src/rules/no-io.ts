import { createHazardRule } from "./hazard-rule.js";

export const noIo = createHazardRule({
  name: "no-io",
  category: "io",
  description: "Disallow I/O (fetch, Node I/O builtins, database/HTTP/cloud clients) in orchestrator code; call an activity",
  recommended: "error",
});
