/**
 * Other files of the TypeScript program, as AnalysisFiles the same hazard analysis can walk:
 * parsed with the very parser ESLint uses (no type information: only syntax and scopes are needed),
 * once per `ts.SourceFile` object, so unchanged files are reused across editor re-lints.
 */
import path from "node:path";
import type { TSESTree } from "@typescript-eslint/utils";
import { type ModuleFile, type ModuleParser, moduleFileOf, parseModule } from "../analysis/module-file.js";
import type { FunctionNode } from "../util/ast.js";
import { typescript, type ts } from "./typescript.js";

/** A parsed file of the program plus the maps between its ESTree and TS nodes. */
export interface ProgramFile extends ModuleFile {
  sourceFile: ts.SourceFile;
  /** The ESTree function node a TS function-like node corresponds to. */
  functionFor(tsNode: ts.Node): FunctionNode | undefined;
  /** The TS node with exactly this ESTree node's range (for the type checker). */
  tsNodeFor(node: TSESTree.Node): ts.Node | undefined;
  /** A package's JavaScript read on opt-in, outside the program: the checker knows nothing of it. */
  external?: boolean;
}

type Parser = ModuleParser;

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
  const parsed = parseModule(sourceFile.text, sourceFile.fileName, parser);
  if (!parsed) return undefined;
  return {
    ...moduleFileOf(parsed, sourceFile.fileName, displayPathOf(sourceFile.fileName, cwd, configDir)),
    sourceFile,
    functionFor(tsNode) {
      const start = tsNode.getStart(sourceFile);
      const candidates = parsed.functionsByEnd.get(tsNode.end) ?? [];
      // Same end; the ESTree node may start later (TS includes modifiers such as `export`).
      let best: FunctionNode | undefined;
      for (const fn of candidates) {
        if (fn.range[0] >= start && (!best || fn.range[0] < best.range[0])) best = fn;
      }
      return best;
    },
    tsNodeFor: (node) => findTsNode(sourceFile, node.range[0], node.range[1]),
  };
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
