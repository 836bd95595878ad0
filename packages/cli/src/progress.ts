/** Progress on stderr for long runs: only on a TTY, never in CI or with --quiet. */
export interface Progress {
  tick(label: string): void;
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
  return {
    tick(label) {
      count++;
      if (enabled) stream.write(`\r\u001b[K${total === undefined ? count : `${count}/${total}`} ${label}`);
    },
    done() {
      if (enabled) stream.write("\r\u001b[K");
    },
  };
}
