import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "dtcheck-config-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("loadConfig", () => {
  it("returns an empty config when the project has none", async () => {
    expect(await loadConfig(dir)).toEqual({ config: {}, dir });
  });

  it("reads dtcheck.config.json", async () => {
    writeFileSync(path.join(dir, "dtcheck.config.json"), JSON.stringify({ module: "src/worker.ts", runs: 50 }));
    const loaded = await loadConfig(dir);
    expect(loaded.config).toEqual({ module: "src/worker.ts", runs: 50 });
    expect(loaded.file).toBe(path.join(dir, "dtcheck.config.json"));
  });

  it("reads a TypeScript config through tsx", async () => {
    writeFileSync(path.join(dir, "dtcheck.config.ts"), `const runs: number = 7;\nexport default { module: "w.ts", runs };\n`);
    expect((await loadConfig(dir)).config).toEqual({ module: "w.ts", runs: 7 });
  });

  it("falls back to the dtcheck key of package.json", async () => {
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "app", dtcheck: { seed: 42 } }));
    expect((await loadConfig(dir)).config).toEqual({ seed: 42 });
  });

  it("names the file when the JSON is malformed", async () => {
    writeFileSync(path.join(dir, "dtcheck.config.json"), "{ module: }");
    await expect(loadConfig(dir)).rejects.toThrow(/^dtcheck\.config\.json: is not valid JSON \(.+\); fix the syntax$/);
  });

  it("rejects a setting it does not read, naming the nearest one, in every kind of config", async () => {
    writeFileSync(path.join(dir, "dtcheck.config.json"), JSON.stringify({ modul: "src/worker.ts" }));
    await expect(loadConfig(dir)).rejects.toThrow(
      'dtcheck.config.json: unknown setting "modul" in the dtcheck configuration; did you mean "module"? the settings are module, orchestrator, histories, strict, runs, seed, baseline, candidate, stubs, fuzz',
    );
    rmSync(path.join(dir, "dtcheck.config.json"));
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "app", dtcheck: { input: 3 } }));
    await expect(loadConfig(dir)).rejects.toThrow(/^package\.json#dtcheck: unknown setting "input" in the dtcheck configuration; inputs go in the fuzz section: "fuzz": \{ "input": \.\.\. \}/);
    // Every typo of every level in one message, so one run shows them all.
    rmSync(path.join(dir, "package.json"));
    writeFileSync(path.join(dir, "dtcheck.config.json"), JSON.stringify({ modul: "w.ts", runs: 5, fuzz: { imputs: {}, failurePercent: 5 } }));
    await expect(loadConfig(dir)).rejects.toThrow(
      'dtcheck.config.json: unknown settings: "modul" in the dtcheck configuration (did you mean "module"?), "imputs" in the fuzz section (did you mean "inputs"?); fix them all (docs/cli.md#configuration lists the settings)',
    );
    rmSync(path.join(dir, "dtcheck.config.json"));
    // A config module's setting that is not plain data (a function) is checked by its name too.
    writeFileSync(path.join(dir, "dtcheck.config.mjs"), `export default { module: "w.ts", stub: () => 1 };\n`);
    await expect(loadConfig(dir)).rejects.toThrow(/^dtcheck\.config\.mjs: unknown setting "stub" in the dtcheck configuration; did you mean "stubs"\?/);
  });

  it("names a missing explicit config", async () => {
    await expect(loadConfig(dir, "nope.json")).rejects.toThrow("nope.json: configuration file not found; check the --config path");
  });

  it("reports the first line of a config module that throws", async () => {
    writeFileSync(path.join(dir, "dtcheck.config.mjs"), `throw new Error("boom\\nsecond line");\n`);
    await expect(loadConfig(dir)).rejects.toThrow(/^dtcheck\.config\.mjs: could not be loaded: boom$/);
  });

  it("rejects a config that is not an object", async () => {
    writeFileSync(path.join(dir, "dtcheck.config.json"), "[1]");
    await expect(loadConfig(dir)).rejects.toThrow(/must be an object/);
  });
});
