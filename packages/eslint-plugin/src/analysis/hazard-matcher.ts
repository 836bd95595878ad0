/**
 * Decides whether one AST node is a non-deterministic operation, using the catalogue in
 * catalogue/hazards.ts, the file's imports and scopes (a local `fetch` is not the global one), and
 * the user's settings. Callers visit nodes; the matcher only looks at the node it is given.
 */
import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/utils";
import {
  GLOBAL_ALIAS_MODULES,
  GLOBAL_HAZARDS,
  GLOBAL_OBJECT_NAMES,
  type GlobalHazard,
  type Hazard,
  type HazardCategory,
  isExcludedIoModule,
  MODULE_HAZARDS,
  type ModuleHazard,
  SYNTAX_HAZARDS,
} from "../catalogue/hazards.js";
import { memberName, resolveVariable, unwrapExpression } from "../util/ast.js";
import type { AnalysisFile } from "./file.js";
import type { ImportBinding } from "./imports.js";
import type { DtcheckSettings } from "./settings.js";

export interface MatchedHazard extends Hazard {
  /** What allow-lists match against: a global path (`process.env`), a module (`axios`), or `module#export`. */
  key: string;
  /** The precise operation: a global path (`crypto.randomUUID`) or `module#export` (`uuid#v4`). */
  id: string;
  /** The node to report (the whole call when the hazard is called). */
  node: TSESTree.Node;
}

/** Anything that recognises a problem at a single node (the catalogue matcher, module state, iteration). */
export interface Detector {
  match(node: TSESTree.Node, file: AnalysisFile): MatchedHazard | undefined;
}

export interface MatcherConfig {
  settings: DtcheckSettings;
  /** Extra modules per category (rule `modules` options, `settings.dtcheck.ioModules`). */
  extraModules: ReadonlyMap<HazardCategory, readonly string[]>;
}

/** Roots of global hazard paths: identifiers worth a scope lookup. */
const GLOBAL_ROOTS = new Set([...GLOBAL_HAZARDS.map((h) => h.path.split(".")[0] as string), ...GLOBAL_OBJECT_NAMES, "require"]);

const ACCESS_BY_PATH = new Map<string, GlobalHazard>();
const CALL_BY_PATH = new Map<string, GlobalHazard[]>();
for (const h of GLOBAL_HAZARDS) {
  if (h.use === "access") ACCESS_BY_PATH.set(h.path, h);
  else CALL_BY_PATH.set(h.path, [...(CALL_BY_PATH.get(h.path) ?? []), h]);
}

export class HazardMatcher implements Detector {
  private readonly moduleHazards: readonly ModuleHazard[];
  private readonly moduleCache = new Map<string, ModuleHazard | null>();

  constructor(private readonly config: MatcherConfig) {
    const extra: ModuleHazard[] = [];
    const whyByCategory = new Map(MODULE_HAZARDS.map((m) => [m.category, m]));
    for (const [category, modules] of config.extraModules) {
      const template = whyByCategory.get(category);
      for (const module of modules) {
        extra.push({
          module,
          category,
          label: module,
          why: template?.why ?? "can answer differently on replay",
          replacement: template?.replacement ?? "activity",
        });
      }
    }
    // User-listed modules first so they win over a catalogue entry of a broader prefix.
    this.moduleHazards = [...extra, ...MODULE_HAZARDS];
  }

  /** True if the user declared this callee path or `module#export` deterministic. */
  isDeclaredDeterministic(names: readonly string[]): boolean {
    return names.some((n) => this.config.settings.deterministic.has(n));
  }

  /**
   * Matches `node` if it is the top of a reference chain (`Date.now` in `Date.now()`, `fs` in
   * `fs.readFileSync(p)`, `fetch` passed as a value) or a call/new/import expression.
   */
  match(node: TSESTree.Node, file: AnalysisFile): MatchedHazard | undefined {
    switch (node.type) {
      case AST_NODE_TYPES.ImportExpression:
        return { ...SYNTAX_HAZARDS.dynamicImport, key: "import()", id: "import()", node };
      case AST_NODE_TYPES.CallExpression:
      case AST_NODE_TYPES.NewExpression:
        return this.matchCallOrNew(node, file);
      case AST_NODE_TYPES.Identifier:
      case AST_NODE_TYPES.MemberExpression:
        return this.matchChain(node, file);
      default:
        return undefined;
    }
  }

  private matchCallOrNew(node: TSESTree.CallExpression | TSESTree.NewExpression, file: AnalysisFile): MatchedHazard | undefined {
    const callee = unwrapExpression(node.callee);
    if (callee.type !== AST_NODE_TYPES.Identifier && callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
    const resolved = this.resolveChain(callee, file);
    if (!resolved) return undefined;
    if (resolved.kind === "global") {
      if (resolved.path === "require" && node.type === AST_NODE_TYPES.CallExpression) {
        const arg = node.arguments[0];
        const literal = arg?.type === AST_NODE_TYPES.Literal || (arg?.type === AST_NODE_TYPES.TemplateLiteral && arg.expressions.length === 0);
        return literal ? undefined : { ...SYNTAX_HAZARDS.dynamicRequire, key: "require()", id: "require()", node };
      }
      const use = node.type === AST_NODE_TYPES.NewExpression ? "new" : "call";
      for (const h of CALL_BY_PATH.get(resolved.path) ?? []) {
        if (h.use === use || (h.use === `${use}-no-args` && node.arguments.length === 0)) {
          if (this.isDeclaredDeterministic([resolved.path])) return undefined;
          return { ...h, key: h.path, id: h.path, node };
        }
      }
    }
    return this.matchDeclared(resolved, node);
  }

  private matchChain(node: TSESTree.Identifier | TSESTree.MemberExpression, file: AnalysisFile): MatchedHazard | undefined {
    if (!isChainTop(node)) return undefined;
    const resolved = this.resolveChain(node, file);
    if (!resolved) return undefined;
    const reportNode = calledOrConstructed(node) ?? node;
    const paths = [resolved.path, ...destructuredPaths(node, resolved.path)];
    if (resolved.kind === "global") {
      for (const path of paths) {
        const h = longestPrefix(path, ACCESS_BY_PATH);
        if (h && !this.isDeclaredDeterministic([h.path, path])) return { ...h, key: h.path, id: h.path, node: reportNode };
      }
      return undefined;
    }
    if (resolved.kind !== "module") return undefined;
    const { binding } = resolved;
    const entry = this.moduleHazard(binding.module);
    if (!entry) return undefined;
    for (const path of paths) {
      const exported = exportedName(binding, path);
      if (entry.exports && !entry.exports.includes(exported)) continue;
      if (entry.safeExports?.includes(exported)) continue;
      const key = `${binding.module}#${exported}`;
      if (this.isDeclaredDeterministic([key, binding.module, path])) return undefined;
      const label = resolved.instance
        ? `${path}() on a "${binding.module}" client`
        : binding.imported === "*" || binding.imported === "default"
          ? `${path}() from "${binding.module}"`
          : `${exported}() from "${binding.module}"`;
      return { ...entry, label, key: binding.module, id: key, node: reportNode };
    }
    return undefined;
  }

  /** Calls the user listed in `settings.dtcheck.nondeterministic`. */
  private matchDeclared(resolved: ResolvedChain, node: TSESTree.Node): MatchedHazard | undefined {
    const declared = this.config.settings.nondeterministic;
    if (declared.size === 0) return undefined;
    const names =
      resolved.kind === "module"
        ? [`${resolved.binding.module}#${exportedName(resolved.binding, resolved.path)}`, resolved.path]
        : [resolved.path];
    for (const name of names) {
      const d = declared.get(name);
      if (d) {
        return {
          category: d.category,
          label: `${resolved.path}()`,
          why: "is declared non-deterministic in settings.dtcheck.nondeterministic",
          replacement: "activity",
          key: name,
          id: name,
          node,
        };
      }
    }
    return undefined;
  }

  /** Also used for local callees: a user-declared non-deterministic function defined in this file. */
  matchDeclaredLocal(path: string, node: TSESTree.Node): MatchedHazard | undefined {
    return this.matchDeclared({ kind: "local", path }, node);
  }

  private moduleHazard(module: string): ModuleHazard | undefined {
    const cached = this.moduleCache.get(module);
    if (cached !== undefined) return cached ?? undefined;
    let found: ModuleHazard | undefined;
    for (const m of this.moduleHazards) {
      const matches = m.module.endsWith("/") ? module.startsWith(m.module) : module === m.module || module.startsWith(`${m.module}/`);
      if (matches && !(m.category === "io" && isExcludedIoModule(module))) {
        found = m;
        break;
      }
    }
    this.moduleCache.set(module, found ?? null);
    return found;
  }

  /** What a chain's root refers to: a global path, a module binding, or something local. */
  private resolveChain(node: TSESTree.Node, file: AnalysisFile): ResolvedChain | undefined {
    const segments: string[] = [];
    let n = unwrapExpression(node);
    while (n.type === AST_NODE_TYPES.MemberExpression) {
      const name = memberName(n);
      if (name === undefined) return undefined;
      segments.unshift(name);
      n = unwrapExpression(n.object);
    }
    if (n.type !== AST_NODE_TYPES.Identifier) return undefined;
    const root = n.name;
    const binding = file.imports.byLocal.get(root);
    if (!binding && !GLOBAL_ROOTS.has(root) && this.config.settings.nondeterministic.size === 0 && !clientNames(file).has(root)) {
      return undefined;
    }
    const variable = resolveVariable(file, n);
    const isGlobal = !variable || (variable.scope.type === "global" && variable.defs.length === 0);
    if (isGlobal) {
      // `globalThis.fetch` is `fetch`.
      const path = GLOBAL_OBJECT_NAMES.has(root) && segments.length > 0 ? segments.join(".") : [root, ...segments].join(".");
      return { kind: "global", path };
    }
    const isModuleBinding =
      binding !== undefined && (variable.scope.type === "module" || variable.scope.type === "global") && !binding.typeOnly;
    if (!isModuleBinding) {
      const client = clientBinding(variable, file);
      if (client) return { kind: "module", binding: client, path: [root, ...segments].join("."), instance: true };
      return { kind: "local", path: [root, ...segments].join(".") };
    }
    const alias = GLOBAL_ALIAS_MODULES[binding.module];
    if (alias !== undefined) {
      // `import { randomUUID } from "node:crypto"` is the global `crypto.randomUUID`.
      const base = binding.imported === "*" || binding.imported === "default" ? alias : [alias, binding.imported].filter(Boolean).join(".");
      return { kind: "global", path: [base, ...segments].filter(Boolean).join(".") };
    }
    return { kind: "module", binding, path: [root, ...segments].join(".") };
  }
}

type ResolvedChain =
  | { kind: "global"; path: string }
  | { kind: "local"; path: string }
  | { kind: "module"; binding: ImportBinding; path: string; instance?: boolean };

const clientNamesCache = new WeakMap<AnalysisFile, ReadonlySet<string>>();

/** Names of top-level `const x = new X(...)` / `x(...)` declarations: the candidates for clientBinding. */
function clientNames(file: AnalysisFile): ReadonlySet<string> {
  let names = clientNamesCache.get(file);
  if (!names) {
    const found = new Set<string>();
    for (const statement of file.ast.body) {
      const decl = statement.type === AST_NODE_TYPES.ExportNamedDeclaration ? statement.declaration : statement;
      if (decl?.type !== AST_NODE_TYPES.VariableDeclaration) continue;
      for (const d of decl.declarations) {
        if (d.id.type !== AST_NODE_TYPES.Identifier || !d.init) continue;
        let init = unwrapExpression(d.init);
        if (init.type === AST_NODE_TYPES.AwaitExpression) init = unwrapExpression(init.argument);
        if (init.type === AST_NODE_TYPES.NewExpression || init.type === AST_NODE_TYPES.CallExpression) found.add(d.id.name);
      }
    }
    names = found;
    clientNamesCache.set(file, names);
  }
  return names;
}

/**
 * A module-level `const db = new Pool(...)` / `createClient(...)` / `await connect(...)` made from an
 * import: uses of `db` are uses of that module (an I/O client stays I/O when stored in a variable).
 */
function clientBinding(variable: { scope: { type: string }; defs: readonly { node: TSESTree.Node }[] }, file: AnalysisFile): ImportBinding | undefined {
  if (variable.scope.type !== "module" && variable.scope.type !== "global") return undefined;
  const declarator = variable.defs[0]?.node;
  if (declarator?.type !== AST_NODE_TYPES.VariableDeclarator || !declarator.init) return undefined;
  let init = unwrapExpression(declarator.init);
  if (init.type === AST_NODE_TYPES.AwaitExpression) init = unwrapExpression(init.argument);
  if (init.type !== AST_NODE_TYPES.NewExpression && init.type !== AST_NODE_TYPES.CallExpression) return undefined;
  let root = unwrapExpression(init.callee);
  while (root.type === AST_NODE_TYPES.MemberExpression) root = unwrapExpression(root.object);
  if (root.type !== AST_NODE_TYPES.Identifier) return undefined;
  const binding = file.imports.byLocal.get(root.name);
  return binding && !binding.typeOnly ? binding : undefined;
}

/** The export a module chain uses: `fs.readFileSync` → readFileSync; `{ v4 }` → v4; `axios(...)` → default. */
function exportedName(binding: ImportBinding, path: string): string {
  if (binding.imported !== "*") return binding.imported;
  const second = path.split(".")[1];
  return second ?? "*";
}

/** The entry whose path equals `path` or is a prefix of it on a `.` boundary (longest wins). */
function longestPrefix(path: string, entries: ReadonlyMap<string, GlobalHazard>): GlobalHazard | undefined {
  let p = path;
  for (;;) {
    const hit = entries.get(p);
    if (hit) return hit;
    const dot = p.lastIndexOf(".");
    if (dot < 0) return undefined;
    p = p.slice(0, dot);
  }
}

/** True for an expression reference that is not itself the object of a longer member chain. */
function isChainTop(node: TSESTree.Identifier | TSESTree.MemberExpression): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (parent.type === AST_NODE_TYPES.MemberExpression && parent.object === node) {
    // `a.b` continues the chain unless the next member is computed with a non-literal.
    return parent.computed && memberName(parent) === undefined;
  }
  if (node.type === AST_NODE_TYPES.MemberExpression) return true;
  return isReferenceIdentifier(node, parent);
}

function isReferenceIdentifier(node: TSESTree.Identifier, parent: TSESTree.Node): boolean {
  switch (parent.type) {
    case AST_NODE_TYPES.MemberExpression:
      return parent.object === node || parent.computed;
    case AST_NODE_TYPES.Property:
      return parent.value === node && (parent.parent?.type !== AST_NODE_TYPES.ObjectPattern);
    case AST_NODE_TYPES.PropertyDefinition:
    case AST_NODE_TYPES.MethodDefinition:
      return parent.value === node || (parent.computed && parent.key === node);
    case AST_NODE_TYPES.VariableDeclarator:
      return parent.init === node;
    case AST_NODE_TYPES.FunctionDeclaration:
    case AST_NODE_TYPES.FunctionExpression:
    case AST_NODE_TYPES.ArrowFunctionExpression:
      return parent.body === node;
    case AST_NODE_TYPES.ClassDeclaration:
    case AST_NODE_TYPES.ClassExpression:
      return parent.superClass === node;
    case AST_NODE_TYPES.ImportSpecifier:
    case AST_NODE_TYPES.ImportDefaultSpecifier:
    case AST_NODE_TYPES.ImportNamespaceSpecifier:
    case AST_NODE_TYPES.ExportSpecifier:
    case AST_NODE_TYPES.LabeledStatement:
    case AST_NODE_TYPES.BreakStatement:
    case AST_NODE_TYPES.ContinueStatement:
    case AST_NODE_TYPES.CatchClause:
    case AST_NODE_TYPES.ArrayPattern:
    case AST_NODE_TYPES.RestElement:
    case AST_NODE_TYPES.TSTypeReference:
    case AST_NODE_TYPES.TSQualifiedName:
      return false;
    case AST_NODE_TYPES.AssignmentPattern:
      return parent.right === node;
    default:
      return !parent.type.startsWith("TS") || isTsExpressionWrapper(parent.type);
  }
}

function isTsExpressionWrapper(type: string): boolean {
  return (
    type === AST_NODE_TYPES.TSAsExpression ||
    type === AST_NODE_TYPES.TSNonNullExpression ||
    type === AST_NODE_TYPES.TSSatisfiesExpression ||
    type === AST_NODE_TYPES.TSTypeAssertion ||
    type === AST_NODE_TYPES.TSInstantiationExpression
  );
}

/** The call/new a chain is the callee of (so the report and any fix cover `Date.now()`, not `Date.now`). */
function calledOrConstructed(node: TSESTree.Node): TSESTree.CallExpression | TSESTree.NewExpression | undefined {
  let n: TSESTree.Node = node;
  while (n.parent && isTsExpressionWrapper(n.parent.type)) n = n.parent;
  const parent = n.parent;
  if ((parent?.type === AST_NODE_TYPES.CallExpression || parent?.type === AST_NODE_TYPES.NewExpression) && parent.callee === n) {
    return parent;
  }
  return undefined;
}

/** `const { randomUUID } = crypto` uses `crypto.randomUUID`. */
function destructuredPaths(node: TSESTree.Node, path: string): string[] {
  const parent = node.parent;
  if (parent?.type !== AST_NODE_TYPES.VariableDeclarator || parent.init !== node || parent.id.type !== AST_NODE_TYPES.ObjectPattern) {
    return [];
  }
  const out: string[] = [];
  for (const prop of parent.id.properties) {
    if (prop.type === AST_NODE_TYPES.Property && !prop.computed && prop.key.type === AST_NODE_TYPES.Identifier) {
      out.push(`${path}.${prop.key.name}`);
    }
  }
  return out;
}

/** Skips TS type-level nodes while walking code (they never run). */
export function isTypeOnlyNode(node: TSESTree.Node): boolean {
  return node.type.startsWith("TS") && !isTsExpressionWrapper(node.type) && node.type !== AST_NODE_TYPES.TSEnumDeclaration &&
    node.type !== AST_NODE_TYPES.TSModuleDeclaration && node.type !== AST_NODE_TYPES.TSParameterProperty;
}
