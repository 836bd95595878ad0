/**
 * The non-deterministic operations in a file's orchestrator code, found in one walk per file and
 * shared by every hazard rule: hazards written in an orchestrator, and hazards in helpers it calls
 * (reported at the call site in the orchestrator, with the chain). Files without orchestrators
 * cost nothing beyond the orchestrator detection's text check.
 */
import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import type { HazardCategory } from "../catalogue/hazards.js";
import { type CalleeResolver, type ResolvedCallee, sameFileResolver } from "./callees.js";
import { type AnalysisFile, lintedFile } from "./file.js";
import { HazardMatcher, type MatchedHazard } from "./hazard-matcher.js";
import { findOrchestrators, type OrchestratorInfo } from "./orchestrators.js";
import { type DtcheckSettings, readSettings, typeCheckedRequested } from "./settings.js";
import { programFile } from "../typed/program-files.js";
import { TypedResolver } from "../typed/typed-resolver.js";
import type { ts } from "../typed/typescript.js";
import { ModuleStateDetector } from "./module-state.js";
import { SummaryEngine } from "./summaries.js";
import { unstableIterationDetector } from "./unstable-iteration.js";
import type { ModuleParser } from "./module-file.js";
import { cacheGeneration } from "../untyped/module-cache.js";
import { UntypedResolver } from "../untyped/untyped-resolver.js";

export interface HazardFinding {
  orchestrator: OrchestratorInfo;
  /** Where to report, in the linted file: the hazard itself, or the call into the helper. */
  reportNode: TSESTree.Node;
  hazard: MatchedHazard;
  /** The file the hazard is in (another file only in type-aware mode). */
  hazardFile: AnalysisFile;
  /** Helpers called on the way, outermost first; empty when the hazard is in the orchestrator. */
  via: readonly ResolvedCallee[];
}

type AnyContext = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;

/** Extra modules a rule's options add to one category. */
export interface ExtraModules {
  category: HazardCategory;
  modules: readonly string[];
}

const cache = new WeakMap<TSESLint.SourceCode, Map<string, readonly HazardFinding[]>>();

/**
 * In type-aware mode one engine (and so one set of per-function summaries) serves every file of a
 * program, for every rule, until the program changes (an edit in the editor makes a new program).
 */
const enginesByProgram = new WeakMap<ts.Program, WeakMap<DtcheckSettings, Map<string, SummaryEngine>>>();

function engineFor(context: AnyContext, settings: DtcheckSettings, extra: ExtraModules | undefined, key: string): SummaryEngine {
  const extraModules = new Map<HazardCategory, readonly string[]>();
  if (settings.ioModules.length > 0) extraModules.set("io", settings.ioModules);
  if (extra && extra.modules.length > 0) {
    extraModules.set(extra.category, [...(extraModules.get(extra.category) ?? []), ...extra.modules]);
  }
  const make = () => {
    const matcher = new HazardMatcher({ settings, extraModules });
    return new SummaryEngine(matcher, sameFileResolver, [new ModuleStateDetector(matcher), unstableIterationDetector]);
  };
  const typed = typedResolverFor(context);
  if (!typed) {
    warnIfTypesExpected(context);
    return untypedEngine(context, settings, key, make);
  }
  let bySettings = enginesByProgram.get(typed.program);
  if (!bySettings) enginesByProgram.set(typed.program, (bySettings = new WeakMap()));
  let byKey = bySettings.get(settings);
  if (!byKey) bySettings.set(settings, (byKey = new Map()));
  let engine = byKey.get(key);
  if (!engine) byKey.set(key, (engine = make()));
  engine.resolver = typed.resolver;
  return engine;
}

/**
 * Without types, one engine per parser, settings and cwd serves every linted file of a run (other
 * files' summaries are shared), until a cached file changes on disk.
 */
let untypedEngines: { generation: number; byParser: WeakMap<object, WeakMap<DtcheckSettings, Map<string, SummaryEngine>>> } = {
  generation: -1,
  byParser: new WeakMap(),
};

function untypedEngine(context: AnyContext, settings: DtcheckSettings, key: string, make: () => SummaryEngine): SummaryEngine {
  const parser = (context.languageOptions?.parser ?? undefined) as ModuleParser | undefined;
  // Without a parser object (ESLint's default espree is still one), only same-file calls are followed.
  if (!parser || (typeof parser.parseForESLint !== "function" && typeof parser.parse !== "function")) return make();
  const generation = cacheGeneration();
  if (untypedEngines.generation !== generation) untypedEngines = { generation, byParser: new WeakMap() };
  let bySettings = untypedEngines.byParser.get(parser);
  if (!bySettings) untypedEngines.byParser.set(parser, (bySettings = new WeakMap()));
  let byKey = bySettings.get(settings);
  if (!byKey) bySettings.set(settings, (byKey = new Map()));
  const engineKey = `${context.cwd}\0${key}`;
  let engine = byKey.get(engineKey);
  if (!engine) {
    engine = make();
    engine.resolver = new UntypedResolver(parser, context.cwd);
    byKey.set(engineKey, engine);
  }
  (engine.resolver as UntypedResolver).setLinted(lintedFile(context.sourceCode), context.physicalFilename);
  return engine;
}

/** The type-checker resolver when the parser gave us a program (and can parse other files). */
function typedResolverFor(context: AnyContext): { program: ts.Program; resolver: CalleeResolver } | undefined {
  const sourceCode = context.sourceCode;
  const services = sourceCode.parserServices;
  const parser = context.languageOptions?.parser as { parseForESLint?: unknown } | undefined;
  if (!services?.program || !services.esTreeNodeToTSNodeMap || !services.tsNodeToESTreeNodeMap) return undefined;
  if (typeof parser?.parseForESLint !== "function") return undefined;
  const { program, esTreeNodeToTSNodeMap, tsNodeToESTreeNodeMap } = services;
  const resolver = new TypedResolver({
    program,
    checker: () => program.getTypeChecker(),
    linted: lintedFile(sourceCode),
    esTreeToTs: (node) => esTreeNodeToTSNodeMap.get(node),
    tsToEsTree: (node) => tsNodeToESTreeNodeMap.get(node),
    parser: parser as Parameters<typeof programFile>[1],
    cwd: context.cwd,
    followPackages: readSettings(context).followPackages,
  });
  return { program, resolver };
}

let warnedNoTypes = false;

/** `recommended-type-checked` without type information: say so once, then work as `recommended`. */
function warnIfTypesExpected(context: AnyContext): void {
  if (warnedNoTypes || !typeCheckedRequested(context)) return;
  warnedNoTypes = true;
  process.emitWarning(
    `@dtcheck/recommended-type-checked has no type information for ${context.filename}: set ` +
      "languageOptions.parserOptions.projectService (or project) with the typescript-eslint parser. " +
      "Until then the untyped analysis is used: it follows imports itself, without the type checker.",
    { code: "DTCHECK_NO_TYPES" },
  );
}

export function hazardFindings(context: AnyContext, extra?: ExtraModules): readonly HazardFinding[] {
  const sourceCode = context.sourceCode;
  const orchestrators = findOrchestrators(context);
  if (orchestrators.size === 0) return [];
  const key = extra && extra.modules.length > 0 ? `${extra.category}:${extra.modules.join(",")}` : "";
  let byKey = cache.get(sourceCode);
  if (!byKey) {
    byKey = new Map();
    cache.set(sourceCode, byKey);
  }
  const cached = byKey.get(key);
  if (cached) return cached;

  const settings = readSettings(context);
  const engine = engineFor(context, settings, extra, key);
  const file = lintedFile(sourceCode);
  const findings: HazardFinding[] = [];
  // A node reached twice (nested orchestrators, two paths) is reported once.
  const reported = new Set<string>();
  for (const orchestrator of orchestrators.values()) {
    const add = (reportNode: TSESTree.Node, hazard: MatchedHazard, hazardFile: AnalysisFile, via: readonly ResolvedCallee[]) => {
      // Written in the orchestrator: one finding per operation and line. Through a helper: one finding
      // per call site and hazard source (module or global), so `fs` used six times deep inside a
      // helper is one message at the call, not six.
      const where = `${reportNode.range[0]}:${reportNode.range[1]}`;
      const id =
        via.length === 0
          ? `${where}:${hazard.id}@${hazard.node.loc.start.line}`
          : `${where}:${hazard.category}:${hazard.key}`;
      if (reported.has(id)) return;
      reported.add(id);
      findings.push({ orchestrator, reportNode, hazard, hazardFile, via });
    };
    engine.visitOrchestrator(orchestrator.node, file, {
      hazard: (hazard) => add(hazard.node, hazard, file, []),
      helperCall: (call, callee, reached) => {
        for (const r of reached) add(call, r.hazard, r.file, [callee, ...r.via]);
      },
    });
  }
  byKey.set(key, findings);
  return findings;
}
