// The oracle property at bench size: fuzzed histories of every durabletask-js sample app, replayed
// by dtcheck with the code unchanged and mutated at every call, each verdict compared with the
// durabletask-js OrchestrationExecutor's fed the same history work item by work item.
// Prints the agreement rate (must be 100%) and the cases compared per second; exits 1 below 100%.
// It loads the same TypeScript harness the suite uses (packages/replay-tester/tests/support/oracle-property.ts)
// through tsx, so it measures dtcheck's sources, not dist.
// Usage: node bench/oracle.bench.mjs [worlds per orchestrator, default 12]   (or npm run bench -- oracle)
import { performance } from "node:perf_hooks";
import { tsImport } from "tsx/esm/api";

const worlds = Number(process.argv[2] ?? 12);
const { oracleAgreement } = await tsImport("../packages/replay-tester/tests/support/oracle-property.ts", import.meta.url);

// Warm-up (the sample apps' TypeScript is compiled and loaded once), not timed.
await oracleAgreement({ seed: 1, worlds: 1 });
const started = performance.now();
const result = await oracleAgreement({ seed: 0x0dac1e, worlds });
const seconds = (performance.now() - started) / 1000;

const rate = result.cases === 0 ? 0 : (100 * result.agreed) / result.cases;
console.log(`oracle property: ${worlds} fuzzed worlds per orchestrator, ${result.histories} histories, ${result.cases} (history, code) cases`);
console.log(`  SDK verdicts: ${result.verdicts.ok} ok, ${result.verdicts.rejected} rejected (NonDeterminismError), ${result.verdicts.failed} failed`);
console.log(`  agreement: ${result.agreed}/${result.cases} = ${rate.toFixed(2)}%`);
console.log(`  ${(result.cases / seconds).toFixed(0)} cases/s (${seconds.toFixed(1)} s, generation, both replays and the comparison included)`);
for (const line of result.disagreements.slice(0, 20)) console.log(`  disagreement: ${line}`);
process.exit(result.agreed === result.cases && result.cases > 0 ? 0 : 1);
