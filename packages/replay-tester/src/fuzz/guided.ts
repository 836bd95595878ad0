import type { Arbitrary } from "fast-check";
import type { Choices } from "./choices.js";

/** One draw a world made: an index draw (its raw value, before `% n`) or a value from an arbitrary. */
type Draw = { pick: number } | { arb: Arbitrary<unknown>; value: unknown };

/** At most this many worlds are kept to mutate from (the first ones that reached something new). */
const MAX_CORPUS = 64;

/**
 * Coverage-guided exploration over the fuzzed worlds' draws: a world that reached a durable call
 * site no earlier world reached is kept (its sequence of draws), and three in four later worlds are
 * mutants of a kept one (mostly of the newest): its draws replayed up to a cut point (mostly a value
 * it drew after reaching its new site: a result the code there branches on), then one fresh draw, then either fresh draws to the end
 * or the kept draws again (as far as they still fit). A site behind two
 * conditions is then found by keeping the world that passed the first and varying what follows,
 * instead of waiting for one random world to pass both.
 *
 * Every decision comes from fast-check's own draws, so a seed reproduces the whole run. The corpus
 * is frozen at the first failure, so shrinking sees a fixed mapping from draws to worlds.
 */
export class GuidedExploration {
  /** Kept worlds: their draws, and how many draws they had made when they first reached a new site. */
  private readonly corpus: { draws: Draw[]; from: number }[] = [];
  private newAt: number | undefined;
  private frozen = false;
  /** Whether the world being run replays a kept one (then fast-check's counterexample path alone cannot reproduce it). */
  mutant = false;
  private tape: Draw[] = [];

  /** Called by the coverage recorders when a run reaches a site for the first time. */
  readonly newSite = (): void => {
    this.newAt ??= this.tape.length;
  };

  /** The choices of the next world: plain draws, or a mutant of a kept world. */
  choices(base: Choices, drawIndex: () => number): Choices {
    const tape: Draw[] = [];
    this.tape = tape;
    this.newAt = undefined;
    this.mutant = false;
    let source: Draw[] | undefined;
    let cut = 0;
    let resume = false;
    // Shrinking drives these draws to 0: a plain world, which reads most simply.
    if (this.corpus.length > 0 && drawIndex() % 4 !== 0) {
      // Mostly the newest kept world (the deepest so far), and a value it drew after reaching its new
      // site (a result: what the code there branches on) to draw afresh.
      const kept = drawIndex() % 2 === 0 ? this.corpus[this.corpus.length - 1]! : this.corpus[drawIndex() % this.corpus.length]!;
      source = kept.draws;
      const values = source.flatMap((draw, at) => ("arb" in draw ? [at] : []));
      const after = values.filter((at) => at >= kept.from);
      const targets = after.length > 0 ? after : values;
      cut = targets.length > 0 && drawIndex() % 8 !== 0 ? targets[drawIndex() % targets.length]! : drawIndex() % source.length;
      resume = drawIndex() % 2 === 1;
      this.mutant = true;
    }
    let position = 0;
    const replayed = (): Draw | undefined => {
      const at = position++;
      if (!source || at === cut || (at > cut && !resume)) return undefined;
      return source[at];
    };
    return {
      pick: (n) => {
        const kept = replayed();
        const raw = kept && "pick" in kept ? kept.pick : drawIndex();
        tape.push({ pick: raw });
        return n <= 1 ? 0 : raw % n;
      },
      value: <T>(arb: Arbitrary<T>): T => {
        const kept = replayed();
        const value = kept && "arb" in kept && kept.arb === arb ? (kept.value as T) : base.value(arb);
        tape.push({ arb: arb as Arbitrary<unknown>, value });
        return value;
      },
    };
  }

  /** After a world that found no failure: keep it if it reached a new call site. */
  passed(): void {
    if (this.newAt !== undefined && !this.frozen && this.corpus.length < MAX_CORPUS && this.tape.length > 0) this.corpus.push({ draws: this.tape, from: this.newAt });
  }

  /** After a failing world: stop changing the corpus, so shrinking replays a fixed mapping. */
  failed(): void {
    this.frozen = true;
  }

  /** Whether any world was kept (the run then depends on earlier worlds, not only on its own draws). */
  get guiding(): boolean {
    return this.corpus.length > 0;
  }
}
