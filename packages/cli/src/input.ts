import { existsSync } from "node:fs";
import { InputError, readRegularFileSync } from "@dtcheck/replay-tester";

/** `--input '{"a":1}'` or `--input @input.json`. */
export function parseInput(value: string | undefined): unknown {
  if (value === undefined) return undefined;
  const fromFile = value.startsWith("@");
  const source = fromFile ? value.slice(1) : "--input";
  let text = value;
  if (fromFile) {
    if (!existsSync(source)) throw new InputError("input file not found; check the path after @", { file: source });
    // Regular files only and bounded, as for histories: `--input @/dev/stdin` must not hang the run.
    text = readRegularFileSync(source, { what: "input file", overLimitHint: "pass a smaller input" }).toString("utf8");
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`is not valid JSON (${(error as Error).message}); quote it for the shell or use @file.json`, { file: source });
  }
}
