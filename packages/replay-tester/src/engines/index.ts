import type { Engine, OrchestratorTarget, SdkKind } from "./engine.js";
import { DurableTaskEngine } from "./durabletask/engine.js";
import { DurableFunctionsEngine } from "./durable-functions/engine.js";
import { beat, moduleRuns } from "../contain/heartbeat.js";

const engines = new Map<SdkKind, Engine>();

/** The engine that drives orchestrators of one SDK family. */
export function engineFor(sdk: SdkKind): Engine {
  let engine = engines.get(sdk);
  if (!engine) {
    engine = withHeartbeat(sdk === "durable-functions" ? new DurableFunctionsEngine() : new DurableTaskEngine(sdk));
    engines.set(sdk, engine);
  }
  return engine;
}

/** Every episode (and session step) tells the watchdog it started, so a contained run can tell a hang from slow progress, and whose code it runs. */
function withHeartbeat(engine: Engine): Engine {
  const starting = (target: OrchestratorTarget) => {
    beat();
    moduleRuns(target.modulePath ?? target.sourceFile);
  };
  const runEpisode = engine.runEpisode.bind(engine);
  engine.runEpisode = (target, input, options) => {
    starting(target);
    return runEpisode(target, input, options);
  };
  const openSession = engine.openSession?.bind(engine);
  if (openSession) {
    engine.openSession = (target, options) => {
      const session = openSession(target, options);
      if (!session) return undefined;
      const step = session.step.bind(session);
      return {
        step: (input) => {
          starting(target);
          return step(input);
        },
      };
    };
  }
  return engine;
}
