/** Progress on stderr for long runs: only on a TTY, never in CI or with --quiet. */
export interface Progress {
  /** Whether anything is shown: a caller may skip work done only for progress (listing files first). */
  readonly enabled: boolean;
  /** What the run counts to, once it is known (fuzz and drift: the orchestrators, after the module loads). */
  total(total: number): void;
  /** One unit is done. */
  tick(label: string): void;
  /** Redraws the line with what the current unit is doing; the count does not move. */
  status(label: string): void;
  done(): void;
}

/**
 * `total` is what the run will count to, when it is known before it starts (histories: the files
 * found); without one the line shows the count alone, never an "n/0" that looks like a bug.
 */
export function progress(total: number | undefined, options: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const enabled = !options.quiet && stream.isTTY === true && !process.env.CI;
  let count = 0;
  let known = total;
  const draw = (shownCount: number, label: string) => {
    if (enabled) stream.write(`\r\u001b[K${known === undefined ? shownCount : `${shownCount}/${known}`} ${label}`);
  };
  return {
    enabled,
    total(value) {
      known = value;
    },
    tick(label) {
      count++;
      draw(count, label);
    },
    status(label) {
      // The unit under way is number count + 1 (1/3 while the first one runs).
      draw(known === undefined ? count + 1 : Math.min(count + 1, known), label);
    },
    done() {
      if (enabled) stream.write("\r\u001b[K");
    },
  };
}

/**
 * Progress options for a contained fuzz or drift run: the total is the orchestrators to check, and
 * the line shows the fuzzed worlds of the one under way against `runs` (then "shrinking").
 */
export function worldProgress(bar: Progress, runs: number): {
  onUnits: (names: string[]) => void;
  onWorlds: (orchestrator: string, worlds: number) => void;
  onResult: (result: { orchestrator: string }) => void;
} {
  return {
    onUnits: (names) => bar.total(names.length),
    onWorlds: (orchestrator, worlds) => bar.status(worlds <= runs ? `${orchestrator}: world ${worlds}/${runs}` : `${orchestrator}: shrinking a failure (${worlds - runs} tries)`),
    onResult: (result) => bar.tick(result.orchestrator),
  };
}
