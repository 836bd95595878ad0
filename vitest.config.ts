import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/tests/**/*.test.ts", "docs/**/*.test.ts"],
    exclude: ["**/node_modules/**"],
    testTimeout: 30_000,
    // Seeded randomness: fast-check properties that name no seed use the suite's fixed one.
    setupFiles: ["packages/replay-tester/tests/support/fast-check-seed.ts"],
  },
});
