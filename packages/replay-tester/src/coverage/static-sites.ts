/**
 * The durable call sites an orchestrator's code contains, found statically with the TypeScript
 * parser (no type checker, no program: one parse per file): the orchestrator function is located
 * through its registration (or its name), and every call of a durable context method in it, in the
 * callbacks it contains and in the helpers it calls (same file or relative imports, followed
 * transitively), is one site.
 *
 * Why this is a sound total for "N of M reached": every durable call the SDK sees is made by a
 * call expression naming one of the wrapped context methods; every such expression in the code the
 * orchestrator can run is counted, whatever receiver it is called on (a helper's parameter, an
 * alias) and whatever condition guards it, so M over-approximates the sites a run can reach. What
 * the parse cannot follow (a helper in a package, a call through a computed property or a class
 * method) is found at run time instead: a reached site the parse did not list is added to M, so
 * N <= M always holds and nothing reached is left uncounted.
 */
import { readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import type ts from "typescript";
import { sourceOf } from "../files/original-source.js";
import { DURABLE_CALL_METHODS } from "@dtcheck/sdk-catalogue";
import type { DurableCall, OrchestratorTarget, SourceLocation } from "../engines/engine.js";

let loaded: typeof ts | undefined;
/** TypeScript is loaded on first use: replay and record never need it. */
function typescript(): typeof ts {
  loaded ??= createRequire(import.meta.url)("typescript") as typeof ts;
  return loaded;
}

/**
 * Context methods that make a durable call, in every SDK dtcheck replays: the same list the lint
 * plugin uses (it lives once, in @dtcheck/sdk-catalogue); the engines record these at run time.
 */
export const DURABLE_METHODS: ReadonlySet<string> = DURABLE_CALL_METHODS;

/** Methods whose first argument names what is called (activity, orchestrator, event, entity). */
const NAMELESS = new Set(["createTimer", "callHttp"]);

export interface CallSite {
  file: string;
  line: number;
  column: number;
  /** The context method, e.g. `callActivity`. */
  method: string;
  /** What is called, as written: a string literal's value, else the argument's text (`validateOrder`). */
  name?: string;
  /** The conditions the call is behind, outermost first, as written (`if (!valid)` → `!valid`, `else of …`). */
  conditions: string[];
  /** Behind a check of the instance's version: instances started by an older version never reach it, by design. */
  versionGated: boolean;
}

export interface StaticCallSites {
  /** The orchestrator function, when the parse found it (otherwise `sites` is empty and M is unknown). */
  function?: { file: string; line: number };
  sites: CallSite[];
}

interface ParsedFile {
  file: string;
  sf: ts.SourceFile;
  mtimeMs: number;
}

const parsed = new Map<string, ParsedFile>();
const results = new Map<string, { mtimes: Map<string, number>; value: StaticCallSites }>();

function parse(file: string): ParsedFile | undefined {
  let mtimeMs: number;
  try {
    mtimeMs = statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
  const cached = parsed.get(file);
  if (cached && cached.mtimeMs === mtimeMs) return cached;
  const t = typescript();
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const kind = /\.[cm]?tsx?$/.test(file) ? (file.endsWith("x") ? t.ScriptKind.TSX : t.ScriptKind.TS) : t.ScriptKind.JS;
  const entry = { file, sf: t.createSourceFile(file, text, t.ScriptTarget.Latest, true, kind), mtimeMs };
  parsed.set(file, entry);
  return entry;
}

const EXTENSIONS = ["", ".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs", "/index.ts", "/index.js"];

/** A relative import's file: `./x.js` may be `./x.ts` on disk (TypeScript's ESM convention). */
function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const base = resolve(dirname(from), specifier);
  const stem = base.replace(/\.[cm]?jsx?$/, "");
  for (const candidate of [base, ...EXTENSIONS.map((ext) => stem + ext)]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  return undefined;
}

type FunctionLike = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration;

interface Located {
  fn: FunctionLike;
  file: ParsedFile;
}

/** Orchestrator registrations: method → [function argument, name argument]. */
const REGISTRATIONS = new Map<string, [number, number | undefined]>([
  ["addOrchestrator", [0, undefined]],
  ["addNamedOrchestrator", [1, 0]],
  ["registerWorkflow", [0, undefined]],
  ["registerWorkflowWithName", [1, 0]],
  ["orchestration", [1, 0]],
  ["orchestrator", [0, undefined]],
]);

class SiteFinder {
  private readonly t = typescript();
  readonly sites = new Map<string, CallSite>();
  private readonly visited = new Set<ts.Node>();
  readonly files = new Set<string>();

  /** A function a call or registration refers to: written inline, a local declaration, or a relative import. */
  resolveFunction(expr: ts.Expression, file: ParsedFile, depth = 0): Located | undefined {
    const t = this.t;
    if (depth > 8) return undefined;
    while (t.isParenthesizedExpression(expr) || t.isAsExpression(expr) || t.isSatisfiesExpression(expr) || t.isNonNullExpression(expr)) expr = expr.expression;
    if (t.isFunctionExpression(expr) || t.isArrowFunction(expr)) return { fn: expr, file };
    if (t.isObjectLiteralExpression(expr)) {
      // durable-functions: df.app.orchestration(name, { handler })
      for (const property of expr.properties) {
        if (property.name && t.isIdentifier(property.name) && property.name.text === "handler") {
          if (t.isPropertyAssignment(property)) return this.resolveFunction(property.initializer, file, depth + 1);
          if (t.isShorthandPropertyAssignment(property)) return this.resolveName(property.name.text, file, depth + 1);
          if (t.isMethodDeclaration(property)) return { fn: property, file };
        }
      }
      return undefined;
    }
    if (t.isCallExpression(expr)) {
      // A wrapper such as df.orchestrator(function* ...): the function it is given.
      for (const arg of expr.arguments) {
        const found = this.resolveFunction(arg, file, depth + 1);
        if (found) return found;
      }
      return undefined;
    }
    if (t.isIdentifier(expr)) return this.resolveName(expr.text, file, depth + 1);
    return undefined;
  }

  /** A top-level declaration of `name` in the file, or the function a relative import of it names. */
  resolveName(name: string, file: ParsedFile, depth: number): Located | undefined {
    const t = this.t;
    for (const statement of file.sf.statements) {
      if (t.isFunctionDeclaration(statement) && statement.name?.text === name && statement.body) return { fn: statement, file };
      if (t.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          if (t.isIdentifier(declaration.name) && declaration.name.text === name && declaration.initializer) {
            return this.resolveFunction(declaration.initializer, file, depth + 1);
          }
        }
      }
      if (t.isImportDeclaration(statement) && t.isStringLiteral(statement.moduleSpecifier) && statement.importClause?.namedBindings) {
        const bindings = statement.importClause.namedBindings;
        if (!t.isNamedImports(bindings)) continue;
        for (const element of bindings.elements) {
          if (element.name.text !== name) continue;
          const target = resolveImport(file.file, statement.moduleSpecifier.text);
          const other = target ? parse(target) : undefined;
          return other ? this.resolveName(element.propertyName?.text ?? name, other, depth + 1) : undefined;
        }
      }
    }
    return undefined;
  }

  /** The orchestrator function registered (or declared) under `name`, searched in the module and the files it imports. */
  locate(name: string, entry: ParsedFile): Located | undefined {
    const t = this.t;
    const queue = [entry];
    const seen = new Set<string>([entry.file]);
    let byName: Located | undefined;
    while (queue.length > 0) {
      const file = queue.shift()!;
      let found: Located | undefined;
      const visit = (node: ts.Node): void => {
        if (found) return;
        if (t.isCallExpression(node) && t.isPropertyAccessExpression(node.expression)) {
          const registration = REGISTRATIONS.get(node.expression.name.text);
          if (registration) {
            const [fnArg, nameArg] = registration;
            const fnExpr = node.arguments[fnArg];
            const nameExpr = nameArg === undefined ? undefined : node.arguments[nameArg];
            const named =
              nameExpr !== undefined
                ? t.isStringLiteralLike(nameExpr) && nameExpr.text === name
                : fnExpr !== undefined && ((t.isIdentifier(fnExpr) && fnExpr.text === name) || ((t.isFunctionExpression(fnExpr) || t.isFunctionDeclaration(fnExpr)) && fnExpr.name?.text === name));
            if (named && fnExpr) found = this.resolveFunction(fnExpr, file);
          }
        }
        t.forEachChild(node, visit);
      };
      visit(file.sf);
      if (found) return found;
      byName ??= this.resolveName(name, file, 0);
      for (const statement of file.sf.statements) {
        if ((t.isImportDeclaration(statement) || t.isExportDeclaration(statement)) && statement.moduleSpecifier && t.isStringLiteral(statement.moduleSpecifier)) {
          const target = resolveImport(file.file, statement.moduleSpecifier.text);
          if (target && !seen.has(target)) {
            seen.add(target);
            const other = parse(target);
            if (other) queue.push(other);
          }
        }
      }
    }
    return byName;
  }

  /** Every durable call in `fn` (its nested callbacks included) and in the helpers it calls. */
  collect(located: Located, outer: string[]): void {
    if (this.visited.has(located.fn)) return;
    this.visited.add(located.fn);
    this.files.add(located.file.file);
    if (located.fn.body) this.walk(located.fn.body, located.file, outer);
  }

  private text(node: ts.Node, sf: ts.SourceFile): string {
    const raw = node.getText(sf).replace(/\s+/g, " ").trim();
    return raw.length > 80 ? `${raw.slice(0, 77)}...` : raw;
  }

  private walk(node: ts.Node, file: ParsedFile, conditions: string[]): void {
    const t = this.t;
    const sf = file.sf;
    const under = (child: ts.Node | undefined, condition: string) => child && this.walk(child, file, [...conditions, condition]);
    if (t.isIfStatement(node)) {
      this.walk(node.expression, file, conditions);
      const test = this.text(node.expression, sf);
      under(node.thenStatement, test);
      under(node.elseStatement, `not (${test})`);
      return;
    }
    if (t.isConditionalExpression(node)) {
      this.walk(node.condition, file, conditions);
      const test = this.text(node.condition, sf);
      under(node.whenTrue, test);
      under(node.whenFalse, `not (${test})`);
      return;
    }
    if (t.isBinaryExpression(node) && (node.operatorToken.kind === t.SyntaxKind.AmpersandAmpersandToken || node.operatorToken.kind === t.SyntaxKind.BarBarToken || node.operatorToken.kind === t.SyntaxKind.QuestionQuestionToken)) {
      this.walk(node.left, file, conditions);
      const left = this.text(node.left, sf);
      const op = node.operatorToken.kind;
      under(node.right, op === t.SyntaxKind.AmpersandAmpersandToken ? left : op === t.SyntaxKind.BarBarToken ? `not (${left})` : `${left} is null or undefined`);
      return;
    }
    if (t.isCaseClause(node)) {
      for (const statement of node.statements) under(statement, `${this.text((node.parent.parent as ts.SwitchStatement).expression, sf)} is ${this.text(node.expression, sf)}`);
      return;
    }
    if (t.isForOfStatement(node) || t.isForInStatement(node)) {
      this.walk(node.expression, file, conditions);
      under(node.statement, `${this.text(node.expression, sf)} is not empty`);
      return;
    }
    if (t.isWhileStatement(node) || t.isDoStatement(node)) {
      this.walk(node.expression, file, conditions);
      under(node.statement, `while ${this.text(node.expression, sf)}`);
      return;
    }
    if (t.isCatchClause(node)) {
      under(node.block, "an earlier call in the try block failed");
      return;
    }
    if (t.isBlock(node) || t.isSourceFile(node) || t.isDefaultClause(node)) {
      // `if (!ok) return;` guards everything after it in the block.
      let guards = conditions;
      for (const statement of node.statements) {
        this.walk(statement, file, guards);
        if (t.isIfStatement(statement) && !statement.elseStatement && exits(t, statement.thenStatement)) {
          guards = [...guards, `not (${this.text(statement.expression, sf)})`];
        }
      }
      return;
    }
    if (t.isCallExpression(node)) this.call(node, file, conditions);
    t.forEachChild(node, (child) => this.walk(child, file, conditions));
  }

  private call(node: ts.CallExpression, file: ParsedFile, conditions: string[]): void {
    const t = this.t;
    const sf = file.sf;
    const callee = node.expression;
    if (t.isPropertyAccessExpression(callee) && DURABLE_METHODS.has(callee.name.text)) {
      const method = callee.name.text;
      const position = sf.getLineAndCharacterOfPosition(callee.name.getStart(sf));
      const site: CallSite = {
        file: file.file,
        line: position.line + 1,
        column: position.character + 1,
        method,
        conditions,
        versionGated: conditions.some((c) => /\bcompareVersionTo\b|\.version\b|\bgetVersion\b/.test(c)),
      };
      const name = NAMELESS.has(method) ? undefined : nameOf(t, node, method, sf);
      if (name !== undefined) site.name = name;
      const key = `${site.file}:${site.line}:${site.column}`;
      if (!this.sites.has(key)) this.sites.set(key, site);
      return;
    }
    // A helper: `step(ctx)`, `yield* step(ctx)`; its sites are behind the call's own conditions.
    if (t.isIdentifier(callee)) {
      const helper = this.resolveName(callee.text, file, 0);
      if (helper) this.collect(helper, conditions);
    }
  }
}

/** Whether a statement always leaves the block (return, throw, break, continue), so what follows runs only when it did not. */
function exits(t: typeof ts, statement: ts.Statement): boolean {
  if (t.isReturnStatement(statement) || t.isThrowStatement(statement) || t.isBreakStatement(statement) || t.isContinueStatement(statement)) return true;
  if (t.isBlock(statement)) {
    const last = statement.statements[statement.statements.length - 1];
    return last !== undefined && exits(t, last);
  }
  return false;
}

function nameOf(t: typeof ts, node: ts.CallExpression, method: string, sf: ts.SourceFile): string | undefined {
  const argText = (arg: ts.Expression | undefined) => (arg === undefined ? undefined : t.isStringLiteralLike(arg) ? arg.text : arg.getText(sf));
  // Entity calls name the entity and the operation.
  if (method === "callEntity" || method === "signalEntity") return [argText(node.arguments[0]), argText(node.arguments[1])].filter((a) => a !== undefined).join(" ");
  return argText(node.arguments[0]);
}

/**
 * The durable call sites of one orchestrator, cached per module and name until a file it was read
 * from changes. Empty (with no `function`) when the module's source cannot be read or the
 * orchestrator's function cannot be found in it.
 */
export function staticCallSites(target: OrchestratorTarget): StaticCallSites {
  const modulePath = sourceOf(target);
  if (!modulePath) return { sites: [] };
  const key = `${modulePath}\0${target.name}`;
  const cached = results.get(key);
  if (cached && [...cached.mtimes].every(([file, mtime]) => parse(file)?.mtimeMs === mtime)) return cached.value;
  const entry = parse(modulePath);
  if (!entry) return { sites: [] };
  const finder = new SiteFinder();
  const located = finder.locate(target.name, entry);
  const value: StaticCallSites = { sites: [] };
  if (located) {
    finder.collect(located, []);
    const start = located.file.sf.getLineAndCharacterOfPosition(located.fn.getStart(located.file.sf));
    value.function = { file: located.file.file, line: start.line + 1 };
    value.sites = [...finder.sites.values()].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  }
  const mtimes = new Map<string, number>([[modulePath, entry.mtimeMs]]);
  for (const file of finder.files) mtimes.set(file, parse(file)?.mtimeMs ?? -1);
  results.set(key, { mtimes, value });
  return value;
}

/** Where a site is, as findings anchor it. */
export function siteLocation(site: CallSite): SourceLocation {
  return { file: site.file, line: site.line, column: site.column };
}

/** Where the orchestrator function starts, when the parse found it. */
export function functionLocation(statics: StaticCallSites): SourceLocation | undefined {
  return statics.function && { file: statics.function.file, line: statics.function.line, column: 1 };
}

/** The source location of the first of `calls` that exactly one site of the code makes (see siteMaking). */
export function locateBySource(statics: StaticCallSites, ...calls: (DurableCall | undefined)[]): SourceLocation | undefined {
  for (const call of calls) {
    const site = siteMaking(statics, call);
    if (site) return siteLocation(site);
  }
  return undefined;
}

/** The context methods that make each kind of durable call dtcheck can locate by its source. */
const METHODS_OF_KIND: Partial<Record<DurableCall["kind"], RegExp>> = {
  activity: /^callActivity/,
  subOrchestration: /^call(Sub|Child)/,
  timer: /^createTimer$/,
};

/**
 * The one site in the code that makes `call` (an activity or sub-orchestration by its name, a
 * timer), when exactly one does: where a run left no stack to locate the call by (the other run of
 * a comparison made something else instead, or the engine takes no stacks).
 */
export function siteMaking(statics: StaticCallSites, call: DurableCall | undefined): CallSite | undefined {
  const method = call && METHODS_OF_KIND[call.kind];
  if (!method) return undefined;
  // Timers have no name; the other kinds must match theirs.
  const matching = statics.sites.filter((site) => method.test(site.method) && (call.kind === "timer" || (call.name !== undefined && site.name === call.name)));
  return matching.length === 1 ? matching[0] : undefined;
}

/** A process.env setting a condition reads, and the value it compares it with, when it does. */
export interface EnvSetting {
  name: string;
  /** The string it is compared with (`process.env.FRAUD_CHECK === "on"` → "on"). */
  value?: string;
}

const ENV_READ = String.raw`process\.env(?:\.(\w+)|\[\s*["'\x60](\w+)["'\x60]\s*\])`;
const ENV_COMPARED = new RegExp(String.raw`${ENV_READ}\s*[!=]==?\s*(["'\x60])([^"'\x60]*)\3|(["'\x60])([^"'\x60]*)\5\s*[!=]==?\s*${ENV_READ}`, "g");

/** A condition that reads the clock or randomness itself: no input reaches what is behind it reliably. */
export function readsClockOrRandomness(condition: string): boolean {
  return /\bDate\.now\(|\bnew Date\(\)|\bperformance\.now\(|\bMath\.random\(|\brandomUUID\(/.test(condition);
}

/** The process.env settings a condition (as the parse writes it) reads, with the values it compares them with. */
export function envSettingsIn(condition: string): EnvSetting[] {
  const settings: EnvSetting[] = [];
  for (const m of condition.matchAll(ENV_COMPARED)) {
    const name = m[1] ?? m[2] ?? m[7] ?? m[8];
    if (name) settings.push({ name, value: m[4] ?? m[6] });
  }
  for (const m of condition.matchAll(new RegExp(ENV_READ, "g"))) {
    const name = m[1] ?? m[2];
    if (name && !settings.some((s) => s.name === name)) settings.push({ name });
  }
  return settings;
}
