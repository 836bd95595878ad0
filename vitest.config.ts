import os from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/tests/**/*.test.ts", "docs/**/*.test.ts"],
    exclude: ["**/node_modules/**"],
    testTimeout: 30_000,
    // Vitest's default is one file fewer than the cores (a single file at a time on 2 cores), but most
    // files here wait on the CLI's child processes: one file per core ran the suite in 518 s, not 714 s.
    maxWorkers: os.availableParallelism(),
    // Seeded randomness: fast-check properties that name no seed use the suite's fixed one.
    setupFiles: ["packages/replay-tester/tests/support/fast-check-seed.ts"],
  },
});
