import path from "node:path";
import { readRegularFileSync } from "@dtcheck/replay-tester";
import { mergeReports, parseReport } from "../output/merge.js";
import { commandContext, finish, type OutputFlags } from "./context.js";

export async function runMergeReports(files: string[], flags: OutputFlags): Promise<void> {
  const ctx = await commandContext(flags);
  const inputs = files.map((file) => {
    const resolved = path.resolve(ctx.cwd, file);
    return { file, report: parseReport(readRegularFileSync(resolved, { what: "report file", overLimitHint: "merge smaller reports" }).toString("utf8"), file) };
  });
  finish(mergeReports(inputs), flags, ctx.cwd);
}
