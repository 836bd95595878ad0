import fc, { type Arbitrary, type Random, type Stream, type Value } from "fast-check";

/** Marks a value that came from a saved history: it is tried as is and not shrunk. */
const FROM_HISTORY = Symbol("from a saved history");

/**
 * An arbitrary that hands out the given examples first, in order, one per draw, then draws from
 * `inner`. One instance per check: its position is what makes the examples come first.
 */
class ExamplesFirst<T> extends fc.Arbitrary<T> {
  private next = 0;

  constructor(
    private readonly examples: readonly T[],
    private readonly inner: Arbitrary<T>,
  ) {
    super();
  }

  generate(mrng: Random, biasFactor: number | undefined): Value<T> {
    if (this.next < this.examples.length) return new fc.Value(this.examples[this.next++]!, FROM_HISTORY);
    return this.inner.generate(mrng, biasFactor);
  }

  canShrinkWithoutContext(value: unknown): value is T {
    return this.inner.canShrinkWithoutContext(value);
  }

  shrink(value: T, context: unknown): Stream<Value<T>> {
    return context === FROM_HISTORY ? fc.Stream.nil() : this.inner.shrink(value, context);
  }
}

/** `inner`, with the examples tried first (none: `inner` itself). */
export function examplesFirst<T>(examples: readonly T[] | undefined, inner: Arbitrary<T>): Arbitrary<T> {
  return examples && examples.length > 0 ? new ExamplesFirst(examples, inner) : inner;
}
