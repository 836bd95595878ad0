import type { CallSiteSink, SourceLocation } from "../engines/engine.js";

/** A call site reached at run time, by the source location the engine found for it. */
export interface ReachedSite {
  location: SourceLocation;
  method: string;
}

/** One node of the tree of call paths: the calls made so far in an invocation, by method and name. */
interface PathNode {
  children: Map<string, PathNode>;
  /** The last world that took this path and took its stack. */
  lastWorld: number;
}

/**
 * Collects the durable call sites the runs of one check reached. A stack per call would cost more
 * than the run itself (several microseconds each, and every invocation replays all earlier calls),
 * so a location is taken once per world and call path: the sequence of calls (method and name) an
 * invocation has made up to and including this one. Invocations that replay a path their world
 * already took (every later episode of a history, every in-flight prefix drift replays) take no
 * stack. Once per world rather than once: the same calls can come from different sites (`if
 * (input.vip) yield ctx.callActivity("hello", "vip")` before a loop of the same calls), and a path
 * credited to the first world's site alone left the other unreached, depending on the seed.
 *
 * Why the result can be trusted for verdicts: a site is recorded only when a stack showed the code
 * calling from it, so every reached site is real, and a world that runs a path takes its stack.
 */
export class CoverageRecorder implements CallSiteSink {
  /** Reached sites by "file:line:column". */
  readonly reached = new Map<string, ReachedSite>();
  private readonly root: PathNode = { children: new Map(), lastWorld: 0 };
  private node: PathNode = this.root;
  private world = 0;
  /** Told when a site is reached for the first time (the guided exploration keeps such worlds). */
  onNewSite: (() => void) | undefined;

  /** The runs that follow belong to a new world (the checks call it per fuzzed world). */
  beginWorld(): void {
    this.world++;
  }

  beginInvocation(): void {
    this.node = this.root;
  }

  nextCall(method: string, name: string): boolean {
    const key = `${method}\0${name}`;
    let next = this.node.children.get(key);
    if (!next) {
      next = { children: new Map(), lastWorld: -1 };
      this.node.children.set(key, next);
    }
    this.node = next;
    if (next.lastWorld === this.world) return false;
    next.lastWorld = this.world;
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
