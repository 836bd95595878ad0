import { existsSync } from "node:fs";
import { InputError, readRegularFileSync, type InputOverrides } from "@dtcheck/replay-tester";

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
    // Inline JSON is most often mangled by the shell; a file's JSON is the file's to fix.
    const advice = fromFile ? "fix the file's JSON" : "quote it for the shell or use @file.json";
    throw new InputError(`is not valid JSON (${(error as Error).message}); ${advice}`, { file: source });
  }
}

/** What repeated `--input` flags give: one input for every orchestrator, and inputs by orchestrator name. */
export type ParsedInputs = InputOverrides;

/** `name=<json|@file>`: JSON text never starts with a bare name followed by "=". */
const NAMED = /^([A-Za-z_$][\w$.:-]*)=(.*)$/s;

/**
 * `--input <json|@file>` (every orchestrator) and `--input <name>=<json|@file>` (one of several),
 * each at most once.
 */
export function parseInputs(values: readonly string[] | undefined): ParsedInputs {
  const parsed: ParsedInputs = { inputs: {} };
  let global = false;
  for (const value of values ?? []) {
    const named = NAMED.exec(value);
    if (named) {
      const [, name, rest] = named as unknown as [string, string, string];
      if (Object.hasOwn(parsed.inputs, name)) throw new InputError(`--input ${name}=... is given twice; give each orchestrator one input`);
      parsed.inputs[name] = parseInput(rest);
      continue;
    }
    if (global) throw new InputError("--input without a name is given twice; name the orchestrator of each: --input <name>=<json|@file>");
    global = true;
    parsed.input = parseInput(value);
  }
  return parsed;
}

/**
 * The `--input` flags as a reproduce command repeats them: `@file` references stay, inline JSON is
 * written on one line (a multi-line value would break the printed command).
 */
export function rerunInputArgs(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((value) => {
    const named = NAMED.exec(value);
    const [prefix, rest] = named ? [`${named[1]}=`, named[2]!] : ["", value];
    return ["--input", rest.startsWith("@") ? value : prefix + JSON.stringify(parseInput(rest))];
  });
}

/** One note per value dtcheck filled in itself, so a report says what the worlds were made of. */
export function valueNotes(results: readonly { orchestrator: string; values?: string[] }[]): string[] {
  return results.flatMap((result) => (result.values ?? []).map((line) => `${result.orchestrator}: ${line}`));
}
