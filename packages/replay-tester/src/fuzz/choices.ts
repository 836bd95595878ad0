import fc, { type Arbitrary, type GeneratorValue } from "fast-check";

/**
 * Every decision the fuzzed world makes, drawn from fast-check so that a failure shrinks to a
 * simpler world. Draws shrink towards 0, and 0 always means the simplest thing (the first pending
 * task, success, no lifecycle event), so a shrunk world reads like the happy path plus one twist.
 */
export interface Choices {
  /** An index in [0, n). */
  pick(n: number): number;
  /** A value from the arbitrary. */
  value<T>(arb: Arbitrary<T>): T;
}

/*
 * fast-check's gen() reuses a shrunk value only when the same arbitrary is drawn at the same
 * position, and caches arbitraries by builder identity; so all index draws share one arbitrary and
 * each user arbitrary gets one stable builder.
 */
const CHOICE: Arbitrary<number> = fc.nat({ max: 0x7fffffff });
const choiceBuilder = () => CHOICE;
const builders = new WeakMap<Arbitrary<unknown>, () => Arbitrary<unknown>>();

function builderFor<T>(arb: Arbitrary<T>): () => Arbitrary<T> {
  let builder = builders.get(arb as Arbitrary<unknown>);
  if (!builder) builders.set(arb as Arbitrary<unknown>, (builder = () => arb as Arbitrary<unknown>));
  return builder as () => Arbitrary<T>;
}

/** One raw index draw (a 31-bit natural) from a fast-check `gen()` value: what `pick` reduces modulo n. */
export function drawIndex(g: GeneratorValue): number {
  return g(choiceBuilder);
}

/** Choices drawn from a fast-check `gen()` value (inside a property). */
export function choicesFrom(g: GeneratorValue): Choices {
  return {
    pick: (n) => (n <= 1 ? 0 : g(choiceBuilder) % n),
    value: (arb) => g(builderFor(arb)),
  };
}
