// The oracle property at bench size: fuzzed histories of every durabletask-js sample app, replayed
// by dtcheck with the code unchanged and mutated at every call, each verdict compared with the
// durabletask-js OrchestrationExecutor's fed the same history work item by work item; then the same
// for the durable-functions apps against that package's own orchestrator listener with DTFx's check.
// Prints each agreement rate (must be 100%) and the cases compared per second; exits 1 below 100%.
// It loads the same TypeScript harness the suite uses (packages/replay-tester/tests/support/oracle-property.ts)
// through tsx, so it measures dtcheck's sources, not dist.
// Usage: node bench/oracle.bench.mjs [worlds per orchestrator, default 12]   (or npm run bench -- oracle)
import { performance } from "node:perf_hooks";
import { tsImport } from "tsx/esm/api";

const worlds = Number(process.argv[2] ?? 12);
const { oracleAgreement, dfOracleAgreement } = await tsImport("../packages/replay-tester/tests/support/oracle-property.ts", import.meta.url);

/** Runs one property (after an untimed warm-up that compiles and loads the sample apps) and prints its agreement. */
async function measure(label, run, verdictNames) {
  await run({ seed: 1, worlds: 1 });
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const result = await run({ seed: 0x0dac1e, worlds });
  const cpu = process.cpuUsage(cpuBefore);
  const seconds = (performance.now() - started) / 1000;
  const rate = result.cases === 0 ? 0 : (100 * result.agreed) / result.cases;
  console.log(`${label}: ${worlds} fuzzed worlds per orchestrator, ${result.histories} histories, ${result.cases} (history, code) cases`);
  console.log(`  oracle verdicts: ${result.verdicts.ok} ok, ${result.verdicts.rejected} rejected (${verdictNames.rejected}), ${result.verdicts.failed} failed`);
  console.log(`  agreement: ${result.agreed}/${result.cases} = ${rate.toFixed(2)}%`);
  // CPU time beside wall time: on a shared machine the load stretches the wall time.
  console.log(`  ${(result.cases / seconds).toFixed(0)} cases/s (${seconds.toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU; generation, both replays and the comparison included)`);
  for (const line of result.disagreements.slice(0, 20)) console.log(`  disagreement: ${line}`);
  return result.agreed === result.cases && result.cases > 0;
}

const durableTask = await measure("oracle property, durabletask-js OrchestrationExecutor", oracleAgreement, { rejected: "NonDeterminismError" });
const durableFunctions = await measure("oracle property, durable-functions orchestrator listener + DTFx check", dfOracleAgreement, { rejected: "non-deterministic at an event" });
process.exit(durableTask && durableFunctions ? 0 : 1);
