import { readFuzzConfig, type FuzzSource, type InputOverrides } from "@dtcheck/replay-tester";
import type { CommandContext } from "./context.js";

// Apart from context.ts, so that replay and record do not load the fuzzing machinery.
/** The fuzz section for a contained run: as data when it is data, else re-read from the config file by the contained thread. */
export function fuzzSource(ctx: CommandContext, overrides: InputOverrides): FuzzSource {
  // Arbitraries (or functions) in it: only the contained thread, which imports the config itself, has them intact.
  if (ctx.opaqueSettings.includes("fuzz")) return { configFile: ctx.configFile, overrides };
  return { config: structuredClone(readFuzzConfig(ctx.config.fuzz, ctx.configFile)), overrides };
}
