import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { CONFIG_FILES } from "../config.js";
import type { FileChange } from "./plan.js";

/** In the order loadConfig reads them: the first one found wins, package.json's "dtcheck" block comes last. */
const DTCHECK_CONFIGS = CONFIG_FILES;

function indentOf(json: string): string | number {
  return /\n([ \t]+)"/.exec(json)?.[1] ?? 2;
}

/**
 * The dtcheck configuration init proposes, without shadowing one the project already has: with
 * no config at all, a new dtcheck.config.json; with a "dtcheck" block in package.json (which a
 * new dtcheck.config.json would silently override), the missing keys merged into that block;
 * with config files already there, only notes about the locations they shadow.
 */
export function planDtcheckConfig(root: string, module: string | undefined): { changes: FileChange[]; notes: string[] } {
  const changes: FileChange[] = [];
  const notes: string[] = [];
  const defaults = { module: module ?? "src/worker.ts", histories: "test/histories", stubs: "test/stubs.json", strict: false };
  const present = DTCHECK_CONFIGS.filter((f) => existsSync(path.join(root, f)));
  const pkgFile = path.join(root, "package.json");
  const pkgText = existsSync(pkgFile) ? readFileSync(pkgFile, "utf8") : undefined;
  let pkg: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = pkgText === undefined ? undefined : JSON.parse(pkgText);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) pkg = parsed as Record<string, unknown>;
  } catch {
    notes.push("package.json: not valid JSON, so its \"dtcheck\" block (if any) was not checked; fix the syntax and run dtcheck init again");
  }
  const block = pkg?.["dtcheck"];

  if (present.length > 0) {
    const [used, ...shadowed] = present;
    for (const file of shadowed) notes.push(`${file}: ignored, because ${used} is read first; merge its settings into ${used} and delete it`);
    if (block !== undefined) notes.push(`package.json: its "dtcheck" block is ignored, because ${used} is read first; merge the block into ${used} and remove it`);
    return { changes, notes };
  }
  if (block !== undefined) {
    if (typeof block !== "object" || block === null || Array.isArray(block)) {
      notes.push('package.json: "dtcheck" is not an object, so it was left alone; make it an object like { "module": "src/worker.ts" }');
      return { changes, notes };
    }
    const existing = block as Record<string, unknown>;
    const missing = Object.entries(defaults).filter(([key]) => !(key in existing));
    if (missing.length > 0) {
      const merged = { ...pkg, dtcheck: { ...existing, ...Object.fromEntries(missing) } };
      const after = JSON.stringify(merged, null, indentOf(pkgText!)) + (pkgText!.endsWith("\n") ? "\n" : "");
      changes.push({
        file: "package.json",
        before: pkgText,
        after,
        why: `add ${missing.map(([key]) => key).join(", ")} to your "dtcheck" block (kept there: a new dtcheck.config.json would override it)`,
      });
    }
    return { changes, notes };
  }
  changes.push({ file: "dtcheck.config.json", after: JSON.stringify(defaults, null, 2) + "\n", why: "where your orchestrators and saved histories are, for replay, record, fuzz and drift" });
  if (!module) notes.push('no file registering orchestrators was found; set "module" in dtcheck.config.json to the file that does');
  return { changes, notes };
}
