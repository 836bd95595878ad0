/**
 * Vitest setup (vitest.config.ts): every fast-check property in the suite draws from one fixed
 * seed unless it names its own, so a failure seen once is seen again on the next run.
 * DTCHECK_TEST_SEED=<n> explores another seed; fast-check prints the seed and path of a failure.
 */
import fc from "fast-check";

export const TEST_SEED = Number(process.env["DTCHECK_TEST_SEED"] ?? 20_261_201);
if (!Number.isSafeInteger(TEST_SEED)) throw new Error(`DTCHECK_TEST_SEED must be an integer, not "${process.env["DTCHECK_TEST_SEED"]}"`);

fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: TEST_SEED });
