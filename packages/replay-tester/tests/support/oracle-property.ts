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
import { dfAgrees, dfRuntimeVerdict, type WireEvent } from "./df-oracle.js";
import { mutateDf } from "./df-mutations.js";
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

/** Durable Functions apps for the runtime oracle: entity-counter's entity messages are not modelled there (see df-oracle.ts). */
export const DF_ORACLE_APPS = (goldenApps() as App[]).filter((app) => app.sdk === "durable-functions" && app.id !== "durable-functions/entity-counter");

async function subjects(apps: readonly App[]): Promise<Subject[]> {
  const out: Subject[] = [];
  for (const app of apps) {
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

export const scheduledCalls = (history: History) => history.events.filter((e) => e.kind === "taskScheduled" || e.kind === "timerCreated" || e.kind === "subOrchestrationInstanceCreated").length;

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

type Code = { label: string; fn: OrchestratorTarget["fn"] };
/** One history's judge: the oracle's verdict and dtcheck's for one version of the code, and the line that explains a disagreement. */
type Judge = (subject: Subject, history: History) => Promise<(code: Code) => Promise<{ oracle: OracleVerdict["status"]; agreed: boolean; explain: () => string }>>;

/**
 * The property's frame, shared by both SDKs: `worlds` fuzzed worlds per orchestrator of `apps`
 * (seeded), every generation's history judged with the code unchanged and with every mutation at
 * every call (one past the last too), tallied.
 */
async function agreement(apps: readonly App[], options: { seed: number; worlds: number }, mutator: (fn: never, mutation: Mutation) => unknown, judge: Judge): Promise<AgreementResult> {
  const outcome: AgreementResult = { histories: 0, cases: 0, agreed: 0, disagreements: [], verdicts: { ok: 0, rejected: 0, failed: 0 } };
  for (const subject of await subjects(apps)) {
    const { target } = subject;
    await fc.assert(
      fc.asyncProperty(fc.gen(), async (g) => {
        const instance = await api.generateInstance(target, api.choicesFrom(g), subject.config, { instanceId: `oracle-${target.name}` });
        for (const generation of instance.generations) {
          const history = generation.history;
          outcome.histories++;
          const codes: Code[] = [{ label: "unchanged", fn: target.fn }];
          for (const op of MUTATION_OPS) {
            for (let at = 1; at <= scheduledCalls(history) + 1; at++) codes.push({ label: `${op}@${at}`, fn: mutator(target.fn as never, { op, at }) as OrchestratorTarget["fn"] });
          }
          const judgeCode = await judge(subject, history);
          for (const code of codes) {
            const verdict = await judgeCode(code);
            outcome.cases++;
            outcome.verdicts[verdict.oracle]++;
            if (verdict.agreed) outcome.agreed++;
            else outcome.disagreements.push(`${subject.app.id} ${target.name} ${code.label} (${history.events.length} events): ${verdict.explain()}`);
          }
        }
        return true;
      }),
      { seed: options.seed, numRuns: options.worlds },
    );
  }
  return outcome;
}

const dtcheckSays = (result: ReplayResult) =>
  `dtcheck ${result.status}${result.divergence ? ` ${result.divergence.reason} at event ${result.divergence.eventIndex}: ${result.divergence.message}` : ""}${result.error ? `: ${result.error}` : ""}`;

/** Runs the property over `worlds` fuzzed worlds per orchestrator, seeded. */
export function oracleAgreement(options: { seed: number; worlds: number }): Promise<AgreementResult> {
  return agreement(ORACLE_APPS, options, mutate, async (subject, history) => {
    const sdk = toSdkEvents(history);
    const starts = workItemsAtOrchestratorStarted(sdk.events);
    return async (code) => {
      const oracle = await sdkVerdict(subject.target.name, code.fn, sdk.events, starts);
      const result = await api.replayHistory(history, { ...subject.target, fn: code.fn, sdkRoot: MICROSOFT_SDK.root });
      const explain = () => `SDK ${oracle.status}${oracle.eventIndex !== undefined ? ` at event ${sdk.source[oracle.eventIndex]}` : ""} (${oracle.message ?? ""}); ${dtcheckSays(result)}`;
      return { oracle: oracle.status, agreed: agrees(result, oracle, sdk.source, starts), explain };
    };
  });
}

/**
 * The same property for Durable Functions: fuzzed histories of every durable-functions sample app
 * (but entity-counter), written as the host's wire format, judged by the runtime's own orchestrator
 * listener with DTFx's check (df-oracle.ts), against dtcheck's replay of the same history.
 */
export function dfOracleAgreement(options: { seed: number; worlds: number }): Promise<AgreementResult> {
  return agreement(DF_ORACLE_APPS, options, mutateDf, async (subject, history) => {
    const wire = JSON.parse(api.writeHistory(history, "df-wire")) as WireEvent[];
    return async (code) => {
      const oracle = await dfRuntimeVerdict(code.fn, wire);
      const result = await api.replayHistory(history, { ...subject.target, fn: code.fn });
      const where = `${oracle.eventIndex !== undefined ? ` ${oracle.reason} at event ${oracle.eventIndex}` : ""}${oracle.workItem !== undefined ? ` in work item ${oracle.workItem}` : ""}`;
      return { oracle: oracle.status, agreed: dfAgrees(oracle, result, wire), explain: () => `runtime ${oracle.status}${where} (${oracle.message ?? ""}); ${dtcheckSays(result)}` };
    };
  });
}
