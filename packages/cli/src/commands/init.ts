import { existsSync, readFileSync } from "node:fs";
import { InputError, writeFileAtomically } from "@dtcheck/replay-tester";
import path from "node:path";
import { createInterface } from "node:readline/promises";
import { createTwoFilesPatch } from "diff";
import { planInit, type FileChange } from "../init/plan.js";

interface InitFlags {
  yes?: boolean;
  dryRun?: boolean;
}

function patchOf(change: FileChange): string {
  const from = change.before === undefined ? "/dev/null" : `a/${change.file}`;
  return createTwoFilesPatch(from, `b/${change.file}`, change.before ?? "", change.after, undefined, undefined, { context: 3 })
    .split("\n")
    .slice(1) // drop jsdiff's "====" separator line
    .join("\n");
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export async function runInit(flags: InitFlags): Promise<void> {
  const root = process.cwd();
  const plan = await planInit(root);
  for (const change of plan.changes) {
    process.stdout.write(`# ${change.file}: ${change.why}\n${patchOf(change)}\n`);
  }
  for (const note of plan.notes) process.stdout.write(`note: ${note}\n`);
  if (plan.changes.length === 0) {
    process.stdout.write("dtcheck is already set up here; nothing to change.\n");
    return;
  }
  let write = flags.yes === true && !flags.dryRun;
  if (!write && !flags.dryRun && process.stdin.isTTY) write = await confirm(`Write ${plan.changes.length} file(s)? [y/N] `);
  if (!write) {
    process.stdout.write(`nothing written${flags.dryRun ? "" : "; run dtcheck init --yes to write these changes"}\n`);
    return;
  }
  // Only what the diff showed: a file that appeared or changed since then is not touched.
  for (const change of plan.changes) {
    const file = path.join(root, change.file);
    const now = existsSync(file) ? readFileSync(file, "utf8") : undefined;
    if (now !== change.before) {
      throw new InputError(`${now === undefined ? "was removed" : change.before === undefined ? "appeared" : "changed"} since the diff was shown, so it was not written; run dtcheck init again`, { file: change.file });
    }
    writeFileAtomically(file, change.after, { replace: change.before !== undefined });
    process.stdout.write(`wrote ${change.file}\n`);
  }
}
