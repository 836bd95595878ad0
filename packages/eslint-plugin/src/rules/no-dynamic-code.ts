import { createHazardRule } from "./hazard-rule.js";

export const noDynamicCode = createHazardRule({
  name: "no-dynamic-code",
  category: "dynamic-code",
  description: "Disallow eval, new Function, dynamic import, computed require, WeakRef and FinalizationRegistry in orchestrator code",
  recommended: "error",
});
