/**
 * The TypeScript runtime, loaded only in type-aware mode. `typescript` is an optional peer
 * dependency: plain `recommended` users (JavaScript projects) never load it.
 */
import { createRequire } from "node:module";
import type ts from "typescript";

let loaded: typeof ts | undefined;

export function typescript(): typeof ts {
  loaded ??= createRequire(import.meta.url)("typescript") as typeof ts;
  return loaded;
}

export type { ts };
