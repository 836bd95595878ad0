/**
 * Deep helper chains without types: 1,500 helpers each in its own file, and 5,000 helpers in one
 * file. The analysis walks them without recursion (no "Maximum call stack size exceeded"), reports
 * the hazard at the end at the orchestrator's call with every hop, and parses each file at most
 * once more than ESLint does.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ESLint, type Linter } from "eslint";
import tsParser from "@typescript-eslint/parser";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import plugin from "../../src/index.js";

const FILES = 1500;
const IN_ONE_FILE = 5000;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "dtcheck-untyped-chain-"));
  mkdirSync(path.join(dir, "chain"));
  for (let i = 0; i < FILES; i++) {
    const body =
      i === FILES - 1
        ? `export function step${i}(): string {\n  return crypto.randomUUID();\n}\n`
        : `import { step${i + 1} } from "./step${i + 1}.js";\nexport function step${i}(): string {\n  return step${i + 1}();\n}\n`;
    writeFileSync(path.join(dir, "chain", `step${i}.ts`), body);
  }
  // No SDK import: found by the use of its context, as a worker registering it elsewhere would need.
  writeFileSync(path.join(dir, "orchestrator.ts"), `import { step0 } from "./chain/step0.js";\n\nexport async function* fromTheTop(ctx) {\n  yield ctx.callActivity("store", step0());\n}\n`);
  const helpers = Array.from({ length: IN_ONE_FILE }, (_, i) =>
    i === IN_ONE_FILE - 1 ? `function h${i}() { return Date.now(); }` : `function h${i}() { return h${i + 1}(); }`,
  );
  writeFileSync(path.join(dir, "one-file.ts"), `${helpers.join("\n")}\nexport async function* local(ctx) { yield ctx.createTimer(h0()); }\n`);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("deep helper chains with recommended (no types)", () => {
  it("a 1,500-file chain: terminates, reports the whole chain at the call, parses each file at most twice", async () => {
    const parses = new Map<string, number>();
    const countingParser = {
      parseForESLint(text: string, options?: { filePath?: string }) {
        const file = path.relative(dir, options?.filePath ?? "?");
        parses.set(file, (parses.get(file) ?? 0) + 1);
        return tsParser.parseForESLint(text, options as Parameters<typeof tsParser.parseForESLint>[1]);
      },
    };
    const eslint = new ESLint({
      cwd: dir,
      overrideConfigFile: true,
      overrideConfig: [{ files: ["**/*.ts"], languageOptions: { parser: countingParser } }, plugin.configs.recommended as Linter.Config],
    });
    const results = await eslint.lintFiles(["orchestrator.ts", "chain"]);
    expect(results).toHaveLength(FILES + 1);
    const messages = results.flatMap((r) => r.messages.map((m) => ({ file: path.relative(dir, r.filePath), ...m })));
    expect(messages.map((m) => `${m.file}:${m.line}:${m.ruleId}`)).toEqual(["orchestrator.ts:4:@dtcheck/no-random"]);
    const hops = Array.from({ length: FILES }, (_, i) => `step${i}() (chain/step${i}.ts:${i === FILES - 1 ? 1 : 2})`);
    expect(messages[0]?.message).toBe(
      `${hops.join(" → ")} calls crypto.randomUUID() (chain/step${FILES - 1}.ts:2), which returns a new value on replay; use ctx.newGuid() instead.`,
    );
    expect(parses.size).toBe(FILES + 1);
    expect(Math.max(...parses.values())).toBe(2);
    expect(parses.get(`chain/step${FILES - 1}.ts`)).toBe(2);
  }, 240_000);

  it("a 5,000-helper chain in one file: one finding, with all 5,000 hops", async () => {
    const eslint = new ESLint({
      cwd: dir,
      overrideConfigFile: true,
      overrideConfig: [{ files: ["**/*.ts"], languageOptions: { parser: tsParser } }, plugin.configs.recommended as Linter.Config],
    });
    const [result] = await eslint.lintFiles(["one-file.ts"]);
    expect(result?.messages.map((m) => `${m.line}:${m.ruleId}`)).toEqual([`${IN_ONE_FILE + 1}:@dtcheck/no-wall-clock`]);
    const chain = result?.messages[0]?.message.split(" calls ")[0]?.split(" → ") ?? [];
    expect(chain).toHaveLength(IN_ONE_FILE);
    expect(chain[0]).toBe("h0()");
    expect(chain.at(-1)).toBe(`h${IN_ONE_FILE - 1}()`);
  }, 120_000);
});
