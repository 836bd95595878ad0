/** Progress on stderr for long runs: only on a TTY, never in CI or with --quiet. */
export interface Progress {
  tick(label: string): void;
  done(): void;
}

export function progress(total: number, options: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const enabled = !options.quiet && stream.isTTY === true && !process.env.CI;
  let count = 0;
  return {
    tick(label) {
      count++;
      if (enabled) stream.write(`\r\u001b[K${count}/${total} ${label}`);
    },
    done() {
      if (enabled) stream.write("\r\u001b[K");
    },
  };
}
