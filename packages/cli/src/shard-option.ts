import { InvalidArgumentError } from "commander";
import type { ShardInfo } from "./output/report.js";

/** `--shard i/n` (as Vitest and Playwright spell it): shard i of n, counted from 1. */
export function parseShard(value: string): ShardInfo {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new InvalidArgumentError(`"${value}" is not a shard; use i/n with 1 <= i <= n, e.g. --shard 2/3`);
  }
  return { index, count };
}

export const SHARD_HELP = "run only shard i of n (a stable split by history file or orchestrator name), one per CI job; merge their --format json reports with dtcheck merge-reports";
