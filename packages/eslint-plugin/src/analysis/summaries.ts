/**
 * Per-function hazard summaries: every non-deterministic operation a function reaches, directly or
 * through the helpers it calls, with the chain of calls. One summary per function (memoized), cycles
 * cut (a function already being summarised contributes nothing new to its own callees), and a
 * summary that depended on an unfinished caller in a cycle is recomputed instead of cached short.
 */
import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/utils";
import type { FunctionNode } from "../util/ast.js";
import { isFunctionNode, staticPath, unwrapExpression, walk } from "../util/ast.js";
import type { CalleeResolver, ResolvedCallee } from "./callees.js";
import { CalledParameters } from "./called-parameters.js";
import type { AnalysisFile } from "./file.js";
import { type Detector, HazardMatcher, isTypeOnlyNode, type MatchedHazard } from "./hazard-matcher.js";
import { isPassedToNonOrchestrator } from "./orchestrators.js";

export interface ReachedHazard {
  hazard: MatchedHazard;
  /** The file the hazard is in. */
  file: AnalysisFile;
  /** The helpers called on the way, outermost first (empty: the hazard is in the function itself). */
  via: readonly ResolvedCallee[];
}

/** What walking one piece of code finds: hazards in it, and calls to helpers with what they reach. */
export interface CodeVisitor {
  hazard(hazard: MatchedHazard): void;
  helperCall(call: TSESTree.CallExpression | TSESTree.NewExpression, callee: ResolvedCallee, reached: readonly ReachedHazard[]): void;
}

/** Recursion deeper than this is cut (each level costs a few stack frames). */
const MAX_DEPTH = 2_000;

export class SummaryEngine {
  /** Weak: in type-aware mode one engine serves a whole program, while linted files come and go. */
  private readonly memo = new WeakMap<FunctionNode, readonly ReachedHazard[]>();
  /** Functions being summarised, with their depth on the stack. */
  private readonly inProgress = new Map<FunctionNode, number>();

  private readonly calledParameters = new CalledParameters(() => this.resolver);

  constructor(
    readonly matcher: HazardMatcher,
    /** Replaced per linted file in type-aware mode (the resolver knows the linted file's node maps). */
    public resolver: CalleeResolver,
    /** Structural detectors (module state, iteration) consulted after the catalogue matcher. */
    readonly detectors: readonly Detector[] = [],
  ) {}

  private detect(node: TSESTree.Node, file: AnalysisFile): MatchedHazard | undefined {
    const hazard = this.matcher.match(node, file);
    if (hazard) return hazard;
    for (const d of this.detectors) {
      const found = d.match(node, file);
      if (found) return found;
    }
    return undefined;
  }

  /** Everything `fn` reaches. */
  summarize(fn: FunctionNode, file: AnalysisFile): readonly ReachedHazard[] {
    return this.summarizeAt(fn, file, 0).reached;
  }

  /**
   * Walks `root` (an orchestrator or a helper) once, reporting each hazard and each call into a
   * helper defined outside `root`. Nested functions are part of the code, except activities passed
   * as values; functions declared deterministic in settings are not followed.
   */
  visitCode(root: FunctionNode, file: AnalysisFile, visitor: CodeVisitor, depth = 0): number {
    let low = Number.POSITIVE_INFINITY;
    walk(root, file.visitorKeys, (node) => {
      if (node !== root && isTypeOnlyNode(node)) return false;
      if (node !== root && isFunctionNode(node) && isPassedToNonOrchestrator(node)) return false;
      const hazard = this.detect(node, file);
      if (hazard) {
        visitor.hazard(hazard);
        return;
      }
      if (node.type !== AST_NODE_TYPES.CallExpression && node.type !== AST_NODE_TYPES.NewExpression) return;
      const callee = this.resolver.resolve(node.callee, file);
      if (!callee || (callee.file === file && contains(root, callee.fn))) return;
      const path = staticPath(unwrapExpression(node.callee));
      if (path !== undefined && this.matcher.isDeclaredDeterministic([path])) return;
      const declared = path !== undefined ? this.matcher.matchDeclaredLocal(path, node) : undefined;
      if (declared) {
        visitor.hazard(declared);
        return;
      }
      const result = this.summarizeAt(callee.fn, callee.file, depth + 1);
      low = Math.min(low, result.low);
      if (result.reached.length > 0) visitor.helperCall(node, callee, result.reached);
      low = Math.min(low, this.visitCallbacks(root, node, callee, file, visitor, depth));
    });
    return low;
  }

  /**
   * `retrying(loadRates)` where `retrying` calls its parameter: what `loadRates` reaches is reached
   * through `retrying()`. Only functions known statically at this call site; inline functions
   * written in `root` are part of its code already.
   */
  private visitCallbacks(
    root: FunctionNode,
    call: TSESTree.CallExpression | TSESTree.NewExpression,
    callee: ResolvedCallee,
    file: AnalysisFile,
    visitor: CodeVisitor,
    depth: number,
  ): number {
    let low = Number.POSITIVE_INFINITY;
    if (!call.arguments.some(mayDenoteFunction)) return low;
    for (const index of this.calledParameters.of(callee.fn, callee.file)) {
      const arg = call.arguments[index];
      if (!arg || !mayDenoteFunction(arg)) continue;
      const callback = this.resolver.resolve(arg, file);
      if (!callback || (callback.file === file && contains(root, callback.fn))) continue;
      const result = this.summarizeAt(callback.fn, callback.file, depth + 1);
      low = Math.min(low, result.low);
      if (result.reached.length === 0) continue;
      // The chain reads `retrying() → loadRates() (src/rates.ts:3) → ...`: retrying calls it.
      visitor.helperCall(call, callee, result.reached.map((r) => ({ ...r, via: [callback, ...r.via] })));
    }
    return low;
  }

  /** Walks an orchestrator; a helper calling back into it does not re-report the orchestrator's own code. */
  visitOrchestrator(root: FunctionNode, file: AnalysisFile, visitor: CodeVisitor): void {
    this.inProgress.set(root, 0);
    try {
      this.visitCode(root, file, visitor, 0);
    } finally {
      this.inProgress.delete(root);
    }
  }

  private summarizeAt(fn: FunctionNode, file: AnalysisFile, depth: number): { reached: readonly ReachedHazard[]; low: number } {
    const cached = this.memo.get(fn);
    if (cached) return { reached: cached, low: Number.POSITIVE_INFINITY };
    const onStack = this.inProgress.get(fn);
    // A cycle back to a function still being summarised: its hazards are collected by that frame.
    if (onStack !== undefined) return { reached: [], low: onStack };
    if (depth > MAX_DEPTH) return { reached: [], low: Number.POSITIVE_INFINITY };

    this.inProgress.set(fn, depth);
    // One entry per hazard node, through the shortest chain found.
    const byNode = new Map<TSESTree.Node, ReachedHazard>();
    const keep = (r: ReachedHazard) => {
      const existing = byNode.get(r.hazard.node);
      if (!existing || r.via.length < existing.via.length) byNode.set(r.hazard.node, r);
    };
    const low = this.visitCode(fn, file, {
      hazard: (hazard) => keep({ hazard, file, via: [] }),
      helperCall: (_call, callee, inner) => {
        for (const r of inner) keep({ hazard: r.hazard, file: r.file, via: [callee, ...r.via] });
      },
    }, depth);
    const reached = [...byNode.values()];
    this.inProgress.delete(fn);
    // Cache unless the result leaned on a caller that was still unfinished (it may be missing
    // hazards that caller reaches); the frame of that caller will be cached complete.
    if (low >= depth) this.memo.set(fn, reached);
    return { reached, low: low >= depth ? Number.POSITIVE_INFINITY : low };
  }
}

/** An argument that may be a function defined elsewhere: a name or a member (`loadRates`, `rates.load`). */
function mayDenoteFunction(arg: TSESTree.Node): boolean {
  const n = unwrapExpression(arg);
  return n.type === AST_NODE_TYPES.Identifier || n.type === AST_NODE_TYPES.MemberExpression;
}

function contains(outer: TSESTree.Node, inner: TSESTree.Node): boolean {
  return inner.range[0] >= outer.range[0] && inner.range[1] <= outer.range[1];
}
