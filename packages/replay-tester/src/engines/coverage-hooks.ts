import type { CallSiteSink } from "./engine.js";
import type { Untyped } from "./durabletask/sdk.js";
import { captureCallSites, userFrame } from "./stack.js";

/*
 * Coverage hooks: each SDK's durable context methods are wrapped once (and again if a temporary
 * wrapper, such as event discovery's, replaced the hook and then restored the bare method). The
 * hooks are inert unless a coverage run is in progress: one variable read per call. Checks run one
 * at a time (withEnvironmentLock), so a single current sink is enough.
 */
let currentSink: CallSiteSink | undefined;
/** A durable method calling another (callActivityWithRetry → callActivity) is one call. */
let depth = 0;
const HOOKED = Symbol.for("dtcheck.coverage-hook");

/** Wraps `methods` of `proto` so that a coverage run learns where the user's code called them. */
export function hookCallSites(proto: Untyped, methods: readonly string[], excludedDirs: readonly string[]): void {
  if (!proto) return;
  for (const method of methods) {
    const inner = proto[method];
    if (typeof inner !== "function" || inner[HOOKED]) continue;
    const wrapper = function (this: Untyped, ...args: unknown[]) {
      const sink = depth === 0 ? currentSink : undefined;
      if (sink?.nextCall(method, calledName(args[0]))) sink.reach(userFrame(captureCallSites(), excludedDirs), method);
      depth++;
      try {
        return inner.apply(this, args);
      } finally {
        depth--;
      }
    };
    // The SDKs name calls in their messages by the method's function name.
    Object.defineProperty(wrapper, "name", { value: inner.name });
    Object.defineProperty(wrapper, HOOKED, { value: true });
    proto[method] = wrapper;
  }
}

/** What a call names without formatting anything: a string as is, a function (an activity passed by reference) by its name. */
function calledName(arg: unknown): string {
  if (typeof arg === "string") return arg;
  if (typeof arg === "function") return arg.name;
  return typeof arg;
}

/**
 * Runs one invocation with `sink` told about its durable calls (numbered from 0). `continues`: the
 * run resumes the previous one's code (a session's later step), so its calls follow on from that one's.
 */
export async function withCallSiteSink<T>(sink: CallSiteSink | undefined, run: () => Promise<T>, continues = false): Promise<T> {
  if (!sink) return run();
  const previous = currentSink;
  currentSink = sink;
  if (!continues) sink.beginInvocation();
  try {
    return await run();
  } finally {
    currentSink = previous;
  }
}
