import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ReplayResult } from "@dtcheck/replay-tester/replay";
import { ReplayReportBuilder } from "../../src/commands/replay.js";
import { OUTPUT_FORMATS } from "../../src/output/formats.js";
import { inShard, type Report } from "../../src/output/report.js";
import { caseSpoolFor, emitReport, renderReport, type OutputFormat } from "../../src/output/write.js";

/*
 * A directory replay spools its cases instead of holding them: every format must print byte for
 * byte what the same cases held in memory print. Enough cases that the spool spills to its
 * temporary file several times over, with failures among them.
 */
const root = "/work/project";

function result(i: number): ReplayResult {
  const file = path.join(root, "histories", `h-${String(i).padStart(5, "0")}.json`);
  if (i % 997 === 3) {
    return {
      status: "diverged",
      file,
      orchestrator: "processOrder",
      sdk: "durabletask",
      events: 12,
      episodes: 3,
      durationMs: 0.25 + i / 1000,
      divergence: {
        reason: "wrong-name",
        episode: 1,
        eventIndex: 4,
        expected: { kind: "activity", id: 1, name: "reserve" },
        produced: { kind: "activity", id: 1, name: "reserveStock", location: { file: path.join(root, "src/worker.ts"), line: 12, column: 5 } },
        message: `the history recorded activity "reserve" with id 1, but the code now makes activity "reserveStock" <&> "quoted"`,
      },
    };
  }
  if (i % 1499 === 7) return { status: "failed", file, events: 0, episodes: 0, error: `${file}: is not JSON (unexpected end at line 1); export it again`, durationMs: 0.1 };
  return { status: "ok", file, orchestrator: "processOrder", sdk: "durabletask", events: 12, episodes: 3, durationMs: 0.125 + (i % 7) / 3 };
}

function reports(count: number, format: OutputFormat): { held: Report; spooled: Report } {
  const held = new ReplayReportBuilder(root);
  const spooled = new ReplayReportBuilder(root, caseSpoolFor(format, root));
  const counts = { ok: 0, diverged: 0, failed: 0, loadErrors: 0, stoppedEarly: false, durationMs: 0 };
  for (let i = 0; i < count; i++) {
    const r = result(i);
    held.add(r);
    spooled.add(r);
    if (r.status === "ok") counts.ok++;
    else if (r.status === "diverged") counts.diverged++;
    else counts.failed++;
  }
  return { held: held.report(counts), spooled: spooled.report(counts) };
}

// eslint-json is lint's own format: replay refuses it.
const formats = [...OUTPUT_FORMATS];

describe("spooled replay reports", () => {
  it.each(formats)("%s: 12,000 cases spooled print exactly what they print held in memory", (format) => {
    const { held, spooled } = reports(12_000, format);
    const options = { format, root, version: "0.0.0" };
    const expected = renderReport(held, options, { isTTY: false });
    expect(renderReport(spooled, options, { isTTY: false })).toBe(expected);
    // Only what did not pass is held: 13 divergences and 9 unreadable files.
    expect(spooled.cases.map((c) => c.status).join("")).toBe(held.cases.filter((c) => c.status !== "passed").map((c) => c.status).join(""));
    expect(spooled.cases).toHaveLength(22);
    // Written to a file piece by piece, it is the same again; then the spool is removed, and rendering it again is an error, not an empty report.
    const out = mkdtempSync(path.join(tmpdir(), "dtcheck-spool-"));
    try {
      emitReport(spooled, { ...options, output: path.join(out, "report") });
      expect(readFileSync(path.join(out, "report"), "utf8")).toBe(expected);
      if (format === "json" || format === "junit") expect(() => renderReport(spooled, options)).toThrow("the spooled cases were written and removed already");
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    if (format === "json") expect((JSON.parse(expected) as { cases: unknown[] }).cases).toHaveLength(12_000);
  });

  it.each(formats)("%s: one case, and an empty shard, print as held", (format) => {
    const options = { format, root, version: "0.0.0" };
    const one = reports(1, format);
    expect(renderReport(one.spooled, options, { isTTY: false })).toBe(renderReport(one.held, options, { isTTY: false }));
    const none = reports(0, format);
    const shard = { index: 2, count: 3 };
    expect(renderReport(inShard(none.spooled, shard), options, { isTTY: false })).toBe(renderReport(inShard(none.held, shard), options, { isTTY: false }));
  });
});
