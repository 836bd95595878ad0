/**
 * Resolves calls with the TypeScript type checker (through `parserServices.program`, never a second
 * program): imports, re-exports and barrels, default exports, `export =`, aliases, class (static and
 * instance) methods, object methods and shorthand properties, in whatever file of the program they
 * live. Declarations in `.d.ts` files or under node_modules are not walked: the hazard catalogue and
 * the settings judge calls into packages by their import. Falls back to same-file resolution.
 */
import path from "node:path";
import type { TSESTree } from "@typescript-eslint/utils";
import { type CalleeResolver, type ResolvedCallee, sameFileResolver } from "../analysis/callees.js";
import type { AnalysisFile } from "../analysis/file.js";
import { calleeLabel, type CodeUnit, type FunctionNode, isFunctionNode, resolveVariable, rootIdentifier, staticPath, unwrapExpression } from "../util/ast.js";
import { MODULE_HAZARDS } from "../catalogue/hazards.js";
import { sdkOfModule } from "../catalogue/sdks.js";
import type { ImportBinding } from "../analysis/imports.js";
import { findExportedFunction, localFunction } from "../analysis/exports.js";
import { programExports, resolveModuleFile } from "./import-exports.js";
import { resolveSyntactically } from "../analysis/syntactic-callees.js";
import { implementationOf, packageOf, type ProgramFile, programFile } from "./program-files.js";
import { typescript, type ts } from "./typescript.js";

export interface TypedEnvironment {
  program: ts.Program;
  /** Lazy: a new program's checker is costly to create, and most calls never need it. */
  checker(): ts.TypeChecker;
  /** The linted file and its parser maps. */
  linted: AnalysisFile;
  esTreeToTs(node: TSESTree.Node): ts.Node | undefined;
  tsToEsTree(node: ts.Node): TSESTree.Node | undefined;
  parser: Parameters<typeof programFile>[1];
  cwd: string;
  /** `settings.dtcheck.followPackages`: packages whose JavaScript may be walked. */
  followPackages: ReadonlySet<string>;
}

export class TypedResolver implements CalleeResolver {
  constructor(private readonly env: TypedEnvironment) {}

  resolve(expression: TSESTree.Node, file: AnalysisFile): ResolvedCallee | undefined {
    const callee = unwrapExpression(expression);
    // Cheap syntactic exits before asking the checker (the costly part in an editor re-lint):
    // calls on a package import (judged by the catalogue) or on a parameter (the context object,
    // whose methods are SDK declarations) never lead to user code in another file.
    if (this.isPackageOrParameterCall(callee, file)) return sameFileResolver.resolve(callee, file);
    // `audit()` called 100 times is one question to the checker: memoize by the root variable and path.
    const root = rootIdentifier(callee);
    const variable = root ? resolveVariable(file, root) : undefined;
    const path = staticPath(callee);
    if (!variable || path === undefined) return this.resolveUncached(callee, file);
    let byPath = this.memo.get(variable);
    if (!byPath) this.memo.set(variable, (byPath = new Map()));
    if (byPath.has(path)) return byPath.get(path);
    const resolved = this.resolveUncached(callee, file);
    byPath.set(path, resolved);
    return resolved;
  }

  private readonly memo = new WeakMap<object, Map<string, ResolvedCallee | undefined>>();

  private resolveUncached(callee: TSESTree.Node, file: AnalysisFile): ResolvedCallee | undefined {
    // A package's JavaScript (opt-in) is outside the program: same-file resolution only.
    if ((file as Partial<ProgramFile>).external) {
      const local = sameFileResolver.resolve(callee, file);
      return local ? this.located(local.fn, file as ProgramFile, callee) : undefined;
    }
    // Syntactic first (imports from relative modules, same-file helpers); the checker only for the rest.
    const root = rootIdentifier(callee);
    const binding = root ? file.imports.byLocal.get(root.name) : undefined;
    if (root && binding && !binding.typeOnly && binding.module.startsWith(".")) {
      const viaImport = this.resolveViaImport(callee, binding, file);
      if (viaImport) return viaImport;
    } else if (root && !binding) {
      const local = sameFileResolver.resolve(callee, file);
      if (local) return file === this.env.linted ? local : this.located(local.fn, file as ProgramFile, callee);
    }
    // The checker does not see through `new C()` (a class is not a function) nor `require()` in
    // TypeScript (any): the syntax then says which function runs.
    return this.resolveWithChecker(callee, file) ?? this.resolveBySyntax(callee, file);
  }

  private resolveBySyntax(callee: TSESTree.Node, file: AnalysisFile): ResolvedCallee | undefined {
    const env = { program: this.env.program, fileFor: (sf: ts.SourceFile) => this.fileFor(sf) };
    const exportsEnv = programExports(env);
    const found = resolveSyntactically<ProgramFile>(
      {
        ...exportsEnv,
        resolveFrom: (specifier, from) => {
          const fromName = from === this.env.linted ? this.env.linted.fileName : (from as Partial<ProgramFile>).fileName;
          const sourceFile = fromName ? resolveModuleFile(env, specifier, fromName) : undefined;
          return sourceFile ? this.fileFor(sourceFile) : undefined;
        },
      },
      callee,
      file,
    );
    if (!found) return undefined;
    if (found.file === this.env.linted) return { fn: found.fn, file: found.file, label: calleeLabel(callee) };
    return this.located(found.fn, found.file as ProgramFile, callee);
  }

  private resolveViaImport(callee: TSESTree.Node, binding: ImportBinding, file: AnalysisFile): ResolvedCallee | undefined {
    const path = staticPath(callee);
    if (path === undefined) return undefined;
    const segments = path.split(".").slice(1);
    const exportName = binding.imported === "*" ? segments.shift() : binding.imported;
    const fromFile = file === this.env.linted ? this.env.linted.fileName : (file as Partial<ProgramFile>).fileName;
    if (!exportName || !fromFile) return undefined;
    const env = { program: this.env.program, fileFor: (sf: ts.SourceFile) => this.fileFor(sf) };
    const sourceFile = resolveModuleFile(env, binding.module, fromFile);
    const target = sourceFile ? this.fileFor(sourceFile) : undefined;
    const found = target ? findExportedFunction(programExports(env), target, exportName, segments) : undefined;
    return found ? this.located(found.fn, found.file, callee) : undefined;
  }

  private located(fn: CodeUnit, file: ProgramFile, callee: TSESTree.Node): ResolvedCallee {
    return { fn, file, label: `${calleeLabel(callee)} (${file.displayPath}:${fn.loc.start.line})` };
  }

  private fileFor(sourceFile: ts.SourceFile): ProgramFile | undefined {
    const configFile = this.env.program.getCompilerOptions().configFilePath;
    const configDir = typeof configFile === "string" ? path.dirname(configFile) : undefined;
    return programFile(sourceFile, this.env.parser, this.env.cwd, configDir);
  }

  private resolveWithChecker(callee: TSESTree.Node, file: AnalysisFile): ResolvedCallee | undefined {
    const tsCallee = this.tsNodeOf(callee, file);
    const declaration = tsCallee ? this.functionDeclarationOf(tsCallee, 0) : undefined;
    if (!declaration) return sameFileResolver.resolve(callee, file);
    const sourceFile = declaration.getSourceFile();
    if (sourceFile.isDeclarationFile || /[\\/]node_modules[\\/]/.test(sourceFile.fileName)) {
      return this.resolveInPackage(declaration, sourceFile, callee);
    }
    const label = calleeLabel(callee);
    // Calls inside the linted file to functions of the linted file use ESLint's own nodes; calls from
    // other files use the program's parse, whose summaries stay valid for every file of the run.
    if (file === this.env.linted && sourceFile.fileName === this.env.linted.fileName) {
      const fn = asFunction(this.env.tsToEsTree(declaration));
      return fn ? { fn, file, label } : undefined;
    }
    const target = this.fileFor(sourceFile);
    const fn = target?.functionFor(declaration);
    if (!target || !fn) return undefined;
    return { fn, file: target, label: `${label} (${target.displayPath}:${fn.loc.start.line})` };
  }

  /**
   * Package code is judged by its import, unless the user opted in for the package in
   * `settings.dtcheck.followPackages`: then the function is found in the package's JavaScript.
   */
  private resolveInPackage(declaration: ts.Node, sourceFile: ts.SourceFile, callee: TSESTree.Node): ResolvedCallee | undefined {
    const pkg = packageOf(sourceFile.fileName);
    if (!pkg || !this.env.followPackages.has(pkg)) return undefined;
    if (!sourceFile.isDeclarationFile) {
      const target = this.fileFor(sourceFile);
      const fn = target?.functionFor(declaration);
      return target && fn ? this.located(fn, target, callee) : undefined;
    }
    const name = declaredName(declaration);
    const impl = implementationOf(sourceFile.fileName);
    if (!name || !impl) return undefined;
    const target = programFile(impl, this.env.parser, this.env.cwd, undefined, true);
    if (!target) return undefined;
    const env = { program: this.env.program, fileFor: () => undefined };
    const found = findExportedFunction(programExports(env), target, name, []) ?? localFunction(target, name, []);
    return found ? this.located(found.fn, found.file, callee) : undefined;
  }

  private isPackageOrParameterCall(callee: TSESTree.Node, file: AnalysisFile): boolean {
    const root = rootIdentifier(callee);
    if (!root) return false;
    const binding = file.imports.byLocal.get(root.name);
    // SDK and catalogue packages are judged by their import; other bare specifiers may be workspace
    // packages whose sources are in the program, so those still go to the checker.
    if (binding && (sdkOfModule(binding.module) || isCatalogueModule(binding.module))) {
      const variable = resolveVariable(file, root);
      return variable?.scope.type === "module";
    }
    if (root === callee) return false;
    return resolveVariable(file, root)?.defs[0]?.type === "Parameter";
  }

  private tsNodeOf(node: TSESTree.Node, file: AnalysisFile): ts.Node | undefined {
    if (file === this.env.linted) return this.env.esTreeToTs(node);
    return (file as Partial<ProgramFile>).tsNodeFor?.(node);
  }

  /** The function-like declaration (with a body) the callee expression refers to. */
  private functionDeclarationOf(node: ts.Node, depth: number): ts.Node | undefined {
    if (depth > 8) return undefined;
    const tsapi = typescript();
    const checker = this.env.checker();
    let target: ts.Node = node;
    while (tsapi.isParenthesizedExpression(target) || tsapi.isAsExpression(target) || tsapi.isNonNullExpression(target)) {
      target = target.expression;
    }
    if (tsapi.isFunctionExpression(target) || tsapi.isArrowFunction(target)) return target;
    if (tsapi.isPropertyAccessExpression(target)) target = target.name;
    else if (tsapi.isElementAccessExpression(target)) target = target.argumentExpression;
    let symbol = checker.getSymbolAtLocation(target);
    if (!symbol) return undefined;
    if (symbol.flags & tsapi.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    for (const decl of symbol.declarations ?? []) {
      const fn = this.functionOfDeclaration(decl, depth);
      if (fn) return fn;
    }
    return undefined;
  }

  private functionOfDeclaration(decl: ts.Declaration, depth: number): ts.Node | undefined {
    const tsapi = typescript();
    // Body-less declarations count in .d.ts files (the package may be opted in); in .ts files they are
    // overload signatures, and the implementation is the next declaration.
    if ((tsapi.isFunctionDeclaration(decl) || tsapi.isMethodDeclaration(decl) || tsapi.isGetAccessorDeclaration(decl)) && (decl.body || decl.getSourceFile().isDeclarationFile)) {
      return decl;
    }
    if (tsapi.isFunctionExpression(decl) || tsapi.isArrowFunction(decl)) return decl;
    if ((tsapi.isVariableDeclaration(decl) || tsapi.isPropertyAssignment(decl) || tsapi.isPropertyDeclaration(decl)) && decl.initializer) {
      return this.functionDeclarationOf(decl.initializer, depth + 1);
    }
    if (tsapi.isShorthandPropertyAssignment(decl)) {
      const value = this.env.checker().getShorthandAssignmentValueSymbol(decl);
      for (const d of value?.declarations ?? []) {
        const fn = this.functionOfDeclaration(d, depth + 1);
        if (fn) return fn;
      }
      return undefined;
    }
    if (tsapi.isExportAssignment(decl)) return this.functionDeclarationOf(decl.expression, depth + 1);
    return undefined;
  }
}

/** The name a function-like declaration is exported under (its own name or its variable's). */
function declaredName(node: ts.Node): string | undefined {
  const tsapi = typescript();
  if ((tsapi.isFunctionDeclaration(node) || tsapi.isMethodDeclaration(node)) && node.name && tsapi.isIdentifier(node.name)) return node.name.text;
  const parent = node.parent;
  if (parent && tsapi.isVariableDeclaration(parent) && tsapi.isIdentifier(parent.name)) return parent.name.text;
  return undefined;
}


function isCatalogueModule(module: string): boolean {
  return MODULE_HAZARDS.some((m) => (m.module.endsWith("/") ? module.startsWith(m.module) : module === m.module || module.startsWith(`${m.module}/`)));
}

/** The function an ESTree node stands for (a method definition's value, etc.). */
function asFunction(node: TSESTree.Node | undefined): FunctionNode | undefined {
  if (!node) return undefined;
  if (isFunctionNode(node)) return node;
  if ("value" in node && node.value && typeof node.value === "object" && isFunctionNode(node.value as TSESTree.Node)) {
    return node.value as FunctionNode;
  }
  return undefined;
}
