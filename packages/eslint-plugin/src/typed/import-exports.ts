/**
 * Cross-file resolution without the type checker for the common case: a function imported from a
 * relative module (through `export function`, `export const`, `export { x as y }`, `export default`,
 * re-exports and `export *` barrels, object members and static methods). Module paths are resolved
 * with TypeScript's own module resolution and the program's options, so it agrees with the checker;
 * anything it cannot pin down returns undefined and the caller asks the checker. Creating a checker
 * for a new program (every edit in the editor) is the expensive part this avoids.
 */
import type { ExportEnvironment } from "../analysis/exports.js";
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

/** The export environment of a program: relative specifiers through TypeScript's resolution. */
export function programExports(env: ImportEnvironment): ExportEnvironment<ProgramFile> {
  return {
    resolve(specifier, from) {
      if (!specifier.startsWith(".")) return undefined;
      const sourceFile = resolveModuleFile(env, specifier, from.fileName);
      return sourceFile ? env.fileFor(sourceFile) : undefined;
    },
  };
}
