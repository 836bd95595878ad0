/**
 * Which function an import denotes in the file it comes from, syntactically, for both modes:
 * `export function`, `export const`, `export { x as y }`, `export default`, re-exports and
 * `export *` barrels, CommonJS `module.exports` / `exports.x`, object members and static methods.
 * How a specifier becomes a file is the mode's business (`ExportEnvironment.resolve`): TypeScript's
 * module resolution with types, dtcheck's own without.
 */
import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/utils";
import { type CodeUnit, instanceFieldInitialisers, isFunctionNode, memberName, unwrapExpression } from "../util/ast.js";
import { requiredModule } from "./imports.js";
import type { AnalysisFile } from "./file.js";

export interface ExportEnvironment<F extends AnalysisFile> {
  /** The parsed file a specifier written in `from` denotes (undefined: not followed). */
  resolve(specifier: string, from: F): F | undefined;
}

/**
 * The function that `exportName` (then `members`, e.g. `stamp` of an exported object) denotes in
 * `file`, following re-exports up to a small depth.
 */
export function findExportedFunction<F extends AnalysisFile>(
  env: ExportEnvironment<F>,
  file: F,
  exportName: string,
  members: readonly string[],
  depth = 0,
): { fn: CodeUnit; file: F } | undefined {
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
  return commonJsExport(env, file, exportName, members, depth);
}

/**
 * CommonJS: `module.exports = { a, b }` / `= fn` / `= require("./x")`, `exports.a = ...`,
 * `module.exports.a = ...`, and TypeScript's `export =`. `exportName` "default" or "*" is the whole `module.exports` value.
 */
function commonJsExport<F extends AnalysisFile>(
  env: ExportEnvironment<F>,
  file: F,
  exportName: string,
  members: readonly string[],
  depth: number,
): { fn: CodeUnit; file: F } | undefined {
  const whole = exportName === "default" || exportName === "*";
  for (const statement of file.ast.body) {
    // TypeScript's `export = value` is `module.exports = value`.
    const assignment =
      statement.type === AST_NODE_TYPES.TSExportAssignment
        ? { target: "" as string | undefined, right: statement.expression }
        : statement.type === AST_NODE_TYPES.ExpressionStatement && statement.expression.type === AST_NODE_TYPES.AssignmentExpression
          ? { target: exportTarget(statement.expression.left), right: statement.expression.right }
          : undefined;
    if (!assignment) continue;
    const { target, right } = assignment;
    if (target === undefined) continue;
    if (target === "") {
      // `module.exports = require("./impl")`: a re-export.
      const required = requiredModule(right);
      if (required !== undefined) {
        const next = env.resolve(required, file);
        if (next) return findExportedFunction(env, next, exportName, members, depth + 1);
        continue;
      }
      const path = whole ? members : [exportName, ...members];
      const found = valueFunction(file, right, path);
      if (found) return found;
    } else if (!whole && target === exportName) {
      const found = valueFunction(file, right, members);
      if (found) return found;
    }
  }
  return undefined;
}

/** `module.exports` → "", `exports.x` / `module.exports.x` → "x", anything else → undefined. */
function exportTarget(node: TSESTree.Node): string | undefined {
  if (node.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const isModuleExports = (n: TSESTree.Node) =>
    n.type === AST_NODE_TYPES.MemberExpression && n.object.type === AST_NODE_TYPES.Identifier && n.object.name === "module" && memberName(n) === "exports";
  if (isModuleExports(node)) return "";
  const name = memberName(node);
  if (name === undefined) return undefined;
  if (node.object.type === AST_NODE_TYPES.Identifier && node.object.name === "exports") return name;
  return isModuleExports(node.object) ? name : undefined;
}

function reexportTarget<F extends AnalysisFile>(env: ExportEnvironment<F>, file: F, specifier: string): F | undefined {
  return env.resolve(specifier, file);
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
export function localFunction<F extends AnalysisFile>(file: F, name: string, members: readonly string[]): { fn: CodeUnit; file: F } | undefined {
  for (const statement of file.ast.body) {
    const decl = statement.type === AST_NODE_TYPES.ExportNamedDeclaration ? statement.declaration : statement;
    if (decl && declares(decl, name)) return declarationFunction(file, decl, name, members);
  }
  return undefined;
}

function declarationFunction<F extends AnalysisFile>(file: F, decl: TSESTree.Node, name: string, members: readonly string[]): { fn: CodeUnit; file: F } | undefined {
  if (decl.type === AST_NODE_TYPES.VariableDeclaration) {
    const d = decl.declarations.find((x) => x.id.type === AST_NODE_TYPES.Identifier && x.id.name === name);
    return d?.init ? valueFunction(file, d.init, members) : undefined;
  }
  return valueFunction(file, decl, members);
}

/** The function a value is, after following `members` through object literals and static methods. */
function valueFunction<F extends AnalysisFile>(file: F, node: TSESTree.Node, members: readonly string[]): { fn: CodeUnit; file: F } | undefined {
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
  if (n.type === AST_NODE_TYPES.ClassDeclaration || n.type === AST_NODE_TYPES.ClassExpression) {
    // `C.prototype.m` is an instance method (`C.prototype.constructor` the constructor), as in JS.
    if (member === "prototype" && rest.length === 1) return instanceMember(file, n, rest[0] as string, 0);
    if (rest.length > 0) return undefined;
    for (const el of n.body.body) {
      if (el.type === AST_NODE_TYPES.MethodDefinition && el.static && !el.computed && keyName(el.key) === member && el.kind !== "set") {
        return el.value.type === AST_NODE_TYPES.FunctionExpression ? { fn: el.value, file } : undefined;
      }
      // `static make = () => ...`: a static field holding a function.
      if (el.type === AST_NODE_TYPES.PropertyDefinition && el.static && !el.computed && keyName(el.key) === member && el.value) {
        const value = unwrapExpression(el.value);
        return isFunctionNode(value) ? { fn: value, file } : undefined;
      }
    }
    return undefined;
  }
  if (n.type === AST_NODE_TYPES.Identifier) return localFunction(file, n.name, members);
  return undefined;
}

/**
 * An instance method (or arrow-function field, or getter) of a class, looked up the prototype
 * chain through same-file superclasses; "constructor" is the constructor (a class without one runs
 * its field initialisers, or else its superclass's constructor).
 */
export function instanceMember<F extends AnalysisFile>(
  file: F,
  cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression,
  name: string,
  depth: number,
): { fn: CodeUnit; file: F } | undefined {
  if (depth > 8) return undefined;
  for (const el of cls.body.body) {
    if (el.type === AST_NODE_TYPES.MethodDefinition && !el.static && !el.computed && keyName(el.key) === name && el.kind !== "set") {
      return el.value.type === AST_NODE_TYPES.FunctionExpression ? { fn: el.value, file } : undefined;
    }
    if (el.type === AST_NODE_TYPES.PropertyDefinition && !el.static && !el.computed && keyName(el.key) === name && el.value) {
      const value = unwrapExpression(el.value);
      return isFunctionNode(value) ? { fn: value, file } : undefined;
    }
  }
  // No constructor of its own: `new C()` still runs the instance field initialisers.
  if (name === "constructor" && instanceFieldInitialisers(cls).length > 0) return { fn: cls, file };
  const superClass = cls.superClass ? unwrapExpression(cls.superClass) : undefined;
  if (superClass?.type !== AST_NODE_TYPES.Identifier) return undefined;
  for (const statement of file.ast.body) {
    const decl = statement.type === AST_NODE_TYPES.ExportNamedDeclaration || statement.type === AST_NODE_TYPES.ExportDefaultDeclaration ? statement.declaration : statement;
    if (decl?.type === AST_NODE_TYPES.ClassDeclaration && decl.id?.name === superClass.name) return instanceMember(file, decl, name, depth + 1);
  }
  return undefined;
}

function keyName(key: TSESTree.Node): string | undefined {
  if (key.type === AST_NODE_TYPES.Identifier) return key.name;
  if (key.type === AST_NODE_TYPES.Literal && typeof key.value === "string") return key.value;
  return undefined;
}
