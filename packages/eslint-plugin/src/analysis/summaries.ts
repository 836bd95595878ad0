/**
 * Per-function hazard summaries: every non-deterministic operation a function reaches, directly or
 * through the helpers it calls, with the chain of calls (the shortest one found per hazard).
 *
 * Recursion-free, so a 5,000-helper chain cannot overflow the stack: each function's body is walked
 * once into a list of events (hazards, calls into helpers, callbacks passed to helpers that call
 * them), the call graph reachable from an orchestrator is split into strongly connected components
 * with an iterative Tarjan, and summaries are computed bottom-up, a cycle's members to a fixpoint.
 * Chains are shared linked lists (prepending is O(1)), turned into arrays only at the orchestrator.
 * Calls back into the orchestrator being walked contribute nothing (its own code is reported once);
 * summaries that depended on such a call are not memoized, everything else is, for every file and
 * orchestrator of the run.
 */
import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/utils";
import type { ClassNode, CodeUnit, FunctionNode } from "../util/ast.js";
import { calleeLabel, instanceFieldInitialisers, isClassNode, isFunctionNode, isGetter, resolveVariable, staticPath, unwrapExpression, walk } from "../util/ast.js";
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
  /** `call` is a call, a `new`, or a member read that runs a getter. */
  helperCall(call: HelperCall, callee: ResolvedCallee, reached: readonly ReachedHazard[]): void;
}

/** Where a helper runs: a call, a `new`, or a member read that runs a getter (`clock.now`). */
export type HelperCall = TSESTree.CallExpression | TSESTree.NewExpression | TSESTree.MemberExpression;

/** A chain of calls as a shared linked list, outermost first, with its length. */
interface Chain {
  head: ResolvedCallee;
  tail: Chain | null;
  length: number;
}

const cons = (head: ResolvedCallee, tail: Chain | null): Chain => ({ head, tail, length: 1 + (tail?.length ?? 0) });

function chainArray(chain: Chain | null): ResolvedCallee[] {
  const out: ResolvedCallee[] = [];
  for (let c = chain; c; c = c.tail) out.push(c.head);
  return out;
}

interface Reached {
  hazard: MatchedHazard;
  file: AnalysisFile;
  via: Chain | null;
}

/** Everything a function reaches, by hazard node (the shortest chain kept). */
type Summary = ReadonlyMap<TSESTree.Node, Reached>;

/** One thing a function's body does, in source order. */
type CodeEvent =
  | { kind: "hazard"; hazard: MatchedHazard }
  /** A call into a helper (`prefix` empty) or a callback the helper calls (`prefix` = [callback]). */
  | { kind: "call"; call: HelperCall; callee: ResolvedCallee; target: ResolvedCallee; viaCallback?: ResolvedCallee };

interface GraphNode {
  fn: CodeUnit;
  file: AnalysisFile;
  events: readonly CodeEvent[];
  index: number;
  low: number;
  onStack: boolean;
  /** Calls the excluded orchestrator (directly or through its component). */
  callsRoot: boolean;
}

const EMPTY: Summary = new Map();

export class SummaryEngine {
  /** Weak: in type-aware mode one engine serves a whole program, while linted files come and go. */
  private readonly memo = new WeakMap<CodeUnit, Summary>();
  private readonly eventsMemo = new WeakMap<CodeUnit, readonly CodeEvent[]>();

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
    return [...this.summaryOf(fn, file, undefined).values()].map((r) => ({ hazard: r.hazard, file: r.file, via: chainArray(r.via) }));
  }

  /** Walks an orchestrator; a helper calling back into it does not re-report the orchestrator's own code. */
  visitOrchestrator(root: FunctionNode, file: AnalysisFile, visitor: CodeVisitor): void {
    const events = this.eventsOf(root, file);
    const computed = this.computeFrom(events.flatMap((e) => (e.kind === "call" ? [e.target] : [])), root);
    for (const event of events) {
      if (event.kind === "hazard") {
        visitor.hazard(event.hazard);
        continue;
      }
      const summary = event.target.fn === root ? EMPTY : (this.memo.get(event.target.fn) ?? computed.get(event.target.fn) ?? EMPTY);
      if (summary.size === 0) continue;
      const prefix = event.viaCallback ? cons(event.viaCallback, null) : null;
      visitor.helperCall(
        event.call,
        event.callee,
        [...summary.values()].map((r) => ({ hazard: r.hazard, file: r.file, via: [...chainArray(prefix), ...chainArray(r.via)] })),
      );
    }
  }

  private summaryOf(fn: CodeUnit, file: AnalysisFile, root: FunctionNode | undefined): Summary {
    const cached = this.memo.get(fn);
    if (cached) return cached;
    return this.computeFrom([{ fn, file }], root).get(fn) ?? EMPTY;
  }

  /**
   * Summaries of every function the `start` functions lead to that is not memoized yet: the call graph
   * below them, explored with an explicit stack (Tarjan's algorithm), each component summarised as
   * soon as it is complete. Returns the summaries it computed (memoized ones are in `this.memo`).
   */
  private computeFrom(start: readonly { fn: CodeUnit; file: AnalysisFile }[], root: FunctionNode | undefined): Map<CodeUnit, Summary> {
    const computed = new Map<CodeUnit, Summary>();
    const nodes = new Map<CodeUnit, GraphNode>();
    const stack: GraphNode[] = [];
    let counter = 0;
    const known = (fn: CodeUnit) => fn === root || this.memo.has(fn) || computed.has(fn);

    const open = (target: { fn: CodeUnit; file: AnalysisFile }): GraphNode => {
      const node: GraphNode = {
        fn: target.fn,
        file: target.file,
        events: this.eventsOf(target.fn, target.file),
        index: counter,
        low: counter,
        onStack: true,
        callsRoot: false,
      };
      counter++;
      nodes.set(target.fn, node);
      stack.push(node);
      return node;
    };

    for (const first of start) {
      if (known(first.fn) || nodes.has(first.fn)) continue;
      // Explicit DFS: each frame is a node and the position of the next event to explore.
      const frames: { node: GraphNode; next: number }[] = [{ node: open(first), next: 0 }];
      while (frames.length > 0) {
        const frame = frames[frames.length - 1] as { node: GraphNode; next: number };
        const { node } = frame;
        if (frame.next < node.events.length) {
          const event = node.events[frame.next++] as CodeEvent;
          if (event.kind !== "call") continue;
          const targetFn = event.target.fn;
          if (targetFn === root) {
            node.callsRoot = true;
            continue;
          }
          if (this.memo.has(targetFn)) continue;
          const done = computed.get(targetFn);
          if (done) {
            if (this.tainted.has(done)) node.callsRoot = true;
            continue;
          }
          const seen = nodes.get(targetFn);
          if (!seen) {
            frames.push({ node: open(event.target), next: 0 });
          } else if (seen.onStack) {
            node.low = Math.min(node.low, seen.index);
          }
          continue;
        }
        // All events explored: close the frame.
        frames.pop();
        const parent = frames[frames.length - 1]?.node;
        if (node.low === node.index) {
          const component: GraphNode[] = [];
          for (;;) {
            const member = stack.pop() as GraphNode;
            member.onStack = false;
            component.push(member);
            if (member === node) break;
          }
          this.summarizeComponent(component, computed);
        }
        if (parent) {
          parent.low = Math.min(parent.low, node.low);
          if (node.callsRoot) parent.callsRoot = true;
        }
      }
    }
    return computed;
  }

  /** Summaries computed while an orchestrator's own code was excluded: right for it, not for others. */
  private readonly tainted = new WeakSet<Summary>();

  private summarizeComponent(component: readonly GraphNode[], computed: Map<CodeUnit, Summary>): void {
    const cyclic = component.length > 1 || hasSelfCall(component[0] as GraphNode);
    const current = new Map<CodeUnit, Map<TSESTree.Node, Reached>>();
    const summaryOf = (fn: CodeUnit): Summary | undefined => current.get(fn) ?? this.memo.get(fn) ?? computed.get(fn);
    const callsRoot = component.some((m) => m.callsRoot);
    for (const member of component) current.set(member.fn, new Map());
    // One pass suffices without a cycle; within one, repeat until no chain gets shorter or longer.
    for (let changed = true; changed; ) {
      changed = false;
      for (const member of component) {
        const byNode = current.get(member.fn) as Map<TSESTree.Node, Reached>;
        const keep = (r: Reached) => {
          const existing = byNode.get(r.hazard.node);
          if (!existing || (r.via?.length ?? 0) < (existing.via?.length ?? 0)) {
            byNode.set(r.hazard.node, r);
            changed = true;
          }
        };
        for (const event of member.events) {
          if (event.kind === "hazard") {
            keep({ hazard: event.hazard, file: member.file, via: null });
            continue;
          }
          const inner = summaryOf(event.target.fn);
          if (!inner) continue;
          const prefix = event.viaCallback ? cons(event.viaCallback, null) : null;
          for (const r of inner.values()) {
            // The chain reads `retrying() → loadRates() (src/rates.ts:3) → ...`: retrying calls it.
            const tail = prefix ? cons(prefix.head, r.via) : r.via;
            keep({ hazard: r.hazard, file: r.file, via: cons(event.callee, tail) });
          }
        }
      }
      if (!cyclic) break;
    }
    for (const member of component) {
      const summary = current.get(member.fn) as Summary;
      computed.set(member.fn, summary);
      if (callsRoot) this.tainted.add(summary);
      else this.memo.set(member.fn, summary);
    }
  }

  /**
   * The body's events, once per function: its hazards and the helpers it calls. A constructor's
   * code starts with its class's instance field initialisers (so does a class without one).
   */
  private eventsOf(fn: CodeUnit, file: AnalysisFile): readonly CodeEvent[] {
    const cached = this.eventsMemo.get(fn);
    if (cached) return cached;
    const events: CodeEvent[] = [];
    const cls = isClassNode(fn) ? fn : constructorClass(fn);
    for (const init of cls ? instanceFieldInitialisers(cls) : []) this.collectEvents(init, init, file, events);
    if (!isClassNode(fn)) this.collectEvents(fn, fn, file, events);
    this.eventsMemo.set(fn, events);
    return events;
  }

  private collectEvents(root: TSESTree.Node, fn: TSESTree.Node, file: AnalysisFile, events: CodeEvent[]): void {
    walk(root, file.visitorKeys, (node) => {
      if (node !== root && isTypeOnlyNode(node)) return false;
      if (node !== root && isFunctionNode(node) && isPassedToNonOrchestrator(node)) return false;
      const hazard = this.detect(node, file);
      if (hazard) {
        events.push({ kind: "hazard", hazard });
        return;
      }
      if (node.type === AST_NODE_TYPES.MemberExpression) {
        // `clock.now`, `store.label`, `this.stamp`: reading a getter runs it.
        if (!isGetterReadCandidate(node, file)) return;
        const getter = this.resolver.resolve(node, file);
        if (getter && isGetter(getter.fn) && !(getter.file === file && contains(fn, getter.fn))) {
          const read = { ...getter, label: readLabel(getter.label, node) };
          events.push({ kind: "call", call: node, callee: read, target: read });
        }
        return;
      }
      if (node.type !== AST_NODE_TYPES.CallExpression && node.type !== AST_NODE_TYPES.NewExpression) return;
      const callee = this.resolver.resolve(node.callee, file);
      if (!callee || (callee.file === file && contains(fn, callee.fn))) return;
      const path = staticPath(unwrapExpression(node.callee));
      if (path !== undefined && this.matcher.isDeclaredDeterministic([path])) return;
      const declared = path !== undefined ? this.matcher.matchDeclaredLocal(path, node) : undefined;
      if (declared) {
        events.push({ kind: "hazard", hazard: declared });
        return;
      }
      events.push({ kind: "call", call: node, callee, target: callee });
      this.callbackEvents(fn, node, callee, file, events);
    });
  }

  /**
   * `retrying(loadRates)` where `retrying` calls its parameter: what `loadRates` reaches is reached
   * through `retrying()`. Only functions known statically at this call site; inline functions
   * written in `fn` are part of its code already.
   */
  private callbackEvents(
    fn: TSESTree.Node,
    call: TSESTree.CallExpression | TSESTree.NewExpression,
    callee: ResolvedCallee,
    file: AnalysisFile,
    events: CodeEvent[],
  ): void {
    if (!call.arguments.some(mayDenoteFunction)) return;
    for (const index of this.calledParameters.of(callee.fn, callee.file)) {
      const arg = call.arguments[index];
      if (!arg || !mayDenoteFunction(arg)) continue;
      const callback = this.resolver.resolve(arg, file);
      if (!callback || (callback.file === file && contains(fn, callback.fn))) continue;
      events.push({ kind: "call", call, callee, target: callback, viaCallback: callback });
    }
  }
}

/** A getter in a chain reads as what it is, `clock.now`, not `clock.now()`. */
function readLabel(label: string, read: TSESTree.MemberExpression): string {
  const asCall = calleeLabel(read);
  return label.startsWith(asCall) ? `${asCall.slice(0, -2)}${label.slice(asCall.length)}` : label;
}

/** The class whose constructor `fn` is. */
function constructorClass(fn: FunctionNode): ClassNode | undefined {
  const owner = fn.parent;
  if (owner?.type !== AST_NODE_TYPES.MethodDefinition || owner.kind !== "constructor") return undefined;
  const cls = owner.parent.parent;
  return isClassNode(cls) ? cls : undefined;
}

/**
 * A member read that may run a getter of user code, cheap to tell by syntax: not called, not
 * written, on `this`, or rooted at an import, a class, or a never-reassigned binding initialised
 * with an object literal, `new` or `require()`. Everything else (parameters, the context, globals,
 * locals holding data) is not resolved at all, so ordinary property reads cost nothing.
 */
function isGetterReadCandidate(node: TSESTree.MemberExpression, file: AnalysisFile): boolean {
  const parent = node.parent;
  if ((parent.type === AST_NODE_TYPES.CallExpression || parent.type === AST_NODE_TYPES.NewExpression) && parent.callee === node) return false;
  if (parent.type === AST_NODE_TYPES.AssignmentExpression && parent.left === node) return false;
  if (parent.type === AST_NODE_TYPES.UpdateExpression || (parent.type === AST_NODE_TYPES.UnaryExpression && parent.operator === "delete")) return false;
  if (node.computed && node.property.type !== AST_NODE_TYPES.Literal) return false;
  let root: TSESTree.Node = unwrapExpression(node.object);
  while (root.type === AST_NODE_TYPES.MemberExpression) root = unwrapExpression(root.object);
  if (root.type === AST_NODE_TYPES.ThisExpression) return true;
  if (root.type !== AST_NODE_TYPES.Identifier) return false;
  if (file.imports.byLocal.has(root.name)) return true;
  const def = resolveVariable(file, root)?.defs[0];
  if (!def) return false;
  if (def.type === "ClassName") return true;
  if (def.type !== "Variable" || def.node.type !== AST_NODE_TYPES.VariableDeclarator || !def.node.init) return false;
  const init = unwrapExpression(def.node.init);
  return init.type === AST_NODE_TYPES.ObjectExpression || init.type === AST_NODE_TYPES.NewExpression;
}

/** A one-member component that calls itself is a cycle too. */
function hasSelfCall(node: GraphNode): boolean {
  return node.events.some((e) => e.kind === "call" && e.target.fn === node.fn);
}

/** An argument that may be a function defined elsewhere: a name or a member (`loadRates`, `rates.load`). */
function mayDenoteFunction(arg: TSESTree.Node): boolean {
  const n = unwrapExpression(arg);
  return n.type === AST_NODE_TYPES.Identifier || n.type === AST_NODE_TYPES.MemberExpression;
}

function contains(outer: TSESTree.Node, inner: TSESTree.Node): boolean {
  return inner.range[0] >= outer.range[0] && inner.range[1] <= outer.range[1];
}
