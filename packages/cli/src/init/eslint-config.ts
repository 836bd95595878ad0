import { existsSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

export const PLUGIN_IMPORT = `import dtcheck from "@dtcheck/eslint-plugin";`;
export const PLUGIN_ENTRY = "dtcheck.configs.recommended";
/** Type-aware, for TypeScript files only (JavaScript files keep the untyped analysis). */
export const TYPED_PLUGIN_ENTRY = `{ files: ["**/*.{ts,tsx,mts,cts}"], ...dtcheck.configs["recommended-type-checked"] }`;

/** What dtcheck lint skips in zero-config mode, so the written config lints the same files. */
const IGNORES = `{ ignores: ["**/dist/**", "**/build/**", "**/coverage/**"] }`;

/** Without a tsconfig: the untyped analysis, which follows imports into other files itself. */
export const NEW_ESLINT_CONFIG = `// ESLint flat config with dtcheck's determinism rules for Durable Task orchestrators.
import tseslint from "typescript-eslint";
${PLUGIN_IMPORT}

export default [
  ${IGNORES},
  { files: ["**/*.{ts,tsx,mts,cts}"], languageOptions: { parser: tseslint.parser } },
  ${PLUGIN_ENTRY},
];
`;

/**
 * With a tsconfig: type-aware for TypeScript (orchestrators found by their context's type, calls
 * resolved by the checker, instance methods included), the untyped analysis for JavaScript.
 */
export const NEW_TYPED_ESLINT_CONFIG = `// ESLint flat config with dtcheck's determinism rules for Durable Task orchestrators.
// Type-aware for TypeScript (this project has a tsconfig.json): calls into helpers are resolved
// with the type checker of the program typescript-eslint builds.
import tseslint from "typescript-eslint";
${PLUGIN_IMPORT}

export default [
  ${IGNORES},
  {
    files: ["**/*.{ts,tsx,mts,cts}"],
    languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  },
  ${PLUGIN_ENTRY},
  ${TYPED_PLUGIN_ENTRY},
];
`;

/** The config `dtcheck init` writes for a project: the one that finds the most there. */
export function newEslintConfig(root: string): string {
  return existsSync(path.join(root, "tsconfig.json")) ? NEW_TYPED_ESLINT_CONFIG : NEW_ESLINT_CONFIG;
}

export type EslintEdit = { kind: "edited"; text: string } | { kind: "already" } | { kind: "manual"; reason: string };

function unwrap(expression: ts.Expression): ts.Expression {
  let current = expression;
  while (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isSatisfiesExpression(current)) {
    current = current.expression;
  }
  return current;
}

/** Inserts `entries` as the last elements of an array literal or last arguments of a call, keeping the list's style. */
function appendToList(text: string, list: ts.NodeArray<ts.Expression>, closeTokenEnd: number, entries: readonly string[]): string {
  const last = list.at(-1);
  if (!last) {
    const insertAt = closeTokenEnd - 1;
    return `${text.slice(0, insertAt)}${entries.map((e) => `\n  ${e},`).join("")}\n${text.slice(insertAt)}`;
  }
  const lineStart = text.lastIndexOf("\n", last.getStart()) + 1;
  const indent = /^\s*/.exec(text.slice(lineStart, last.getStart()))![0];
  const separator = list.hasTrailingComma ? "" : ",";
  const afterLast = list.hasTrailingComma ? text.indexOf(",", last.end) + 1 : last.end;
  const multiline = text.slice(lineStart, last.getStart()).trim() === "";
  const insertion = multiline ? `${separator}${entries.map((e) => `\n${indent}${e},`).join("")}` : `${separator} ${entries.join(", ")}`;
  return text.slice(0, afterLast) + insertion + text.slice(afterLast);
}

/**
 * Adds dtcheck's recommended config to an existing flat config, editing the exported array literal
 * or the arguments of `tseslint.config(...)` / `defineConfig(...)`. Anything else is left to the user.
 */
export function addPluginToEslintConfig(fileName: string, text: string, options: { typed?: boolean } = {}): EslintEdit {
  if (text.includes("@dtcheck/eslint-plugin")) return { kind: "already" };
  if (/\.cjs$/.test(fileName) || /module\.exports\s*=/.test(text)) {
    return { kind: "manual", reason: "it is CommonJS; @dtcheck/eslint-plugin is an ES module, so use an eslint.config.mjs" };
  }
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, fileName.endsWith("ts") ? ts.ScriptKind.TS : ts.ScriptKind.JS);
  const exported = source.statements.find((s): s is ts.ExportAssignment => ts.isExportAssignment(s) && !s.isExportEquals);
  if (!exported) return { kind: "manual", reason: "it has no `export default`" };
  const value = unwrap(exported.expression);
  let edited: string;
  // The typed entry needs typescript-eslint's parser, which only a config already using it has.
  const typed = options.typed === true && /typescript-eslint|@typescript-eslint\/parser/.test(text);
  const entries = typed ? [PLUGIN_ENTRY, TYPED_PLUGIN_ENTRY] : [PLUGIN_ENTRY];
  if (ts.isArrayLiteralExpression(value)) {
    edited = appendToList(text, value.elements, value.end, entries);
  } else if (ts.isCallExpression(value)) {
    edited = appendToList(text, value.arguments, value.end, entries);
  } else {
    return { kind: "manual", reason: "its default export is not an array literal or a config(...) call" };
  }
  const imports = source.statements.filter(ts.isImportDeclaration);
  const lastImport = imports.at(-1);
  const importAt = lastImport ? lastImport.end : 0;
  const prefix = lastImport ? "\n" : "";
  const suffix = lastImport ? "" : "\n";
  edited = edited.slice(0, importAt) + `${prefix}${PLUGIN_IMPORT}${suffix}` + edited.slice(importAt);
  return { kind: "edited", text: edited };
}
