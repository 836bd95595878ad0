import ts from "typescript";

export const PLUGIN_IMPORT = `import dtcheck from "@dtcheck/eslint-plugin";`;
export const PLUGIN_ENTRY = "dtcheck.configs.recommended";

export const NEW_ESLINT_CONFIG = `// ESLint flat config with dtcheck's determinism rules for Durable Task orchestrators.
import tseslint from "typescript-eslint";
${PLUGIN_IMPORT}

export default [
  { files: ["**/*.{ts,tsx,mts,cts}"], languageOptions: { parser: tseslint.parser } },
  ${PLUGIN_ENTRY},
];
`;

export type EslintEdit = { kind: "edited"; text: string } | { kind: "already" } | { kind: "manual"; reason: string };

function unwrap(expression: ts.Expression): ts.Expression {
  let current = expression;
  while (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isSatisfiesExpression(current)) {
    current = current.expression;
  }
  return current;
}

/** Inserts `entry` as the last element of an array literal or last argument of a call, keeping the list's style. */
function appendToList(text: string, list: ts.NodeArray<ts.Expression>, closeTokenEnd: number, entry: string): string {
  const last = list.at(-1);
  if (!last) {
    const insertAt = closeTokenEnd - 1;
    return `${text.slice(0, insertAt)}\n  ${entry},\n${text.slice(insertAt)}`;
  }
  const lineStart = text.lastIndexOf("\n", last.getStart()) + 1;
  const indent = /^\s*/.exec(text.slice(lineStart, last.getStart()))![0];
  const separator = list.hasTrailingComma ? "" : ",";
  const afterLast = list.hasTrailingComma ? text.indexOf(",", last.end) + 1 : last.end;
  const multiline = text.slice(lineStart, last.getStart()).trim() === "";
  const insertion = multiline ? `${separator}\n${indent}${entry},` : `${separator} ${entry}`;
  return text.slice(0, afterLast) + insertion + text.slice(afterLast);
}

/**
 * Adds dtcheck's recommended config to an existing flat config, editing the exported array literal
 * or the arguments of `tseslint.config(...)` / `defineConfig(...)`. Anything else is left to the user.
 */
export function addPluginToEslintConfig(fileName: string, text: string): EslintEdit {
  if (text.includes("@dtcheck/eslint-plugin")) return { kind: "already" };
  if (/\.cjs$/.test(fileName) || /module\.exports\s*=/.test(text)) {
    return { kind: "manual", reason: "it is CommonJS; @dtcheck/eslint-plugin is an ES module, so use an eslint.config.mjs" };
  }
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, fileName.endsWith("ts") ? ts.ScriptKind.TS : ts.ScriptKind.JS);
  const exported = source.statements.find((s): s is ts.ExportAssignment => ts.isExportAssignment(s) && !s.isExportEquals);
  if (!exported) return { kind: "manual", reason: "it has no `export default`" };
  const value = unwrap(exported.expression);
  let edited: string;
  if (ts.isArrayLiteralExpression(value)) {
    edited = appendToList(text, value.elements, value.end, PLUGIN_ENTRY);
  } else if (ts.isCallExpression(value)) {
    edited = appendToList(text, value.arguments, value.end, PLUGIN_ENTRY);
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
