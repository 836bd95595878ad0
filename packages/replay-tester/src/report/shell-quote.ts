/**
 * One argument as a POSIX shell reads it back unchanged: bare when it holds only characters no
 * shell treats specially, else in single quotes (a quote inside becomes '\''). Reproduce commands
 * are copied into terminals, so an orchestrator named `a b`, a path with `$` or an input with
 * quotes must survive the paste.
 */
export function shellQuote(arg: string): string {
  if (arg !== "" && /^[\w@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replaceAll("'", "'\\''")}'`;
}

/** A command line from its arguments, each quoted as needed. */
export function shellCommand(args: readonly string[]): string {
  return args.map(shellQuote).join(" ");
}
