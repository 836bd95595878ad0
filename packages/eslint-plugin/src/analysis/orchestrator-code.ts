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
import { readSettings } from "./settings.js";
import { ModuleStateDetector } from "./module-state.js";
import { SummaryEngine } from "./summaries.js";
import { unstableIterationDetector } from "./unstable-iteration.js";

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

/** Hook for the type-aware mode: picks the resolver for a lint context (same-file without types). */
let resolverFactory: (context: AnyContext) => CalleeResolver = () => sameFileResolver;
export function setResolverFactory(factory: (context: AnyContext) => CalleeResolver): void {
  resolverFactory = factory;
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
  const extraModules = new Map<HazardCategory, readonly string[]>();
  if (settings.ioModules.length > 0) extraModules.set("io", settings.ioModules);
  if (extra && extra.modules.length > 0) {
    extraModules.set(extra.category, [...(extraModules.get(extra.category) ?? []), ...extra.modules]);
  }
  const matcher = new HazardMatcher({ settings, extraModules });
  const engine = new SummaryEngine(matcher, resolverFactory(context), [
    new ModuleStateDetector(matcher),
    unstableIterationDetector,
  ]);
  const file = lintedFile(sourceCode);
  const findings: HazardFinding[] = [];
  // A node reached twice (nested orchestrators, two paths) is reported once.
  const reported = new Set<string>();
  for (const orchestrator of orchestrators.values()) {
    const add = (reportNode: TSESTree.Node, hazard: MatchedHazard, hazardFile: AnalysisFile, via: readonly ResolvedCallee[]) => {
      const id = `${reportNode.range[0]}:${reportNode.range[1]}:${hazardFile.displayPath ?? ""}:${hazard.node.range[0]}`;
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
