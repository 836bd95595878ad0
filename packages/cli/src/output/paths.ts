import path from "node:path";

/** Relative to the root when below it, else absolute: "../../x" helps nobody. */
export function shownPath(root: string, file: string): string {
  const absolute = path.resolve(root, file);
  const relative = path.relative(root, absolute);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : absolute;
}
