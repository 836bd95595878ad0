/** A baseline taken from git: the file `path` as it is at `ref`. */
export interface GitSpec {
  ref: string;
  path: string;
  /** The spec as the user wrote it, for messages. */
  text: string;
}

/**
 * Parses `git:<ref>:<path>` (e.g. `git:origin/main:src/orchestrators.ts`). Git forbids ':' in ref
 * names, so the first ':' after the prefix separates ref from path. Undefined for other strings.
 */
export function parseGitSpec(text: string): GitSpec | undefined {
  if (!text.startsWith("git:")) return undefined;
  const rest = text.slice(4);
  const colon = rest.indexOf(":");
  // An empty ref or path is kept empty; withGitCheckout explains the expected form.
  return { ref: colon > 0 ? rest.slice(0, colon) : "", path: colon >= 0 ? rest.slice(colon + 1) : "", text };
}
