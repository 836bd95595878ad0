import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { writeHistory } from "../history/index.js";
import type { History, HistoryFormat } from "../history/model.js";
import { shellCommand } from "../report/shell-quote.js";
import type { FuzzFailure } from "./result.js";
import type { PropertyRun } from "./run-property.js";

// The hints live with the reports that print them; re-exported for the fuzz and drift checks.
export { determinismHint, versioningHint } from "../report/fix-hints.js";

/** A file-system-safe file name part. */
function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, "-").slice(0, 60) || "orchestrator";
}

/** slug, plus a short hash of the name when slugging changed it: "a b" and "a-b" must not share a file. */
function namePart(text: string): string {
  const safe = slug(text);
  return safe === text ? safe : `${safe}-${createHash("sha256").update(text).digest("hex").slice(0, 8)}`;
}

/**
 * Writes the minimal history where the user can pick it up, returning its path. Nothing is ever
 * overwritten: the same failure found again reuses its identical file, and any other file already
 * there (an earlier, different counterexample, or the user's own) keeps its name while this one
 * gets the next free "-2", "-3"... suffix.
 */
export async function writeMinimalHistory(
  history: History,
  options: { dir: string; property: string; orchestrator: string; seed: number; format: HistoryFormat },
): Promise<string> {
  await mkdir(options.dir, { recursive: true });
  const text = writeHistory(history, options.format);
  const base = `${namePart(options.property)}-${namePart(options.orchestrator)}-seed${options.seed}.${options.format}`;
  for (let attempt = 1; ; attempt++) {
    const file = join(options.dir, `${base}${attempt === 1 ? "" : `-${attempt}`}.json`);
    try {
      await writeFile(file, text, { flag: "wx" });
      return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const existing = await readFile(file, "utf8").catch(() => undefined);
      if (existing === text) return file;
    }
  }
}

/** `dtcheck replay <file> --module <module>` with paths relative to cwd where that is shorter, quoted for the shell. */
export function replayCommand(file: string, module: string | undefined, orchestrator: string | undefined, cwd: string): string {
  const show = (path: string) => {
    const rel = relative(cwd, path);
    return rel && !rel.startsWith("..") ? rel : path;
  };
  const parts = ["dtcheck", "replay", show(file)];
  if (module) parts.push("--module", show(module));
  if (orchestrator) parts.push("--orchestrator", orchestrator);
  return shellCommand(parts);
}

/** A failure as a property body reports it, before the run's seed, shrinks and files are known. */
export type FoundFailure = Omit<FuzzFailure, "seed" | "shrinks" | "world" | "historyFormat">;

/**
 * Completes the shrunk failure of a property run: seed, shrinks and world, the minimal history
 * written to `outDir` (unless false) and the command that reproduces it.
 */
export async function finishFailure(
  run: PropertyRun<FoundFailure> & { failure: FoundFailure },
  options: { outDir?: string | false; format?: HistoryFormat; cwd: string; orchestrator: string; command: (historyFile: string) => string },
): Promise<FuzzFailure> {
  const format = options.format ?? "protobuf-json";
  const failure: FuzzFailure = { ...run.failure, seed: run.seed, shrinks: run.shrinks, world: run.world ?? [], historyFormat: format };
  if (run.counterexamplePath) failure.counterexamplePath = run.counterexamplePath;
  if (options.outDir !== false) {
    failure.historyFile = await writeMinimalHistory(failure.history, {
      dir: options.outDir ?? join(options.cwd, ".dtcheck", "failures"),
      property: failure.property,
      orchestrator: options.orchestrator,
      seed: run.seed,
      format,
    });
    failure.command = options.command(failure.historyFile);
  }
  return failure;
}
