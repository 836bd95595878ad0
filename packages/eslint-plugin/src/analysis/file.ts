/**
 * A file the analysis reads: the one being linted, or (in type-aware mode) another file of the
 * program whose functions an orchestrator calls. Everything the hazard matcher and the summaries
 * need is here, so they never depend on which file ESLint is currently linting.
 */
import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { type FileImports, fileImports } from "./imports.js";

export interface AnalysisFile {
  ast: TSESTree.Program;
  visitorKeys: TSESLint.SourceCode.VisitorKeys;
  imports: FileImports;
  /** The innermost scope containing `node` (as `SourceCode#getScope`). */
  getScope(node: TSESTree.Node): TSESLint.Scope.Scope;
  /** Display path for messages about other files (`src/http.ts`); undefined for the linted file. */
  displayPath?: string;
  /** Absolute file name (type-aware mode: to tell the linted file from the others). */
  fileName?: string;
}

const cache = new WeakMap<TSESLint.SourceCode, AnalysisFile>();

export function lintedFile(sourceCode: Readonly<TSESLint.SourceCode>): AnalysisFile {
  let file = cache.get(sourceCode);
  if (!file) {
    file = {
      ast: sourceCode.ast,
      visitorKeys: sourceCode.visitorKeys,
      imports: fileImports(sourceCode),
      getScope: (node) => sourceCode.getScope(node),
      fileName: sourceCode.parserServices?.program ? normalizeFileName(sourceCode) : undefined,
    };
    cache.set(sourceCode, file);
  }
  return file;
}

/** Where a node is, for a message: `line 12` in the linted file, `src/http.ts:8` elsewhere. */
export function locationText(file: AnalysisFile, node: TSESTree.Node): string {
  const line = node.loc.start.line;
  return file.displayPath ? `${file.displayPath}:${line}` : `line ${line}`;
}

function normalizeFileName(sourceCode: Readonly<TSESLint.SourceCode>): string | undefined {
  const services = sourceCode.parserServices;
  if (!services?.program) return undefined;
  return services.esTreeNodeToTSNodeMap?.get(sourceCode.ast).getSourceFile().fileName;
}
