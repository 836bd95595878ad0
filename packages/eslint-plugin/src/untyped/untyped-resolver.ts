/**
 * Cross-file call resolution without type information: same-file functions first, then the callee's
 * syntax (imports, re-exports and barrels, CommonJS, `new C()`, instance methods of known classes,
 * object members) through dtcheck's own module resolution, into files parsed once and cached.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { type CalleeResolver, type ResolvedCallee, sameFileResolver } from "../analysis/callees.js";
import type { AnalysisFile } from "../analysis/file.js";
import type { ModuleFile, ModuleParser } from "../analysis/module-file.js";
import { resolveSyntactically, type SyntacticEnvironment } from "../analysis/syntactic-callees.js";
import { calleeLabel, resolveVariable, rootIdentifier, staticPath, unwrapExpression } from "../util/ast.js";
import { moduleFileAt } from "./module-cache.js";
import { resolveSpecifier } from "./module-paths.js";

export class UntypedResolver implements CalleeResolver {
  /** The file ESLint is linting now and its path (set per linted file: one resolver serves a run). */
  private linted: { file: AnalysisFile; fileName: string } | undefined;
  private readonly memo = new WeakMap<object, Map<string, ResolvedCallee | undefined>>();
  private readonly env: SyntacticEnvironment<ModuleFile>;

  constructor(
    private readonly parser: ModuleParser,
    private readonly cwd: string,
  ) {
    this.env = {
      resolve: (specifier, from) => this.fileAt(resolveSpecifier(specifier, from.fileName)),
      resolveFrom: (specifier, from) => {
        const fromName = from === this.linted?.file ? this.linted.fileName : (from as Partial<ModuleFile>).fileName;
        return fromName ? this.fileAt(resolveSpecifier(specifier, fromName)) : undefined;
      },
    };
  }

  setLinted(file: AnalysisFile, fileName: string): void {
    this.linted = { file, fileName };
  }

  resolve(expression: TSESTree.Node, file: AnalysisFile): ResolvedCallee | undefined {
    const callee = unwrapExpression(expression);
    // `audit()` called 100 times is one resolution: memoized by the root variable and the path.
    const root = rootIdentifier(callee);
    const variable = root ? resolveVariable(file, root) : undefined;
    const path = staticPath(callee);
    const isNew = callee.parent?.type === "NewExpression" && callee.parent.callee === expression;
    if (!variable || path === undefined) return this.resolveUncached(callee, expression, file);
    const key = isNew ? `new ${path}` : path;
    let byPath = this.memo.get(variable);
    if (!byPath) this.memo.set(variable, (byPath = new Map()));
    if (byPath.has(key)) return byPath.get(key);
    const resolved = this.resolveUncached(callee, expression, file);
    byPath.set(key, resolved);
    return resolved;
  }

  private resolveUncached(callee: TSESTree.Node, expression: TSESTree.Node, file: AnalysisFile): ResolvedCallee | undefined {
    const isLinted = file === this.linted?.file;
    const local = sameFileResolver.resolve(callee, file);
    if (local) return isLinted ? local : this.located(local.fn, file, callee);
    const found = resolveSyntactically(this.env, expression, file);
    if (!found) return undefined;
    return found.file === file && isLinted ? { fn: found.fn, file, label: calleeLabel(callee) } : this.located(found.fn, found.file, callee);
  }

  private located(fn: ResolvedCallee["fn"], file: AnalysisFile, callee: TSESTree.Node): ResolvedCallee {
    const where = file.displayPath ? ` (${file.displayPath}:${fn.loc.start.line})` : "";
    return { fn, file, label: `${calleeLabel(callee)}${where}` };
  }

  private fileAt(fileName: string | undefined): ModuleFile | undefined {
    return fileName ? moduleFileAt(fileName, this.parser, this.cwd) : undefined;
  }
}
