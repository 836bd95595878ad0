import type { Engine, SdkKind } from "./engine.js";
import { DurableTaskEngine } from "./durabletask/engine.js";
import { DurableFunctionsEngine } from "./durable-functions/engine.js";

const engines = new Map<SdkKind, Engine>();

/** The engine that drives orchestrators of one SDK family. */
export function engineFor(sdk: SdkKind): Engine {
  let engine = engines.get(sdk);
  if (!engine) {
    engine = sdk === "durable-functions" ? new DurableFunctionsEngine() : new DurableTaskEngine(sdk);
    engines.set(sdk, engine);
  }
  return engine;
}
