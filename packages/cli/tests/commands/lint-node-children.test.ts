/**
 * Typed dtcheck lint releases TypeScript's cached node children (every token as a node) of the
 * program's SourceFile once typescript-eslint has parsed a file: without that, each linted file's
 * tokens stay in memory for the whole run.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import tseslint from "typescript-eslint";
import type { Linter } from "eslint";
import type * as TypeScript from "typescript";
import { releasingNodeChildren } from "../../src/lint/node-children.js";
import { parserTypeScript } from "../../src/lint/parser-typescript.js";

const dir = mkdtempSync(path.join(tmpdir(), "dtcheck-node-children-"));
writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, noEmit: true }, include: ["*.ts"] }));
const TEXT = "export const sum = (a: number, b: number): number => a + b;\nexport const twice = (n: number) => sum(n, n);\n";
writeFileSync(path.join(dir, "a.ts"), TEXT);
writeFileSync(path.join(dir, "b.ts"), TEXT);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Parsed {
  ast: { tokens: unknown[] };
  services: { esTreeNodeToTSNodeMap: { get(node: unknown): TypeScript.SourceFile } };
}

/** TypeScript's own view of the cache (exported by the package, not in its typings). */
function cachedChildren(sourceFile: TypeScript.SourceFile): { cached: number; nodes: number } {
  const ts = parserTypeScript() as unknown as { getNodeChildren(node: TypeScript.Node, sourceFile: TypeScript.SourceFile): readonly TypeScript.Node[] | undefined; forEachChild: typeof TypeScript.forEachChild };
  let cached = 0;
  let nodes = 0;
  const visit = (node: TypeScript.Node): void => {
    nodes++;
    // Tokens answer a shared empty list: only a node's own list is a cache entry.
    if ((ts.getNodeChildren(node, sourceFile)?.length ?? 0) > 0) cached++;
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return { cached, nodes };
}

function parse(parser: Linter.Parser, file: string): Parsed {
  const options = { filePath: path.join(dir, file), projectService: true, tsconfigRootDir: dir, range: true, loc: true, tokens: true, comment: true };
  return (parser as unknown as { parseForESLint(text: string, o: unknown): Parsed }).parseForESLint(TEXT, options);
}

describe("typed dtcheck lint's parser", () => {
  it("leaves no cached children on the program's SourceFile, where typescript-eslint alone leaves them on every node that is not a token", () => {
    const bare = parse(tseslint.parser as Linter.Parser, "a.ts");
    const released = parse(releasingNodeChildren(tseslint.parser as Linter.Parser), "b.ts");
    // The same tokens for ESLint either way.
    expect(released.ast.tokens).toHaveLength(bare.ast.tokens.length);
    expect(cachedChildren(bare.services.esTreeNodeToTSNodeMap.get(bare.ast))).toEqual({ cached: 14, nodes: 34 });
    expect(cachedChildren(released.services.esTreeNodeToTSNodeMap.get(released.ast))).toEqual({ cached: 0, nodes: 34 });
  });
});
