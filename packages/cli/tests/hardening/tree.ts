import { createHash } from "node:crypto";
import { lstatSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import path from "node:path";

/**
 * A fingerprint of every entry below `dir` (names, kinds, modes, file contents, link targets),
 * without opening FIFOs or devices: a test takes it before and after a run to show nothing changed.
 */
export function treeHash(dir: string): string {
  const hash = createHash("sha256");
  const visit = (current: string) => {
    for (const name of readdirSync(current).sort()) {
      const file = path.join(current, name);
      const stats = lstatSync(file);
      hash.update(`${path.relative(dir, file)}\0${stats.mode}\0`);
      if (stats.isSymbolicLink()) hash.update(readlinkSync(file));
      else if (stats.isDirectory()) {
        // An unreadable directory (mode 000) is fingerprinted by its mode alone.
        if (stats.mode & 0o400) visit(file);
      } else if (stats.isFile() && stats.size < 64 * 1024 * 1024) hash.update(readFileSync(file));
      else hash.update(String(stats.size));
    }
  };
  visit(dir);
  return hash.digest("hex");
}
