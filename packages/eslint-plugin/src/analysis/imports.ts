/**
 * The module bindings of one file: `import` declarations, `import x = require()` and top-level
 * `require("m")` declarations, keyed by local name. Computed once per SourceCode.
 */
import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/utils";
import { normalizeModule } from "../catalogue/hazards.js";

export interface ImportBinding {
  /** Module specifier without a `node:` prefix. */
  module: string;
  /** `"default"`, `"*"` (namespace or whole `require()` result) or the exported name. */
  imported: string;
  local: string;
  typeOnly: boolean;
}

export interface FileImports {
  byLocal: ReadonlyMap<string, ImportBinding>;
  /** Every module this file imports (values or types). */
  modules: ReadonlySet<string>;
}

const cache = new WeakMap<object, FileImports>();

/** Works on ESLint's SourceCode or anything else holding a parsed Program (`{ ast }`). */
export function fileImports(sourceCode: { readonly ast: TSESTree.Program }): FileImports {
  const cached = cache.get(sourceCode);
  if (cached) return cached;
  const byLocal = new Map<string, ImportBinding>();
  const modules = new Set<string>();
  const add = (binding: ImportBinding) => {
    byLocal.set(binding.local, binding);
    modules.add(binding.module);
  };
  for (const statement of sourceCode.ast.body) {
    if (statement.type === AST_NODE_TYPES.ImportDeclaration) {
      const module = normalizeModule(statement.source.value);
      modules.add(module);
      const declTypeOnly = statement.importKind === "type";
      for (const spec of statement.specifiers) {
        if (spec.type === AST_NODE_TYPES.ImportDefaultSpecifier) {
          add({ module, imported: "default", local: spec.local.name, typeOnly: declTypeOnly });
        } else if (spec.type === AST_NODE_TYPES.ImportNamespaceSpecifier) {
          add({ module, imported: "*", local: spec.local.name, typeOnly: declTypeOnly });
        } else {
          const imported = spec.imported.type === AST_NODE_TYPES.Identifier ? spec.imported.name : spec.imported.value;
          add({ module, imported, local: spec.local.name, typeOnly: declTypeOnly || spec.importKind === "type" });
        }
      }
    } else if (
      statement.type === AST_NODE_TYPES.TSImportEqualsDeclaration &&
      statement.moduleReference.type === AST_NODE_TYPES.TSExternalModuleReference &&
      statement.moduleReference.expression.type === AST_NODE_TYPES.Literal &&
      typeof statement.moduleReference.expression.value === "string"
    ) {
      add({
        module: normalizeModule(statement.moduleReference.expression.value),
        imported: "*",
        local: statement.id.name,
        typeOnly: statement.importKind === "type",
      });
    } else if (statement.type === AST_NODE_TYPES.VariableDeclaration) {
      for (const decl of statement.declarations) addRequire(decl, add);
    }
  }
  const result = { byLocal, modules };
  cache.set(sourceCode, result);
  return result;
}

/** The module of `require("m")` (also `require("m").x`), or undefined. */
export function requiredModule(node: TSESTree.Expression | null): string | undefined {
  if (!node) return undefined;
  let call: TSESTree.Node = node;
  if (call.type === AST_NODE_TYPES.MemberExpression) call = call.object;
  if (
    call.type === AST_NODE_TYPES.CallExpression &&
    call.callee.type === AST_NODE_TYPES.Identifier &&
    call.callee.name === "require" &&
    call.arguments.length === 1 &&
    call.arguments[0]?.type === AST_NODE_TYPES.Literal &&
    typeof call.arguments[0].value === "string"
  ) {
    return normalizeModule(call.arguments[0].value);
  }
  return undefined;
}

function addRequire(decl: TSESTree.VariableDeclarator, add: (b: ImportBinding) => void): void {
  const module = requiredModule(decl.init);
  if (!module || !decl.init) return;
  // `const x = require("m").y` binds export y.
  const member =
    decl.init.type === AST_NODE_TYPES.MemberExpression && decl.init.property.type === AST_NODE_TYPES.Identifier
      ? decl.init.property.name
      : undefined;
  if (decl.id.type === AST_NODE_TYPES.Identifier) {
    add({ module, imported: member ?? "*", local: decl.id.name, typeOnly: false });
  } else if (decl.id.type === AST_NODE_TYPES.ObjectPattern && !member) {
    for (const prop of decl.id.properties) {
      if (
        prop.type === AST_NODE_TYPES.Property &&
        prop.key.type === AST_NODE_TYPES.Identifier &&
        prop.value.type === AST_NODE_TYPES.Identifier
      ) {
        add({ module, imported: prop.key.name, local: prop.value.name, typeOnly: false });
      }
    }
  }
}
