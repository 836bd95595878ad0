/**
 * The oracle property: for fuzzed histories of the durabletask-js sample apps (dtcheck's fuzzer,
 * seeded) and mutated code (every mutation of every call position, plus the code unchanged),
 * dtcheck's replay verdict equals the SDK executor's fed the same history work item by work item
 * (sdk-oracle.ts): ok where it accepts; diverged, at the event it names, where it rejects; diverged
 * inside the work item where the code fails. Used by tests/oracle/property.test.ts and
 * bench/oracle.bench.mjs (through tsx), so the suite and the bench measure the same thing.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import * as api from "../../src/index.js";
import type { History, OrchestratorTarget, ReplayResult } from "../../src/index.js";
import { goldenApps } from "../../../../scripts/record-goldens.mjs";
import { mutate, MUTATION_OPS, type Mutation } from "./mutations.js";
import { MICROSOFT_SDK, sdkVerdict, toSdkEvents, workItemsAtOrchestratorStarted, type OracleVerdict } from "./sdk-oracle.js";

interface App {
  id: string;
  sdk: string;
  dir: string;
  module: string;
}

/** entity-counter's histories hold entity events, which the SDK's pb-helper has no constructors for. */
export const ORACLE_APPS = (goldenApps() as App[]).filter((app) => app.sdk === "durabletask" && app.id !== "durabletask/entity-counter");

export interface AgreementResult {
  /** Histories generated. */
  histories: number;
  /** (history, code) pairs compared. */
  cases: number;
  agreed: number;
  /** One line per disagreement (empty when all agree). */
  disagreements: string[];
  /** How the oracle decided, over all cases. */
  verdicts: Record<OracleVerdict["status"], number>;
}

interface Subject {
  app: App;
  target: OrchestratorTarget;
  config: api.FuzzConfig;
}

async function subjects(): Promise<Subject[]> {
  const out: Subject[] = [];
  for (const app of ORACLE_APPS) {
    const module = await api.loadModule(app.module);
    const stubs = JSON.parse(readFileSync(join(app.dir, "stubs.json"), "utf8")) as { activities?: Record<string, unknown> };
    const input: unknown = JSON.parse(readFileSync(join(app.dir, "input.json"), "utf8"));
    // Results shaped as the app expects (its stubs' successes), so the code runs past its first call.
    const activities: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [name, stub] of Object.entries(stubs.activities ?? {})) {
      const answers = (Array.isArray(stub) ? stub : [stub]).filter((a) => !(a && typeof a === "object" && "error" in a));
      activities[name] = answers.length > 0 ? fc.constantFrom(...answers) : fc.constant(null);
    }
    for (const target of module.orchestrators.values()) {
      out.push({ app, target, config: { input, activities, failurePercent: 20, maxGenerations: 2, maxEpisodes: 24 } });
    }
  }
  return out;
}

const scheduledCalls = (history: History) => history.events.filter((e) => e.kind === "taskScheduled" || e.kind === "timerCreated" || e.kind === "subOrchestrationInstanceCreated").length;

/** Whether dtcheck's verdict is the oracle's; `source` maps SDK event indices to history indices, `starts` are the work items. */
function agrees(result: ReplayResult, oracle: OracleVerdict, source: number[], starts: number[]): boolean {
  if (oracle.status === "ok") return result.status === "ok";
  if (result.status !== "diverged" || !result.divergence) return false;
  const at = result.divergence.eventIndex;
  if (oracle.status === "rejected") return oracle.eventIndex !== undefined && source[oracle.eventIndex] === at;
  // Failed: the event dtcheck names must be one the failing work item delivered (or the end, for the final replay).
  const k = oracle.workItem!;
  const from = k < starts.length ? source[starts[k]!]! : result.events;
  const to = k + 1 < starts.length ? source[starts[k + 1]!]! : result.events;
  return result.divergence.reason === "orchestrator-failed" && at >= from && (at < to || at === result.events);
}

/** Runs the property over `worlds` fuzzed worlds per orchestrator, seeded. */
export async function oracleAgreement(options: { seed: number; worlds: number }): Promise<AgreementResult> {
  const outcome: AgreementResult = { histories: 0, cases: 0, agreed: 0, disagreements: [], verdicts: { ok: 0, rejected: 0, failed: 0 } };
  for (const subject of await subjects()) {
    const { target } = subject;
    await fc.assert(
      fc.asyncProperty(fc.gen(), async (g) => {
        const instance = await api.generateInstance(target, api.choicesFrom(g), subject.config, { instanceId: `oracle-${target.name}` });
        for (const generation of instance.generations) {
          const history = generation.history;
          outcome.histories++;
          const sdk = toSdkEvents(history);
          const starts = workItemsAtOrchestratorStarted(sdk.events);
          const codes: { label: string; fn: OrchestratorTarget["fn"] }[] = [{ label: "unchanged", fn: target.fn }];
          for (const op of MUTATION_OPS) {
            for (let at = 1; at <= scheduledCalls(history) + 1; at++) {
              const mutation: Mutation = { op, at };
              codes.push({ label: `${op}@${at}`, fn: mutate(target.fn as never, mutation) as unknown as OrchestratorTarget["fn"] });
            }
          }
          for (const code of codes) {
            const oracle = await sdkVerdict(target.name, code.fn, sdk.events, starts);
            const result = await api.replayHistory(history, { ...target, fn: code.fn, sdkRoot: MICROSOFT_SDK.root });
            outcome.cases++;
            outcome.verdicts[oracle.status]++;
            if (agrees(result, oracle, sdk.source, starts)) outcome.agreed++;
            else {
              outcome.disagreements.push(
                `${subject.app.id} ${target.name} ${code.label} (${history.events.length} events): SDK ${oracle.status}${oracle.eventIndex !== undefined ? ` at event ${sdk.source[oracle.eventIndex]}` : ""} (${oracle.message ?? ""}); dtcheck ${result.status}${result.divergence ? ` ${result.divergence.reason} at event ${result.divergence.eventIndex}: ${result.divergence.message}` : ""}${result.error ? `: ${result.error}` : ""}`,
              );
            }
          }
        }
        return true;
      }),
      { seed: options.seed, numRuns: options.worlds },
    );
  }
  return outcome;
}
