/**
 * A 1,000-file chain (each helper in its own file calling the next) linted with projectService:
 * it terminates, the hazard at the end lands at the orchestrator's call with every hop, and the
 * work per file stays constant (every file is parsed once for the analysis however many
 * orchestrators reach it), which is what keeps the run linear rather than quadratic.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ESLint, type Linter } from "eslint";
import tsParser from "@typescript-eslint/parser";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import path from "node:path";
import plugin from "../../src/index.js";

const REPO = fileURLToPath(new URL("../../../../", import.meta.url));
const DEPTH = 1000;
const LAST = DEPTH - 1;
let dir: string;

beforeAll(() => {
  // Outside the repository; the SDK's types resolve through a link to its node_modules.
  dir = mkdtempSync(path.join(tmpdir(), "dtcheck-typed-chain-"));
  symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"), "dir");
  mkdirSync(path.join(dir, "src"));
  writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({
      extends: path.join(REPO, "tsconfig.base.json"),
      compilerOptions: { noEmit: true, composite: false, declaration: false, declarationMap: false, sourceMap: false, incremental: false },
      include: ["src/**/*.ts"],
    }),
  );
  for (let i = 0; i < DEPTH; i++) {
    const body =
      i === LAST
        ? `export function step${i}(): string {\n  return crypto.randomUUID();\n}\n`
        : `import { step${i + 1} } from "./step${i + 1}.js";\nexport function step${i}(): string {\n  return step${i + 1}();\n}\n`;
    writeFileSync(path.join(dir, "src", `step${i}.ts`), body);
  }
  const orchestrator = (name: string, entry: number) =>
    `import type { OrchestrationContext } from "@microsoft/durabletask-js";\n` +
    `import { step${entry} } from "./step${entry}.js";\n\n` +
    `export async function* ${name}(ctx: OrchestrationContext): any {\n  yield ctx.callActivity("store", step${entry}());\n}\n`;
  writeFileSync(path.join(dir, "src", "orchestrator.ts"), orchestrator("fromTheTop", 0));
  writeFileSync(path.join(dir, "src", "midway.ts"), orchestrator("fromTheMiddle", 500));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** `stepA() (src/stepA.ts:L) → ... → step999() (src/step999.ts:1)`, as the rules print chains. */
function chainFrom(entry: number): string {
  const hops: string[] = [];
  for (let i = entry; i < DEPTH; i++) hops.push(`step${i}() (src/step${i}.ts:${i === LAST ? 1 : 2})`);
  return hops.join(" → ");
}

describe("a 1,000-file helper chain with recommended-type-checked", () => {
  it("terminates, reports at each orchestrator's call with the whole chain, and parses each file once for the analysis", async () => {
    // Counts every parse by file: ESLint's own (once per linted file) and dtcheck's of other files.
    const parses = new Map<string, number>();
    const countingParser = {
      ...tsParser,
      parseForESLint(text: string, options?: { filePath?: string }) {
        const file = path.relative(dir, options?.filePath ?? "?");
        parses.set(file, (parses.get(file) ?? 0) + 1);
        return tsParser.parseForESLint(text, options as Parameters<typeof tsParser.parseForESLint>[1]);
      },
    };
    const eslint = new ESLint({
      cwd: dir,
      overrideConfigFile: true,
      overrideConfig: [
        { files: ["**/*.ts"], languageOptions: { parser: countingParser, parserOptions: { tsconfigRootDir: dir } } },
        plugin.configs["recommended-type-checked"] as Linter.Config,
      ],
    });
    const results = await eslint.lintFiles(["src"]);
    expect(results).toHaveLength(DEPTH + 2);

    const messages = results.flatMap((r) => r.messages.map((m) => ({ file: path.relative(dir, r.filePath), ...m })));
    expect(messages.filter((m) => m.fatal)).toEqual([]);
    const where = (m: (typeof messages)[number]) => `${m.file}:${m.line}:${m.ruleId}`;
    expect(messages.map(where).sort()).toEqual(["src/midway.ts:5:@dtcheck/no-random", "src/orchestrator.ts:5:@dtcheck/no-random"]);
    const message = (file: string) => messages.find((m) => m.file === file)?.message;
    expect(message("src/orchestrator.ts")).toBe(
      `${chainFrom(0)} calls crypto.randomUUID() (src/step${LAST}.ts:2), which returns a new value on replay; use ctx.newGuid() instead.`,
    );
    expect(message("src/midway.ts")).toMatch(new RegExp(`^${escape(chainFrom(500))} calls crypto\\.randomUUID\\(\\)`));

    // Linear work: ESLint parses each file once to lint it; the analysis parses each helper file at
    // most once more, although two orchestrators (and every linted helper file) reach it.
    const counts = [...parses.values()];
    expect(parses.size).toBe(DEPTH + 2);
    expect(Math.max(...counts)).toBeLessThanOrEqual(2);
    expect(counts.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(2 * (DEPTH + 2));
    // ... and it did walk the other files (the chain above could not be printed otherwise).
    expect(parses.get(`src/step${LAST}.ts`)).toBe(2);
  }, 120_000);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
