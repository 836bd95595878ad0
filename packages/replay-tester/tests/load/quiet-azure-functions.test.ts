import { afterEach, describe, expect, it, vi } from "vitest";
import { fileURLToPath } from "node:url";
import { loadModule } from "../../src/load/load-module.js";
import { isAzureFunctionsTestModeWarning } from "../../src/load/quiet-azure-functions.js";

const app = fileURLToPath(new URL("./azure-functions-app/index.mjs", import.meta.url));

afterEach(() => {
  vi.restoreAllMocks();
});

describe("loading a Durable Functions module with @azure/functions in test mode", () => {
  it("prints none of @azure/functions' test-mode warnings, and the module's own warnings still", async () => {
    const warnings: unknown[][] = [];
    vi.spyOn(console, "warn").mockImplementation((...args: unknown[]) => {
      warnings.push(args);
    });
    const module = await loadModule(app);
    expect([...module.orchestrators.keys()]).toEqual(["greetAll"]);
    expect(warnings).toEqual([["user warning: greetAll loaded"]]);
  });

  it("matches exactly the package's wording, nothing else", () => {
    expect(isAzureFunctionsTestModeWarning([
      'WARNING: Failed to detect the Azure Functions runtime. Switching "@azure/functions" package to test mode - not all features are supported.',
    ])).toBe(true);
    expect(isAzureFunctionsTestModeWarning(['WARNING: Skipping call to register function "startGreetAll" because the "@azure/functions" package is in test mode.'])).toBe(true);
    expect(isAzureFunctionsTestModeWarning(['WARNING: Skipping call to register preInvocation hook because the "@azure/functions" package is in test mode.'])).toBe(true);
    expect(isAzureFunctionsTestModeWarning(["WARNING: Failed to detect the database"])).toBe(false);
    expect(isAzureFunctionsTestModeWarning(['WARNING: Skipping call to register function "x" because the "@azure/functions" package is in test mode.', "extra"])).toBe(false);
  });
});
