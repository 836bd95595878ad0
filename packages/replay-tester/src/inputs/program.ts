import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type ts from "typescript";

export type TypeScript = typeof import("typescript");

/** A type-checked view of one user module and what it imports, built once per module file. */
export interface ModuleProgram {
  ts: TypeScript;
  program: ts.Program;
  checker: ts.TypeChecker;
  /** The user's own source files (not declaration files, not node_modules). */
  sources: ts.SourceFile[];
}

const TS_FILE = /\.[cm]?tsx?$/;
/** JSDoc tags that carry types; a JavaScript file without them has nothing to infer from. */
const JSDOC_TYPES = /@(param|type|typedef|returns?|template)\b/;
const RELATIVE_IMPORT = /(?:from\s*|import\s*\(\s*|require\s*\(\s*)["'](\.{1,2}\/[^"']+)["']/g;
const JS_EXTENSIONS = [".js", ".ts", "/index.js", "/index.ts"];
const SOURCE_FILE = /\.[cm]?[jt]sx?$/;
/** Relative imports followed by the quick check before giving up on a JavaScript project. */
const QUICK_CHECK_FILES = 50;

function resolveRelative(from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  // ESM TypeScript imports "./x.js" for "./x.ts".
  const candidates = [base, base.replace(/\.([cm]?)js$/, ".$1ts"), ...JS_EXTENSIONS.map((extension) => base + extension)];
  return candidates.find((candidate) => SOURCE_FILE.test(candidate) && existsSync(candidate));
}

/**
 * Whether the module or the files it imports (relative imports, a few dozen at most) can carry
 * types: any TypeScript file, or JavaScript with JSDoc type tags. Plain JavaScript is skipped
 * without loading the compiler.
 */
export function hasTypeInformation(modulePath: string): boolean {
  const seen = new Set<string>();
  const queue = [modulePath];
  while (queue.length > 0 && seen.size < QUICK_CHECK_FILES) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (TS_FILE.test(file)) return true;
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    if (JSDOC_TYPES.test(text)) return true;
    for (const match of text.matchAll(RELATIVE_IMPORT)) {
      const resolved = resolveRelative(file, match[1]!);
      if (resolved) queue.push(resolved);
    }
  }
  return false;
}

/** The project's compiler options (nearest tsconfig.json), adjusted to read rather than build. */
function compilerOptions(ts: TypeScript, modulePath: string): ts.CompilerOptions {
  const defaults: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true };
  let options = defaults;
  const configFile = ts.findConfigFile(path.dirname(modulePath), ts.sys.fileExists);
  if (configFile) {
    const parsed = ts.getParsedCommandLineOfConfigFile(configFile, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
    if (parsed) options = parsed.options;
  }
  // The DOM declarations are a third of the lib's parse time and describe nothing an orchestrator receives.
  const lib = options.lib?.filter((name) => !/dom/i.test(name));
  return {
    ...options,
    lib: lib?.length ? lib : ["lib.es2023.d.ts"],
    allowJs: true,
    checkJs: false,
    noEmit: true,
    skipLibCheck: true,
    // Ambient @types packages (node, jest...) are not needed to read the orchestrator's own types.
    types: [],
    incremental: false,
    composite: false,
    declaration: false,
    sourceMap: false,
    // A bad tsconfig must not make inference throw; the types we can read are still useful.
    noEmitOnError: false,
  };
}

/**
 * Declaration packages that describe transport and runtime internals (protobuf messages, gRPC,
 * Node's own API), never the values an orchestrator is given: served empty, which makes a program
 * over an SDK-importing module several times cheaper to build. A type that refers into them reads as
 * unknown, and falls back to generated JSON.
 */
const IRRELEVANT_DECLARATIONS = /\/node_modules\/(@types\/node|google-protobuf|@grpc|protobufjs|@bufbuild|@opentelemetry|long)\/|_pb\.d\.ts$/;

/** Parsed library and package declarations, shared by every program this process builds. */
const sharedSources = new Map<string, ts.SourceFile>();

function compilerHost(ts: TypeScript, options: ts.CompilerOptions): ts.CompilerHost {
  const host = ts.createCompilerHost(options, true);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const shared = fileName.includes("/node_modules/");
    if (!shared) return read(fileName, languageVersion, onError, shouldCreate);
    const key = `${fileName}\0${typeof languageVersion === "object" ? languageVersion.languageVersion : languageVersion}`;
    let source = sharedSources.get(key);
    if (!source) {
      source = IRRELEVANT_DECLARATIONS.test(fileName) ? ts.createSourceFile(fileName, "export {};", languageVersion) : read(fileName, languageVersion, onError, shouldCreate);
      if (source) sharedSources.set(key, source);
    }
    return source;
  };
  return host;
}

let compiler: TypeScript | null | undefined;

/**
 * The TypeScript compiler, loaded on first use (not at all for plain JavaScript projects). Through
 * require: an ESM import would first scan all 9 MB of it for named exports.
 */
function loadCompiler(): TypeScript | undefined {
  if (compiler === undefined) {
    try {
      compiler = createRequire(import.meta.url)("typescript") as TypeScript;
    } catch {
      compiler = null;
    }
  }
  return compiler ?? undefined;
}

const programs = new Map<string, Promise<ModuleProgram | undefined>>();

/**
 * The program for one module file, created on first request and cached (every orchestrator of a
 * module, and every check run in one process, share it). Undefined when the module has no types.
 */
export function moduleProgram(modulePath: string): Promise<ModuleProgram | undefined> {
  const file = path.resolve(modulePath);
  let cached = programs.get(file);
  if (!cached) {
    cached = build(file);
    programs.set(file, cached);
  }
  return cached;
}

async function build(file: string): Promise<ModuleProgram | undefined> {
  if (!existsSync(file) || !hasTypeInformation(file)) return undefined;
  const ts = loadCompiler();
  if (!ts) return undefined;
  const options = compilerOptions(ts, file);
  const program = ts.createProgram({ rootNames: [file], options, host: compilerHost(ts, options) });
  const sources = program.getSourceFiles().filter((s) => !s.isDeclarationFile && !s.fileName.includes("/node_modules/"));
  return { ts, program, checker: program.getTypeChecker(), sources };
}
