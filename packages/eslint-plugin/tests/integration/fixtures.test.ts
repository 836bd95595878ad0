import { describe, expect, it } from "vitest";
import { ESLint } from "eslint";
import tsParser from "@typescript-eslint/parser";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { existsSync } from "node:fs";
import plugin, { rules } from "../../src/index.js";
import { EXPECTED_FINDINGS } from "./expected-findings.js";

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
const fixturesDir = path.join(repoRoot, "fixtures/lint");

function eslintFor(cwd: string, options: Partial<ESLint.Options> = {}): ESLint {
  return new ESLint({
    cwd,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ["**/*.ts", "**/*.js", "**/*.mjs", "**/*.cjs"],
        languageOptions: { parser: tsParser },
        ...(plugin.configs.recommended as object),
      },
    ],
    ...options,
  });
}

describe("fixtures/lint with the recommended config", () => {
  it("reports exactly the expected file:line:rule findings in all three SDKs", async () => {
    const results = await eslintFor(fixturesDir).lintFiles(["durabletask", "durable-functions", "dapr"]);
    expect(results.length).toBeGreaterThanOrEqual(7);
    const fatal = results.flatMap((r) => r.messages.filter((m) => m.fatal).map((m) => `${r.filePath}: ${m.message}`));
    expect(fatal).toEqual([]);
    const actual = results.flatMap((r) =>
      r.messages.map((m) => `${path.relative(fixturesDir, r.filePath)}:${m.line}:${m.ruleId?.replace("@dtcheck/", "")}`),
    );
    expect(actual.sort()).toEqual([...EXPECTED_FINDINGS].sort());
  });

  it("exposes recommended and strict flat configs built from rule metadata", () => {
    const recommended = plugin.configs.recommended.rules ?? {};
    expect(recommended["@dtcheck/no-wall-clock"]).toBe("error");
    expect(recommended["@dtcheck/no-unstable-iteration"]).toBe("warn");
    const strict = plugin.configs.strict.rules ?? {};
    for (const name of Object.keys(plugin.rules)) {
      expect(strict[`@dtcheck/${name}`]).toBe("error");
      // The plugin object types rules loosely (for ESLint's Plugin type); the modules themselves carry meta.
      expect((rules[name] as { meta?: { docs?: { url?: string } } } | undefined)?.meta?.docs?.url).toBe(`https://github.com/dtcheck/dtcheck/blob/main/docs/rules/${name}.md`);
      // The page the URL points at exists in this repository.
      expect(existsSync(path.join(repoRoot, "docs/rules", `${name}.md`)), `docs/rules/${name}.md`).toBe(true);
    }
  });
});

describe("no crash on real code", () => {
  it("lints the SDK packages' own compiled sources and typings with recommended without a fatal error", async () => {
    const nodeModules = path.join(repoRoot, "node_modules");
    const eslint = eslintFor(nodeModules, {
      // node_modules is ignored by default; here it is the point.
      ignore: false,
    });
    // A rule that throws rejects lintFiles; a parse failure shows up as a fatal message.
    const results = await eslint.lintFiles([
      "@microsoft/durabletask-js/dist/**/*.{js,d.ts}",
      "@dapr/dapr/workflow/**/*.{js,d.ts}",
      "durable-functions/lib/src/**/*.js",
      "durable-functions/types/**/*.d.ts",
    ]);
    expect(results.length).toBeGreaterThan(300);
    const fatal = results.flatMap((r) => r.messages.filter((m) => m.fatal).map((m) => `${r.filePath}:${m.line}: ${m.message}`));
    expect(fatal).toEqual([]);
  }, 120_000);

  it("lints the replay tester's sample apps (real orchestrators) without a fatal error", async () => {
    const results = await eslintFor(repoRoot).lintFiles(["fixtures/apps/**/*.ts"]);
    expect(results.length).toBeGreaterThan(20);
    expect(results.flatMap((r) => r.messages.filter((m) => m.fatal).map((m) => `${r.filePath}: ${m.message}`))).toEqual([]);
  });
});
