/**
 * Another file the analysis reads (not the one ESLint is linting): parsed once with the linted
 * file's own parser for syntax and scopes only, parent pointers set, functions indexed by their end
 * offset. Both modes use it: type-aware mode for files of the TypeScript program, the untyped mode
 * for files it resolves from imports itself.
 */
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { analyze } from "eslint-scope";
import { type FunctionNode, isFunctionNode } from "../util/ast.js";
import type { AnalysisFile } from "./file.js";
import { fileImports } from "./imports.js";

/** A parsed file other than the linted one. */
export interface ModuleFile extends AnalysisFile {
  fileName: string;
  displayPath: string;
}

/** ESLint's parser shapes: typescript-eslint's `parseForESLint`, or espree's plain `parse`. */
export interface ModuleParser {
  parseForESLint?(text: string, options?: unknown): {
    ast: TSESTree.Program;
    scopeManager?: TSESLint.Scope.ScopeManager | null;
    visitorKeys?: TSESLint.SourceCode.VisitorKeys;
  };
  parse?(text: string, options?: unknown): TSESTree.Program;
  visitorKeys?: TSESLint.SourceCode.VisitorKeys;
  VisitorKeys?: TSESLint.SourceCode.VisitorKeys;
}

export interface ParsedModule {
  ast: TSESTree.Program;
  visitorKeys: TSESLint.SourceCode.VisitorKeys;
  getScope(node: TSESTree.Node): TSESLint.Scope.Scope;
  /** Function nodes by their end offset (to map a TS declaration to its ESTree function). */
  functionsByEnd: ReadonlyMap<number, readonly FunctionNode[]>;
}

/** Parses `text` for syntax and scopes; throws what the parser throws. */
export function parseModule(text: string, fileName: string, parser: ModuleParser): ParsedModule | undefined {
  let ast: TSESTree.Program;
  let scopeManager: TSESLint.Scope.ScopeManager | null | undefined;
  let visitorKeys: TSESLint.SourceCode.VisitorKeys | undefined;
  if (typeof parser.parseForESLint === "function") {
    const result = parser.parseForESLint(text, {
      filePath: fileName,
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
    ({ ast, scopeManager, visitorKeys } = result);
  } else if (typeof parser.parse === "function") {
    // espree (ESLint's default parser, JavaScript only): scopes from eslint-scope, as ESLint does.
    ast = parser.parse(text, { range: true, loc: true, ecmaVersion: "latest", sourceType: "module" });
    visitorKeys = parser.visitorKeys ?? parser.VisitorKeys;
    // eslint-scope's ESTree types and typescript-eslint's describe the same objects.
    const manager = analyze(ast as unknown as Parameters<typeof analyze>[0], {
      ecmaVersion: 2022,
      sourceType: "module",
      ...(visitorKeys ? { childVisitorKeys: visitorKeys as Record<string, string[]> } : {}),
    });
    scopeManager = manager as unknown as TSESLint.Scope.ScopeManager;
  } else {
    return undefined;
  }
  if (!scopeManager || !visitorKeys) return undefined;
  const functionsByEnd = new Map<number, FunctionNode[]>();
  setParentsAndIndex(ast, visitorKeys, functionsByEnd);
  const manager = scopeManager;
  return { ast, visitorKeys, getScope: (node) => scopeOf(manager, node), functionsByEnd };
}

/** A ModuleFile from a parse (the common part of both modes' files). */
export function moduleFileOf(parsed: ParsedModule, fileName: string, displayPath: string): ModuleFile {
  return {
    ast: parsed.ast,
    visitorKeys: parsed.visitorKeys,
    imports: fileImports({ ast: parsed.ast }),
    getScope: parsed.getScope,
    fileName,
    displayPath,
  };
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
