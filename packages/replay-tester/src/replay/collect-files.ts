import { opendir, realpath, stat } from "node:fs/promises";
import { join, resolve, sep } from "node:path";
import { glob } from "tinyglobby";
import { InputError } from "../errors.js";

/**
 * What counts as a history file in a directory, case-insensitively (Windows tools write `.JSON`).
 * readHistoryFile decompresses gzip (the export-history package writes .jsonl.gz), so those count too.
 */
const HISTORY_FILE = /\.jsonl?(\.gz)?$/i;
/**
 * JSON files every project folder holds and no history is named: npm's and TypeScript's, an Azure
 * Functions app's (host.json and local.settings.json at its root, a function.json per function in
 * the classic model) and dtcheck's own. A folder walk passes them by, so `dtcheck replay .` in a
 * project replays its histories rather than reporting its package.json; named alone, they are read.
 */
const PROJECT_FILE = /^(?:package|package-lock|npm-shrinkwrap|[jt]sconfig(?:\.[^/]*)?|host|local\.settings|function|dtcheck\.config)\.json$/i;
const SEARCHED = "*.json, *.jsonl, *.json.gz and *.jsonl.gz files, in any letter case";

/** A directory below an input that could not be listed: reported as a failed history, and the rest still read. */
export interface UnreadableDirectory {
  path: string;
  message: string;
}

export interface CollectedInputs {
  /** History files, absolute, sorted and de-duplicated. */
  files: string[];
  /** Directories below an input that could not be listed: reported, and the rest still read. */
  unreadable: UnreadableDirectory[];
}

/** One item of a streamed collection, in path order: a history file, or a directory that could not be listed. */
export type CollectedEntry = { file: string } | { unreadable: UnreadableDirectory };

function errnoWords(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "EACCES" || code === "EPERM" ? "permission denied" : (code ?? String(error));
}

/** Where an entry sorts: a directory's place is where the paths below it sort, just after its own path plus a separator. */
export function entryPath(entry: CollectedEntry): string {
  return "file" in entry ? entry.file : entry.unreadable.path + sep;
}

/**
 * One directory level's names, sorted, packed into one string: a million names as separate strings
 * cost about 50 bytes each, packed about 20. `next` hands them out in order.
 */
class Level {
  private at = 0;
  constructor(
    readonly dir: string,
    private readonly packed: string,
  ) {}

  next(): string | undefined {
    if (this.at >= this.packed.length) return undefined;
    let end = this.packed.indexOf("\n", this.at);
    if (end === -1) end = this.packed.length;
    const name = this.packed.slice(this.at, end);
    this.at = end + 1;
    return name;
  }
}

/**
 * The history files of one directory level, in sort order: a subdirectory's name carries a
 * trailing separator, so that sorting names sorts the full paths below them exactly as sorting
 * every path at once would ("a-b.json" before "a/c.json", as "-" < "/"). A name never holds a
 * newline that matters here: one that does is skipped, as no history file is named so.
 */
async function listLevel(dir: string): Promise<Level> {
  const names: string[] = [];
  for await (const entry of await opendir(dir)) {
    if (entry.name.startsWith(".") || entry.name === "node_modules" || entry.name.includes("\n")) continue;
    let isDirectory = entry.isDirectory();
    if (entry.isSymbolicLink()) isDirectory = (await stat(join(dir, entry.name)).catch(() => undefined))?.isDirectory() ?? false;
    if (isDirectory) names.push(entry.name + sep);
    // Anything else with a history name (a FIFO, a broken link) is kept: reading it says what is wrong with it.
    else if (HISTORY_FILE.test(entry.name) && !PROJECT_FILE.test(entry.name)) names.push(entry.name);
  }
  return new Level(dir, names.sort().join("\n"));
}

/**
 * Every history file below `root`, in sorted path order, one directory level in memory at a time
 * (a million files are never a million paths held at once), skipping node_modules and hidden
 * entries as globs do. Written out rather than globbed because glob libraries skip unreadable
 * directories silently, and a folder that was not read must never count as a folder without
 * failing histories.
 */
async function* walk(root: string, shown: string): AsyncGenerator<CollectedEntry> {
  const seen = new Set<string>();
  // Depth first: each level's sorted names, handed out in order.
  const levels: Level[] = [];
  const enter = async (dir: string): Promise<CollectedEntry | undefined> => {
    // A symlinked directory is followed once: a link back up the tree must not loop.
    const real = await realpath(dir).catch(() => dir);
    if (seen.has(real)) return undefined;
    seen.add(real);
    try {
      levels.push(await listLevel(dir));
      return undefined;
    } catch (error) {
      if (dir === root) throw new InputError(`cannot be read (${errnoWords(error)}); check its permissions`, { file: shown });
      return { unreadable: { path: dir, message: `the directory cannot be read (${errnoWords(error)}), so the histories in it were not replayed; check its permissions` } };
    }
  };
  await enter(root);
  while (levels.length) {
    const level = levels[levels.length - 1]!;
    const name = level.next();
    if (name === undefined) {
      levels.pop();
      continue;
    }
    if (!name.endsWith(sep)) {
      yield { file: join(level.dir, name) };
      continue;
    }
    const unreadable = await enter(join(level.dir, name.slice(0, -1)));
    if (unreadable) yield unreadable;
  }
}

async function* fromList(entries: readonly CollectedEntry[]): AsyncGenerator<CollectedEntry> {
  yield* entries;
}

/** One input's entries, in path order; an input that yields no history file is an InputError saying what was searched. */
async function* inputEntries(input: string, cwd: string): AsyncGenerator<CollectedEntry> {
  const path = resolve(cwd, input);
  const stats = await stat(path).catch(() => undefined);
  if (stats?.isDirectory()) {
    let any = false;
    for await (const entry of walk(path, input)) {
      any = true;
      yield entry;
    }
    if (!any) throw new InputError(`has no history files: searched it and its subfolders for ${SEARCHED}; record or export histories into it, or check the path`, { file: input });
    return;
  }
  if (stats) {
    yield { file: path };
    return;
  }
  const matches = await glob(input, { cwd, absolute: true, ignore: ["**/node_modules/**"] });
  if (matches.length === 0) throw new InputError("matches no history file; check the path or glob", { file: input });
  yield* fromList(matches.sort().map((file) => ({ file })));
}

/**
 * Files, directories (every history file below them) and globs, as one stream in sorted path order
 * without duplicates: each input is walked lazily and the inputs are merged as they go. Every
 * input's first entry is read before the first is yielded, so an input that holds no history
 * file is an InputError before anything is replayed.
 */
export async function* streamHistoryInputs(inputs: readonly string[], cwd = process.cwd()): AsyncGenerator<CollectedEntry> {
  const sources = inputs.map((input) => inputEntries(input, cwd));
  const heads: (CollectedEntry | undefined)[] = [];
  for (const source of sources) heads.push((await source.next()).value ?? undefined);
  let last: string | undefined;
  for (;;) {
    let lowest = -1;
    for (let i = 0; i < heads.length; i++) {
      if (heads[i] && (lowest === -1 || entryPath(heads[i]!) < entryPath(heads[lowest]!))) lowest = i;
    }
    if (lowest === -1) return;
    const entry = heads[lowest]!;
    heads[lowest] = (await sources[lowest]!.next()).value ?? undefined;
    // The same file reached through two inputs (a folder and a file in it) is replayed once.
    if (entryPath(entry) === last) continue;
    last = entryPath(entry);
    yield entry;
  }
}

/**
 * Expands files, directories (every history file below them) and globs. An input that yields no
 * history file is an InputError saying what was searched: "0 histories replayed" must never pass.
 */
export async function collectHistoryInputs(inputs: readonly string[], cwd = process.cwd()): Promise<CollectedInputs> {
  const collected: CollectedInputs = { files: [], unreadable: [] };
  for await (const entry of streamHistoryInputs(inputs, cwd)) {
    if ("file" in entry) collected.files.push(entry.file);
    else collected.unreadable.push(entry.unreadable);
  }
  return collected;
}

/** The history files of collectHistoryInputs; directories that could not be read are an InputError. */
export async function collectHistoryFiles(inputs: readonly string[], cwd = process.cwd()): Promise<string[]> {
  const { files, unreadable } = await collectHistoryInputs(inputs, cwd);
  if (unreadable.length) throw new InputError(unreadable[0]!.message);
  return files;
}
