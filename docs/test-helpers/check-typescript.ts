/**
 * Type-checks self-contained ```ts / ```js snippets with the TypeScript compiler API against the
 * packages installed in the repository (the real SDKs and dtcheck's built `dist` types), all in one
 * program so the whole docs set costs one compilation.
 */
import path from "node:path";
import ts from "typescript";

export interface Snippet {
  /** Unique id, used as the virtual file name. */
  id: string;
  code: string;
  /** `.ts` or `.mjs`. */
  extension: ".ts" | ".mjs";
}

const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ["lib.es2023.d.ts"],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  esModuleInterop: true,
  allowJs: true,
  checkJs: true,
  types: ["node"],
};

/**
 * Returns the diagnostics of each snippet, by id (empty array: it type-checks). Snippets live as
 * virtual files in `<dir>/.snippets/`, so imports resolve from the repository's node_modules and
 * its package.json makes them ES modules.
 */
export function typeCheckSnippets(dir: string, snippets: readonly Snippet[]): Map<string, string[]> {
  const virtualDir = path.join(dir, ".snippets");
  const files = new Map(snippets.map((s) => [path.join(virtualDir, `${s.id}${s.extension}`), s]));
  const host = ts.createCompilerHost(OPTIONS, true);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (file) => files.has(path.resolve(file)) || fileExists.call(host, file);
  host.readFile = (file) => files.get(path.resolve(file))?.code ?? readFile.call(host, file);
  host.getSourceFile = (file, language, onError, create) => {
    const snippet = files.get(path.resolve(file));
    if (snippet) return ts.createSourceFile(file, snippet.code, language, true);
    return getSourceFile.call(host, file, language, onError, create);
  };
  const program = ts.createProgram([...files.keys()], OPTIONS, host);
  const results = new Map<string, string[]>(snippets.map((s) => [s.id, []]));
  const all = [...program.getSyntacticDiagnostics(), ...program.getSemanticDiagnostics(), ...program.getGlobalDiagnostics()];
  for (const diagnostic of all) {
    const file = diagnostic.file ? path.resolve(diagnostic.file.fileName) : undefined;
    const snippet = file ? files.get(file) : undefined;
    const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n").split("\n")[0] ?? "";
    if (!snippet) {
      // A problem outside the snippets (e.g. in an installed .d.ts) is reported against all of them.
      for (const list of results.values()) list.push(`${file ?? "(global)"}: ${text}`);
      continue;
    }
    const position = diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start) : undefined;
    results.get(snippet.id)?.push(`${position ? `line ${position.line + 1}: ` : ""}TS${diagnostic.code} ${text}`);
  }
  return results;
}
