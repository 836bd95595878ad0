// The sharding entry point (`@dtcheck/replay-tester/shard`): how a run is split between CI jobs.
export { shardOf, selectShard, fileShardKey, type Shard } from "./shard.js";
