import { createHash } from "node:crypto";
import { relative, sep } from "node:path";

/** One of `count` CI jobs that split a run between them (`--shard index/count`, index from 1). */
export interface Shard {
  index: number;
  count: number;
}

/**
 * The shard a key belongs to: from a hash of the key alone, so the partition is the same on every
 * machine and does not move a key when others are added or removed, and filtering a subset again
 * (a run resumed after a stopped orchestrator) keeps exactly the keys it had.
 */
export function shardOf(key: string, count: number): number {
  return (createHash("sha1").update(key).digest().readUInt32BE(0) % count) + 1;
}

/** The items of one shard, in their original order; every item when no shard is given. */
export function selectShard<T>(items: readonly T[], key: (item: T) => string, shard: Shard | undefined): T[] {
  if (!shard || shard.count === 1) return [...items];
  return items.filter((item) => shardOf(key(item), shard.count) === shard.index);
}

/** A file's shard key: its path relative to the run's directory, with forward slashes on every OS. */
export function fileShardKey(file: string, cwd: string): string {
  return relative(cwd, file).split(sep).join("/");
}

/**
 * One of `count` threads of one run that split its orchestrators between them, `index` from 0.
 * By position, not by hash as shards are: a few orchestrators still spread evenly over the threads.
 */
export interface Lane {
  index: number;
  count: number;
}

/** The items of one lane (every `count`-th from position `index`), in order; every item with no lane. */
export function selectLane<T>(items: readonly T[], lane: Lane | undefined): T[] {
  if (!lane || lane.count === 1) return [...items];
  return items.filter((_, position) => position % lane.count === lane.index);
}

/** The lanes' items back in one list in the order they were split from (lane k holds positions k, k + n, ...). */
export function mergeLanes<T>(lanes: readonly (readonly T[])[]): T[] {
  const merged: T[] = [];
  const longest = Math.max(0, ...lanes.map((items) => items.length));
  for (let round = 0; round < longest; round++) for (const items of lanes) if (round < items.length) merged.push(items[round]!);
  return merged;
}
