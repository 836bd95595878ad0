import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/tests/**/*.test.ts", "docs/**/*.test.ts"],
    exclude: ["**/node_modules/**"],
    testTimeout: 30_000,
  },
});
