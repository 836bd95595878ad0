import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../run-cli.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "dtcheck-init-"));
  mkdirSync(path.join(dir, "src"));
  writeFileSync(path.join(dir, "src/worker.ts"), `worker.addNamedOrchestrator("orders", processOrder);\n`);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("dtcheck init", () => {
  it("shows the diff and writes nothing without --yes when not on a terminal", () => {
    const run = runCli(["init"], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("--- /dev/null\n+++ b/eslint.config.mjs");
    expect(run.stdout).toContain('+  "module": "src/worker.ts",');
    expect(run.stdout).toContain("npx dtcheck drift --baseline git:origin/${{ github.base_ref }}:src/worker.ts --candidate src/worker.ts");
    expect(run.stdout.trimEnd().split("\n").at(-1)).toBe("nothing written; run dtcheck init --yes to write these changes");
    expect(existsSync(path.join(dir, "eslint.config.mjs"))).toBe(false);
  });

  it("writes with --yes, edits an existing ESLint config, and is idempotent", () => {
    writeFileSync(path.join(dir, "eslint.config.js"), `export default [\n  { ignores: ["dist"] },\n];\n`);
    const run = runCli(["init", "--yes"], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("wrote eslint.config.js\nwrote dtcheck.config.json\nwrote .github/workflows/dtcheck.yml");
    expect(readFileSync(path.join(dir, "eslint.config.js"), "utf8")).toBe(
      `import dtcheck from "@dtcheck/eslint-plugin";\nexport default [\n  { ignores: ["dist"] },\n  dtcheck.configs.recommended,\n];\n`,
    );
    expect(JSON.parse(readFileSync(path.join(dir, "dtcheck.config.json"), "utf8")).module).toBe("src/worker.ts");
    const again = runCli(["init", "--yes"], { cwd: dir });
    expect(again.stdout).toContain("dtcheck is already set up here; nothing to change.");
  });

  it("with several workers, picks the likeliest (shallowest, then shortest name) and names the others", () => {
    writeFileSync(path.join(dir, "src/worker-v2.ts"), `worker.addNamedOrchestrator("orders", processOrderV2);\n`);
    mkdirSync(path.join(dir, "v2"));
    writeFileSync(path.join(dir, "v2/worker.ts"), `worker.addNamedOrchestrator("orders", processOrderV2);\n`);
    mkdirSync(path.join(dir, "src/legacy"));
    writeFileSync(path.join(dir, "src/legacy/w.ts"), `worker.addNamedOrchestrator("old", oldOrder);\n`);
    const run = runCli(["init"], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('+  "module": "src/worker.ts",');
    expect(run.stdout).toContain(
      'note: 4 files register orchestrators; the config and the workflow use src/worker.ts (also found: v2/worker.ts, src/worker-v2.ts, src/legacy/w.ts): change "module" if the worker is another\n',
    );
  });

  it("the first record after init, before test/stubs.json exists, says the config names it", () => {
    expect(runCli(["init", "--yes"], { cwd: dir }).code).toBe(0);
    const run = runCli(["record", "--out", "test/histories/first.json"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'dtcheck: test/stubs.json: the stubs file the dtcheck config names ("stubs") does not exist; create it with a result for each activity the orchestrator calls (e.g. {"chargeCard": {"ok": true}}), or pass --stubs <file>\n',
    );
  });
});
