import { createHazardRule } from "./hazard-rule.js";

export const noDynamicCode = createHazardRule({
  name: "no-dynamic-code",
  category: "dynamic-code",
  description: "Disallow eval, new Function, dynamic import, computed require, WeakRef and FinalizationRegistry in orchestrator code",
  allowDescription: 'What this rule does not report: "eval", "Function", "import()", "require()", "WeakRef", "FinalizationRegistry", a module (e.g. "vm") or a `module#export` id.',
  modulesDescription: 'Extra modules whose calls this rule reports as dynamic code: exact package names, or a scope prefix ending in "/".',
  recommended: "error",
});
