import type { CallSiteSink, SourceLocation } from "../engines/engine.js";

/** A call site reached at run time, by the source location the engine found for it. */
export interface ReachedSite {
  location: SourceLocation;
  method: string;
}

/** One node of the tree of call paths: the calls made so far in an invocation, by method and name. */
interface PathNode {
  children: Map<string, PathNode>;
}

/**
 * Collects the durable call sites the runs of one check reached. A stack per call would cost more
 * than the run itself (several microseconds each, and every invocation replays all earlier calls),
 * so a location is taken only the first time a call path is seen: the sequence of calls (method and
 * name) an invocation has made up to and including this one. Invocations that replay a known path
 * (every later episode of a history, and other worlds that took the same path) take no stack.
 *
 * Why the result can be trusted for verdicts: a site is recorded only when a stack showed the code
 * calling from it, so every reached site is real. Two paths with the same calls could still run
 * through different sites (the same activity called from either branch of an `if`); the second
 * then goes unrecorded, so N can only be under-counted, which can make a verdict inconclusive but
 * never lets an unreached site pass for reached.
 */
export class CoverageRecorder implements CallSiteSink {
  /** Reached sites by "file:line:column". */
  readonly reached = new Map<string, ReachedSite>();
  private readonly root: PathNode = { children: new Map() };
  private node: PathNode = this.root;
  /** Told when a site is reached for the first time (the guided exploration keeps such worlds). */
  onNewSite: (() => void) | undefined;

  beginInvocation(): void {
    this.node = this.root;
  }

  nextCall(method: string, name: string): boolean {
    const key = `${method}\0${name}`;
    const next = this.node.children.get(key);
    if (next) {
      this.node = next;
      return false;
    }
    const created: PathNode = { children: new Map() };
    this.node.children.set(key, created);
    this.node = created;
    return true;
  }

  reach(location: SourceLocation | undefined, method: string): void {
    if (!location) return;
    const key = `${location.file}:${location.line}:${location.column}`;
    if (this.reached.has(key)) return;
    this.reached.set(key, { location, method });
    this.onNewSite?.();
  }
}
