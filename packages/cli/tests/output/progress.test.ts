import path from "node:path";
import { runContainedFuzz } from "@dtcheck/replay-tester/contain";
import { describe, expect, it, vi } from "vitest";
import { lintPaths } from "../../src/commands/lint.js";
import { progress, worldProgress } from "../../src/progress.js";
import { REPO } from "../run-cli.js";

/** A stream that says it is a terminal and keeps what is written to it. */
function terminal(): { stream: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  const stream = { isTTY: true, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream;
  return { stream, written };
}

describe("progress", () => {
  it("counts to the total when the run knows it, and clears its line at the end", () => {
    vi.stubEnv("CI", "");
    const { stream, written } = terminal();
    const bar = progress(2, { stream });
    bar.tick("a.json");
    bar.tick("b.json");
    bar.done();
    expect(written).toEqual(["\r\u001b[K1/2 a.json", "\r\u001b[K2/2 b.json", "\r\u001b[K"]);
    vi.unstubAllEnvs();
  });

  it("shows the count alone when the total is not known yet (never n/0)", () => {
    vi.stubEnv("CI", "");
    const { stream, written } = terminal();
    const bar = progress(undefined, { stream });
    bar.tick("processOrder");
    expect(written).toEqual(["\r\u001b[K1 processOrder"]);
    vi.unstubAllEnvs();
  });

  it("writes nothing with --quiet, in CI, or when stderr is not a terminal", () => {
    const { stream, written } = terminal();
    progress(1, { stream, quiet: true }).tick("a");
    vi.stubEnv("CI", "1");
    progress(1, { stream }).tick("b");
    vi.unstubAllEnvs();
    vi.stubEnv("CI", "");
    progress(1, { stream: { ...stream, isTTY: false } as unknown as NodeJS.WriteStream }).tick("c");
    vi.unstubAllEnvs();
    expect(written).toEqual([]);
  });
});

describe("progress of a run whose total is known late", () => {
  it("takes the total when it is known and shows the unit under way without counting it", () => {
    vi.stubEnv("CI", "");
    const { stream, written } = terminal();
    const bar = progress(undefined, { stream });
    bar.status("loading");
    bar.total(2);
    bar.status("a: world 10/100");
    bar.tick("a");
    bar.status("b: world 1/100");
    bar.tick("b");
    expect(written).toEqual(["\r\u001b[K1 loading", "\r\u001b[K1/2 a: world 10/100", "\r\u001b[K1/2 a", "\r\u001b[K2/2 b: world 1/100", "\r\u001b[K2/2 b"]);
    vi.unstubAllEnvs();
  });

  it("words fuzzed worlds against the runs asked for, then as shrinking", () => {
    vi.stubEnv("CI", "");
    const { stream, written } = terminal();
    const options = worldProgress(progress(undefined, { stream }), 100);
    options.onUnits(["a", "b", "c"]);
    options.onWorlds("a", 37);
    options.onWorlds("a", 112);
    options.onResult({ orchestrator: "a" });
    expect(written).toEqual(["\r\u001b[K1/3 a: world 37/100", "\r\u001b[K1/3 a: shrinking a failure (12 tries)", "\r\u001b[K1/3 a"]);
    vi.unstubAllEnvs();
  });

  it("a contained fuzz run reports its orchestrators once and each one's worlds as they run", async () => {
    const module = path.join(REPO, "fixtures/apps/durabletask/sub-orchestrations/worker.ts");
    const units: string[][] = [];
    const worlds: [string, number][] = [];
    const { results } = await runContainedFuzz(
      { kind: "fuzz", module, runs: 60, seed: 7, fuzz: {}, outDir: false, cwd: REPO },
      {
        // The watchdog samples every fifth of its shortest limit (at most 250 ms): a short history
        // limit (which fuzz does not use) makes it sample every 10 ms, so a run this short is seen.
        limits: { historyTimeoutMs: 50 },
        onUnits: (names) => units.push(names),
        onWorlds: (name, count) => worlds.push([name, count]),
        onOutput: () => {},
      },
    );
    expect(units).toEqual([["provisionTenant", "provisionRegion"]]);
    expect(results.map((r) => [r.orchestrator, r.runs])).toEqual([
      ["provisionTenant", 60],
      ["provisionRegion", 60],
    ]);
    // The watchdog samples the shared counter, so which counts are seen depends on timing; what is
    // seen always names an orchestrator under way, grows within it, and never passes its worlds.
    for (const name of ["provisionTenant", "provisionRegion"]) {
      const seen = worlds.filter(([orchestrator]) => orchestrator === name).map(([, count]) => count);
      expect(seen, name).toEqual([...seen].sort((a, b) => a - b));
      expect(seen.every((count) => count >= 1 && count <= 60), name).toBe(true);
    }
    expect(worlds.length).toBeGreaterThan(0);
    expect(worlds.every(([name]) => name === "provisionTenant" || name === "provisionRegion")).toBe(true);
  }, 60_000);
});

describe("lint progress", () => {
  it("lints in batches with n/N on a terminal and finds exactly what one lintFiles call finds", async () => {
    vi.stubEnv("CI", "");
    const cwd = path.join(REPO, "fixtures/lint");
    const { stream, written } = terminal();
    const shown = await lintPaths(["."], { cwd, types: false, progress: progress(undefined, { stream }) });
    const plain = await lintPaths(["."], { cwd, types: false });
    vi.unstubAllEnvs();
    const summary = (results: typeof plain) =>
      results.map((r) => `${path.relative(cwd, r.filePath)} ${r.messages.map((m) => `${m.line}:${m.ruleId}`).join(",")}`).sort();
    expect(summary(shown)).toEqual(summary(plain));
    const n = plain.length;
    const ticks = written.filter((line) => new RegExp(`^\\r\\u001b\\[K\\d+/${n} `).test(line));
    expect(ticks.length).toBeGreaterThanOrEqual(n);
    expect(written.at(-2)).toBe(`\r\u001b[K${n}/${n} ${path.relative(cwd, [...plain.map((r) => r.filePath)].sort().at(-1)!)}`);
    expect(written.at(-1)).toBe("\r\u001b[K");
  }, 120_000);
});
