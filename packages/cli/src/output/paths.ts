import { shownPath as shownFrom } from "@dtcheck/replay-tester/errors";

/** Relative to the root when below it, else absolute: the replay tester's rule, root first. */
export function shownPath(root: string, file: string): string {
  return shownFrom(file, root);
}
