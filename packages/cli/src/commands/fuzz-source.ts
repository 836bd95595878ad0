import { readFuzzConfig, type FuzzSource, type InputOverrides } from "@dtcheck/replay-tester";
import type { CommandContext } from "./context.js";

// Apart from context.ts, so that replay and record do not load the fuzzing machinery.
/** The fuzz section for a contained run: as data when it is data, else re-read from the config file by the contained thread. */
export function fuzzSource(ctx: CommandContext, overrides: InputOverrides): FuzzSource {
  const config = readFuzzConfig(ctx.config.fuzz, ctx.configFile);
  try {
    return { config: structuredClone(config), overrides };
  } catch {
    return { configFile: ctx.configFile, overrides };
  }
}
