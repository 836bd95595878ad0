/**
 * Exports histories from a run of the in-memory runtime the way a user does: the SDK's own
 * `TaskHubGrpcClient.getOrchestrationHistory()` over a loopback gRPC connection, then
 * `JSON.stringify` of the friendly objects it returns (what the export-history package writes too).
 */
import { TaskHubGrpcClient } from "@microsoft/durabletask-js";
import { serveHistories, type HistoryStore } from "./history-server.js";

/** Friendly-format JSON text of each instance, by instance id, fetched over one connection. */
export async function exportFriendly(store: HistoryStore, instanceIds: readonly string[]): Promise<Map<string, string>> {
  const server = await serveHistories(store);
  const client = new TaskHubGrpcClient({ hostAddress: server.address, logger: { error() {}, warn() {}, info() {}, debug() {} } });
  const texts = new Map<string, string>();
  try {
    for (const id of instanceIds) texts.set(id, JSON.stringify(await client.getOrchestrationHistory(id), null, 2));
  } finally {
    await client.stop();
    await server.close();
  }
  if (server.calls() !== instanceIds.length) throw new Error(`expected ${instanceIds.length} history calls over gRPC, the server answered ${server.calls()}`);
  return texts;
}
