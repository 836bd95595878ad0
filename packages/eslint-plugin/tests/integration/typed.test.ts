import { describe, expect, it } from "vitest";
import { ESLint, type Linter } from "eslint";
import tsParser from "@typescript-eslint/parser";
import { fileURLToPath } from "node:url";
import path from "node:path";
import plugin from "../../src/index.js";
import { EXPECTED_TYPED_FINDINGS } from "./expected-typed-findings.js";

const fixturesDir = fileURLToPath(new URL("../../../../fixtures/lint/", import.meta.url));
const PROJECTS = ["typed-durabletask", "typed-durable-functions", "typed-dapr"];

function typedEslint(project: string, extra: Record<string, unknown> = {}): ESLint {
  const cwd = path.join(fixturesDir, project);
  return new ESLint({
    cwd,
    overrideConfigFile: true,
    overrideConfig: [
      { files: ["**/*.ts"], languageOptions: { parser: tsParser, parserOptions: { tsconfigRootDir: cwd } } },
      plugin.configs["recommended-type-checked"] as Linter.Config,
      { files: ["**/*.ts"], ...extra },
    ],
  });
}

/** Without types the analysis follows imports itself: on these projects it finds what typed mode finds. */
const UNTYPED_DURABLETASK = EXPECTED_TYPED_FINDINGS.filter((f) => f.startsWith("typed-durabletask/")).sort();

function findings(project: string, results: ESLint.LintResult[]): string[] {
  const fatal = results.flatMap((r) => r.messages.filter((m) => m.fatal).map((m) => m.message));
  expect(fatal).toEqual([]);
  return results.flatMap((r) =>
    r.messages.map((m) => `${project}/${path.relative(path.join(fixturesDir, project), r.filePath)}:${m.line}:${m.ruleId?.replace("@dtcheck/", "")}`),
  );
}

describe("recommended-type-checked on multi-file projects (projectService)", () => {
  it("follows calls across files, barrels, default exports, class/object methods and a cycle, in all three SDKs", async () => {
    const actual: string[] = [];
    for (const project of PROJECTS) actual.push(...findings(project, await typedEslint(project).lintFiles(["src"])));
    expect(actual.sort()).toEqual([...EXPECTED_TYPED_FINDINGS].sort());
  }, 60_000);

  it("reports the chain with the file:line of every hop and of the hazard", async () => {
    const [result] = await typedEslint("typed-durabletask").lintFiles(["src/orchestrators/newsletter.ts"]);
    const io = result?.messages.find((m) => m.ruleId === "@dtcheck/no-io");
    expect(io?.message).toBe(
      "sendNewsletter() (src/lib/newsletter.ts:3) → buildHeaders() (src/lib/http.ts:2) calls fetch() (src/lib/http.ts:3), " +
        "which talks to the outside world, which can answer differently (or fail) on replay; use an activity (yield ctx.callActivity(...)) instead.",
    );
  }, 30_000);

  it("follows a helper passed as a callback into the helper that calls it, and names both in the chain", async () => {
    const [result] = await typedEslint("typed-durabletask").lintFiles(["src/orchestrators/callbacks.ts"]);
    expect(result?.messages.map((m) => `${m.line} ${m.message.split(" calls ")[0]}`)).toEqual([
      "7 retrying() (src/lib/retry.ts:2) → loadRates() (src/lib/rates.ts:2)",
      "8 withRetry() (src/lib/retry.ts:13) → loadRates() (src/lib/rates.ts:2)",
      "9 measure() (src/lib/retry.ts:17) → rates.stampNow() (src/lib/rates.ts:11)",
    ]);
  }, 30_000);

  it("reports nothing in a helper file linted alone", async () => {
    const results = await typedEslint("typed-durabletask").lintFiles(["src/lib/http.ts", "src/lib/cycle-b.ts", "src/lib/index.ts", "packages/shared/src/index.ts"]);
    expect(findings("typed-durabletask", results)).toEqual([]);
  }, 30_000);

  it("without types, plain recommended finds the same set in all three projects (it follows imports itself)", async () => {
    const actual: string[] = [];
    for (const project of PROJECTS) {
      const cwd = path.join(fixturesDir, project);
      const eslint = new ESLint({
        cwd,
        overrideConfigFile: true,
        overrideConfig: [{ files: ["**/*.ts", "**/*.cts"], languageOptions: { parser: tsParser } }, plugin.configs.recommended as Linter.Config],
      });
      actual.push(...findings(project, await eslint.lintFiles(["src"])));
    }
    expect(actual.sort()).toEqual([...EXPECTED_TYPED_FINDINGS].sort());
  }, 30_000);

  it("degrades to the untyped analysis with one warning when the typed config gets no program", async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error & { code?: string }) => {
      if (w.code === "DTCHECK_NO_TYPES") warnings.push(w.message);
    };
    process.on("warning", onWarning);
    try {
      const eslint = typedEslint("typed-durabletask", { languageOptions: { parserOptions: { projectService: false } } });
      const results = await eslint.lintFiles(["src"]);
      expect(findings("typed-durabletask", results).sort()).toEqual(UNTYPED_DURABLETASK);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/recommended-type-checked has no type information .*set languageOptions\.parserOptions\.projectService/);
  }, 30_000);

  it("lints the sample apps (fixtures/apps, real orchestrators and their helpers) with types and no fatal error", async () => {
    const repoRoot = path.join(fixturesDir, "../..");
    const eslint = new ESLint({
      cwd: repoRoot,
      overrideConfigFile: true,
      overrideConfig: [
        { files: ["**/*.ts"], languageOptions: { parser: tsParser, parserOptions: { tsconfigRootDir: repoRoot } } },
        plugin.configs["recommended-type-checked"] as Linter.Config,
      ],
    });
    const results = await eslint.lintFiles(["fixtures/apps/**/*.ts"]);
    expect(results.length).toBeGreaterThan(20);
    expect(results.flatMap((r) => r.messages.filter((m) => m.fatal).map((m) => `${r.filePath}: ${m.message}`))).toEqual([]);
  }, 60_000);
});
