// Its own file, so that callers that only need a seed (the contained runner) do not load fast-check.
/** A seed that fits fast-check's 32-bit seeds, when the caller gave none. */
export function freshSeed(): number {
  return Math.floor(Math.random() * 0x7fffffff);
}
