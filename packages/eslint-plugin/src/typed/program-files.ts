/**
 * Other files of the TypeScript program, as AnalysisFiles the same hazard analysis can walk:
 * parsed with the very parser ESLint uses (no type information: only syntax and scopes are needed),
 * once per `ts.SourceFile` object, so unchanged files are reused across editor re-lints.
 */
import path from "node:path";
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import type { AnalysisFile } from "../analysis/file.js";
import { fileImports } from "../analysis/imports.js";
import { type FunctionNode, isFunctionNode } from "../util/ast.js";
import { typescript, type ts } from "./typescript.js";

/** A parsed file of the program plus the maps between its ESTree and TS nodes. */
export interface ProgramFile extends AnalysisFile {
  fileName: string;
  sourceFile: ts.SourceFile;
  /** The ESTree function node a TS function-like node corresponds to. */
  functionFor(tsNode: ts.Node): FunctionNode | undefined;
  /** The TS node with exactly this ESTree node's range (for the type checker). */
  tsNodeFor(node: TSESTree.Node): ts.Node | undefined;
  /** A package's JavaScript read on opt-in, outside the program: the checker knows nothing of it. */
  external?: boolean;
}

interface Parser {
  parseForESLint(text: string, options?: unknown): {
    ast: TSESTree.Program;
    scopeManager?: TSESLint.Scope.ScopeManager | null;
    visitorKeys?: TSESLint.SourceCode.VisitorKeys;
  };
}

const parsed = new WeakMap<ts.SourceFile, ProgramFile | null>();

/**
 * Paths in messages are relative to ESLint's cwd, as the CLI and editors print them; when that
 * would climb out of cwd (or cwd is the filesystem root) they are relative to the tsconfig's folder.
 */
function displayPathOf(fileName: string, cwd: string, configDir: string | undefined): string {
  let rel = path.relative(cwd, fileName);
  if ((rel.startsWith("..") || cwd === path.parse(cwd).root) && configDir) rel = path.relative(configDir, fileName);
  return rel.split(path.sep).join("/");
}

export function programFile(
  sourceFile: ts.SourceFile,
  parser: Parser,
  cwd: string,
  configDir?: string,
  external = false,
): ProgramFile | undefined {
  const cached = parsed.get(sourceFile);
  if (cached !== undefined) return cached ?? undefined;
  let file: ProgramFile | undefined;
  try {
    file = parse(sourceFile, parser, cwd, configDir);
    if (file && external) file.external = true;
  } catch {
    // A file the parser rejects is skipped (its functions are then not followed), never a crash.
    file = undefined;
  }
  parsed.set(sourceFile, file ?? null);
  return file;
}

function parse(sourceFile: ts.SourceFile, parser: Parser, cwd: string, configDir: string | undefined): ProgramFile | undefined {
  const result = parser.parseForESLint(sourceFile.text, {
    filePath: sourceFile.fileName,
    range: true,
    loc: true,
    tokens: false,
    comment: true,
    sourceType: "module",
    ecmaVersion: "latest",
    // Syntax and scopes only: asking for type information here would build a second program.
    project: undefined,
    projectService: false,
    programs: null,
  });
  const { ast, scopeManager, visitorKeys } = result;
  if (!scopeManager || !visitorKeys) return undefined;
  const functionsByEnd = new Map<number, FunctionNode[]>();
  setParentsAndIndex(ast, visitorKeys, functionsByEnd);
  const file: ProgramFile = {
    ast,
    visitorKeys,
    imports: fileImports({ ast }),
    fileName: sourceFile.fileName,
    sourceFile,
    displayPath: displayPathOf(sourceFile.fileName, cwd, configDir),
    getScope: (node) => scopeOf(scopeManager, node),
    functionFor(tsNode) {
      const start = tsNode.getStart(sourceFile);
      const candidates = functionsByEnd.get(tsNode.end) ?? [];
      // Same end; the ESTree node may start later (TS includes modifiers such as `export`).
      let best: FunctionNode | undefined;
      for (const fn of candidates) {
        if (fn.range[0] >= start && (!best || fn.range[0] < best.range[0])) best = fn;
      }
      return best;
    },
    tsNodeFor: (node) => findTsNode(sourceFile, node.range[0], node.range[1]),
  };
  return file;
}

function setParentsAndIndex(
  root: TSESTree.Node,
  visitorKeys: TSESLint.SourceCode.VisitorKeys,
  functionsByEnd: Map<number, FunctionNode[]>,
): void {
  const stack: TSESTree.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as TSESTree.Node;
    if (isFunctionNode(node)) {
      const list = functionsByEnd.get(node.range[1]);
      if (list) list.push(node);
      else functionsByEnd.set(node.range[1], [node]);
    }
    for (const key of visitorKeys[node.type] ?? []) {
      const child = (node as unknown as Record<string, unknown>)[key];
      const children = Array.isArray(child) ? child : [child];
      for (const c of children as (TSESTree.Node | null)[]) {
        if (c && typeof c.type === "string") {
          (c as { parent?: TSESTree.Node }).parent = node;
          stack.push(c);
        }
      }
    }
  }
}

/** As ESLint's SourceCode#getScope. */
function scopeOf(scopeManager: TSESLint.Scope.ScopeManager, node: TSESTree.Node): TSESLint.Scope.Scope {
  const inner = node.type !== AST_NODE_TYPES.Program;
  for (let n: TSESTree.Node | undefined = node; n; n = n.parent) {
    const scope = scopeManager.acquire(n, inner);
    if (scope) return scope.type === "function-expression-name" ? (scope.childScopes[0] ?? scope) : scope;
  }
  return scopeManager.scopes[0] as TSESLint.Scope.Scope;
}

/** The TS node spanning exactly [start, end) (innermost), found by descending through children. */
export function findTsNode(sourceFile: ts.SourceFile, start: number, end: number): ts.Node | undefined {
  const tsapi = typescript();
  let node: ts.Node = sourceFile;
  let match: ts.Node | undefined;
  for (;;) {
    let next: ts.Node | undefined;
    tsapi.forEachChild(node, (child) => {
      if (next) return;
      if (child.pos <= start && child.end >= end) next = child;
    });
    if (!next) return match;
    if (next.getStart(sourceFile) === start && next.end === end) match = next;
    node = next;
  }
}

const externalSources = new Map<string, ts.SourceFile | null>();

/** The JavaScript next to a package's declaration file (`index.d.mts` → `index.mjs`), as a source file. */
export function implementationOf(declarationFile: string): ts.SourceFile | undefined {
  const implPath = declarationFile.replace(/\.d\.(m|c)?ts$/, (_, kind: string | undefined) => `.${kind ?? ""}js`);
  if (implPath === declarationFile) return undefined;
  let sourceFile = externalSources.get(implPath);
  if (sourceFile === undefined) {
    const tsapi = typescript();
    const text = tsapi.sys.readFile(implPath);
    sourceFile = text === undefined ? null : tsapi.createSourceFile(implPath, text, tsapi.ScriptTarget.Latest, true, tsapi.ScriptKind.JS);
    externalSources.set(implPath, sourceFile);
  }
  return sourceFile ?? undefined;
}

/** `/x/node_modules/@scope/pkg/dist/a.d.ts` → `@scope/pkg`. */
export function packageOf(fileName: string): string | undefined {
  const normalized = fileName.replace(/\\/g, "/");
  const at = normalized.lastIndexOf("/node_modules/");
  if (at < 0) return undefined;
  const parts = normalized.slice(at + "/node_modules/".length).split("/");
  return parts[0]?.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
}
