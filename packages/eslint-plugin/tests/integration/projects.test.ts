/**
 * Fixture projects in the SDKs' styles (fixtures/lint/projects): orchestrators whose context is
 * unannotated, registered in a loop by another file, calling helpers behind barrels, path aliases,
 * CommonJS modules and classes in other files. The untyped and the typed analysis report the exact
 * same set, with the same messages, and the untyped one parses each other file at most once.
 */
import { describe, expect, it } from "vitest";
import { ESLint, type Linter } from "eslint";
import tsParser from "@typescript-eslint/parser";
import { fileURLToPath } from "node:url";
import path from "node:path";
import plugin from "../../src/index.js";
import { EXPECTED_PROJECT_FINDINGS, PROJECTS } from "./expected-project-findings.js";

const projectsDir = fileURLToPath(new URL("../../../../fixtures/lint/projects/", import.meta.url));

/** The parser shape ESLint takes (the counting parser below is one). */
type Parser = { parseForESLint(text: string, options?: { filePath?: string }): ReturnType<typeof tsParser.parseForESLint> };

function eslintFor(project: string, typed: boolean, parser: Parser = tsParser): ESLint {
  const cwd = path.join(projectsDir, project);
  return new ESLint({
    cwd,
    overrideConfigFile: true,
    overrideConfig: [
      { files: ["**/*.ts"], languageOptions: { parser, parserOptions: typed ? { projectService: true, tsconfigRootDir: cwd } : {} } },
      // JavaScript keeps ESLint's default parser (espree), as the config `dtcheck init` writes.
      { files: ["**/*.ts"], ...(plugin.configs[typed ? "recommended-type-checked" : "recommended"] as Linter.Config) },
      { files: ["**/*.js"], ...(plugin.configs.recommended as Linter.Config) },
    ],
  });
}

async function lint(typed: boolean): Promise<{ where: string[]; messages: string[] }> {
  const where: string[] = [];
  const messages: string[] = [];
  for (const project of PROJECTS) {
    const results = await eslintFor(project, typed && project !== "durable-functions-js").lintFiles(["src"]);
    for (const r of results) {
      for (const m of r.messages) {
        const at = `${project}/${path.relative(path.join(projectsDir, project), r.filePath)}:${m.line}`;
        if (m.fatal) throw new Error(`${at}: ${m.message}`);
        where.push(`${at}:${m.ruleId?.replace("@dtcheck/", "")}`);
        messages.push(`${at} ${m.message}`);
      }
    }
  }
  return { where: where.sort(), messages: messages.sort() };
}

describe("fixture projects (fixtures/lint/projects)", () => {
  it("without types: exactly the expected file:line:rule set", async () => {
    expect((await lint(false)).where).toEqual([...EXPECTED_PROJECT_FINDINGS].sort());
  }, 60_000);

  it("with types: the same set and the same messages as without", async () => {
    const [untyped, typed] = [await lint(false), await lint(true)];
    expect(typed.where).toEqual([...EXPECTED_PROJECT_FINDINGS].sort());
    expect(typed.messages).toEqual(untyped.messages);
  }, 120_000);

  it("names each hop of a chain through a barrel, a paths alias, a constructor and an instance method", async () => {
    const results = await eslintFor("durabletask-esm", false).lintFiles(["src/orchestrators/order.ts"]);
    expect(results[0]?.messages.map((m) => `${m.line} ${m.message.split(", which")[0]}`)).toEqual([
      "5 makeId() (src/lib/ids.ts:1) calls crypto.randomUUID() (src/lib/ids.ts:2)",
      "6 Pricing() (src/lib/pricing.ts:4) calls Date.now() (src/lib/pricing.ts:5)",
      "8 store.region() (src/lib/store.ts:4) → ….fromEnv() (src/lib/store.ts:8) calls process.env (src/lib/store.ts:9)",
    ]);
  });

  it("follows getters, field initialisers and static fields into other files, in both modes", async () => {
    for (const typed of [false, true]) {
      const results = await eslintFor("durabletask-esm", typed).lintFiles(["src/orchestrators/billing.ts"]);
      expect(results[0]?.messages.map((m) => `${m.line} ${m.message.split(", which")[0]}`)).toEqual([
        "5 settings.region (src/lib/settings.ts:2) calls process.env (src/lib/settings.ts:3)",
        "9 clock.stamp (src/lib/settings.ts:17) calls Date.now() (src/lib/settings.ts:18)",
        "10 Clock.today (src/lib/settings.ts:9) calls new Date() (src/lib/settings.ts:10)",
        "11 Receipt() (src/lib/receipt.ts:1) calls Date.now() (src/lib/receipt.ts:2)",
        "13 Receipt.nextNumber() (src/lib/receipt.ts:4) calls Math.random() (src/lib/receipt.ts:4)",
        "14 Ledger() (src/lib/receipt.ts:11) calls new Date() (src/lib/receipt.ts:9)",
      ]);
    }
  }, 60_000);

  it("parses each other file at most once per run, however many files reach it", async () => {
    const parses = new Map<string, number>();
    const counting: Parser = {
      parseForESLint(text: string, options?: { filePath?: string }) {
        const file = path.relative(projectsDir, options?.filePath ?? "?");
        parses.set(file, (parses.get(file) ?? 0) + 1);
        return tsParser.parseForESLint(text, options as Parameters<typeof tsParser.parseForESLint>[1]);
      },
    };
    await eslintFor("durabletask-esm", false, counting).lintFiles(["src"]);
    // ESLint parses each of the 18 files once to lint it; the analysis parses the helpers and barrels
    // it follows once more (order.ts and shipment.ts both reach the lib barrel and clock).
    expect(parses.size).toBe(18);
    expect(Math.max(...parses.values())).toBe(2);
    expect(parses.get("durabletask-esm/src/lib/index.ts")).toBe(2);
    expect(parses.get("durabletask-esm/src/worker.ts")).toBe(1);
  });
});
