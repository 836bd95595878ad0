import { describe, expect, it } from "vitest";
import { fileShardKey, selectShard, shardOf } from "../../src/shard/shard.js";

const keys = Array.from({ length: 200 }, (_, i) => `histories/batch-${i % 7}/order-${i}.json`);

describe("shard partition", () => {
  it("puts every key in exactly one of n shards, for n = 1..6", () => {
    for (let count = 1; count <= 6; count++) {
      const shards = Array.from({ length: count }, (_, i) => selectShard(keys, (k) => k, { index: i + 1, count }));
      expect(shards.flat().sort()).toEqual([...keys].sort());
      expect(new Set(shards.flat()).size).toBe(keys.length);
    }
  });

  it("keeps a key's shard when others are added or removed, and re-filtering a shard's subset keeps all of it", () => {
    const shard = { index: 2, count: 3 };
    const before = selectShard(keys, (k) => k, shard);
    const more = selectShard([...keys, "histories/new-one.json", "histories/new-two.json"], (k) => k, shard);
    expect(more.filter((k) => keys.includes(k))).toEqual(before);
    expect(selectShard(before.slice(3), (k) => k, shard)).toEqual(before.slice(3));
  });

  it("is pinned: the same key lands in the same shard in every dtcheck version (CI jobs may mix them)", () => {
    expect(["chain.json", "a/b.json", "processOrder"].map((k) => shardOf(k, 4))).toEqual([4, 3, 4]);
    expect(fileShardKey("/repo/histories/x/y.json", "/repo")).toBe("histories/x/y.json");
  });
});
