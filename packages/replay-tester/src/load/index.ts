// The module-loading entry point (`@dtcheck/replay-tester/load`): importing a user's module and
// capturing what it registers, without the rest of the package.
export { loadModule, pickOrchestrator, loadOrchestratorMap, type LoadedModule } from "./load-module.js";
export { importUserModule } from "./import-module.js";
export type { Registration } from "./registrations.js";
