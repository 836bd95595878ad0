/**
 * Cross-file resolution without the type checker for the common case: a function imported from a
 * relative module (through `export function`, `export const`, `export { x as y }`, `export default`,
 * re-exports and `export *` barrels, object members and static methods). Module paths are resolved
 * with TypeScript's own module resolution and the program's options, so it agrees with the checker;
 * anything it cannot pin down returns undefined and the caller asks the checker. Creating a checker
 * for a new program (every edit in the editor) is the expensive part this avoids.
 */
import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/utils";
import { type FunctionNode, isFunctionNode, unwrapExpression } from "../util/ast.js";
import type { ProgramFile } from "./program-files.js";
import { typescript, type ts } from "./typescript.js";

export interface ImportEnvironment {
  program: ts.Program;
  /** The parsed program file for a TS source file (undefined for declaration files). */
  fileFor(sourceFile: ts.SourceFile): ProgramFile | undefined;
}

const resolutionCache = new WeakMap<ts.Program, Map<string, string | null>>();

/** The source file a relative specifier in `fromFile` resolves to. */
export function resolveModuleFile(env: ImportEnvironment, specifier: string, fromFile: string): ts.SourceFile | undefined {
  let cache = resolutionCache.get(env.program);
  if (!cache) resolutionCache.set(env.program, (cache = new Map()));
  const key = `${fromFile}\0${specifier}`;
  let resolved = cache.get(key);
  if (resolved === undefined) {
    const tsapi = typescript();
    const result = tsapi.resolveModuleName(specifier, fromFile, env.program.getCompilerOptions(), tsapi.sys);
    resolved = result.resolvedModule?.resolvedFileName ?? null;
    cache.set(key, resolved);
  }
  if (!resolved) return undefined;
  const sourceFile = env.program.getSourceFile(resolved);
  return sourceFile && !sourceFile.isDeclarationFile ? sourceFile : undefined;
}

/**
 * The function that `exportName` (then `members`, e.g. `stamp` of an exported object) denotes in
 * `file`, following re-exports up to a small depth.
 */
export function findExportedFunction(
  env: ImportEnvironment,
  file: ProgramFile,
  exportName: string,
  members: readonly string[],
  depth = 0,
): { fn: FunctionNode; file: ProgramFile } | undefined {
  if (depth > 8) return undefined;
  for (const statement of file.ast.body) {
    if (statement.type === AST_NODE_TYPES.ExportDefaultDeclaration && exportName === "default") {
      return valueFunction(file, statement.declaration, members);
    }
    if (statement.type === AST_NODE_TYPES.ExportNamedDeclaration) {
      const decl = statement.declaration;
      if (decl && declares(decl, exportName)) return declarationFunction(file, decl, exportName, members);
      for (const spec of statement.specifiers) {
        if (nameOf(spec.exported) !== exportName) continue;
        const local = nameOf(spec.local);
        if (statement.source) {
          const target = reexportTarget(env, file, statement.source.value);
          return target ? findExportedFunction(env, target, local, members, depth + 1) : undefined;
        }
        return localFunction(file, local, members);
      }
    }
    if (statement.type === AST_NODE_TYPES.ExportAllDeclaration && !statement.exported && exportName !== "default") {
      const target = reexportTarget(env, file, statement.source.value);
      const found = target ? findExportedFunction(env, target, exportName, members, depth + 1) : undefined;
      if (found) return found;
    }
  }
  return undefined;
}

function reexportTarget(env: ImportEnvironment, file: ProgramFile, specifier: string): ProgramFile | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const sourceFile = resolveModuleFile(env, specifier, file.fileName);
  return sourceFile ? env.fileFor(sourceFile) : undefined;
}

function nameOf(node: TSESTree.Identifier | TSESTree.StringLiteral): string {
  return node.type === AST_NODE_TYPES.Identifier ? node.name : node.value;
}

function declares(decl: TSESTree.Node, name: string): boolean {
  if (decl.type === AST_NODE_TYPES.FunctionDeclaration || decl.type === AST_NODE_TYPES.ClassDeclaration) return decl.id?.name === name;
  if (decl.type === AST_NODE_TYPES.VariableDeclaration) {
    return decl.declarations.some((d) => d.id.type === AST_NODE_TYPES.Identifier && d.id.name === name);
  }
  return false;
}

/** A top-level (exported or not) declaration named `name` in the file. */
export function localFunction(file: ProgramFile, name: string, members: readonly string[]) {
  for (const statement of file.ast.body) {
    const decl = statement.type === AST_NODE_TYPES.ExportNamedDeclaration ? statement.declaration : statement;
    if (decl && declares(decl, name)) return declarationFunction(file, decl, name, members);
  }
  return undefined;
}

function declarationFunction(file: ProgramFile, decl: TSESTree.Node, name: string, members: readonly string[]) {
  if (decl.type === AST_NODE_TYPES.VariableDeclaration) {
    const d = decl.declarations.find((x) => x.id.type === AST_NODE_TYPES.Identifier && x.id.name === name);
    return d?.init ? valueFunction(file, d.init, members) : undefined;
  }
  return valueFunction(file, decl, members);
}

/** The function a value is, after following `members` through object literals and static methods. */
function valueFunction(file: ProgramFile, node: TSESTree.Node, members: readonly string[]): { fn: FunctionNode; file: ProgramFile } | undefined {
  const n = unwrapExpression(node);
  if (members.length === 0) {
    if (isFunctionNode(n)) return { fn: n, file };
    if (n.type === AST_NODE_TYPES.Identifier) return localFunction(file, n.name, members);
    return undefined;
  }
  const [member, ...rest] = members;
  if (n.type === AST_NODE_TYPES.ObjectExpression) {
    for (const prop of n.properties) {
      if (prop.type === AST_NODE_TYPES.Property && !prop.computed && keyName(prop.key) === member) return valueFunction(file, prop.value, rest);
    }
    return undefined;
  }
  if ((n.type === AST_NODE_TYPES.ClassDeclaration || n.type === AST_NODE_TYPES.ClassExpression) && rest.length === 0) {
    for (const el of n.body.body) {
      if (el.type === AST_NODE_TYPES.MethodDefinition && el.static && !el.computed && keyName(el.key) === member && el.value.type === AST_NODE_TYPES.FunctionExpression) {
        return { fn: el.value, file };
      }
    }
    return undefined;
  }
  if (n.type === AST_NODE_TYPES.Identifier) return localFunction(file, n.name, members);
  return undefined;
}

function keyName(key: TSESTree.Node): string | undefined {
  if (key.type === AST_NODE_TYPES.Identifier) return key.name;
  if (key.type === AST_NODE_TYPES.Literal && typeof key.value === "string") return key.value;
  return undefined;
}
