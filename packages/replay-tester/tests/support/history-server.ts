/**
 * A loopback gRPC server speaking the Durable Task sidecar's `StreamInstanceHistory` call, serving
 * the committed history of an `InMemoryOrchestrationBackend` instance. With it a test reads a
 * history exactly as a user exports one: through the SDK's own `TaskHubGrpcClient.getOrchestrationHistory()`
 * (the "friendly" objects), over a real gRPC connection on a free port, with no sidecar.
 *
 * Shared ground: the replay fidelity tests use it, and so can a `dtcheck pull` test. Only the history
 * call is served; every other method answers UNIMPLEMENTED, as a sidecar without that feature would.
 */
import { createRequire } from "node:module";
import { activateProtoNamespace } from "../../src/engines/durabletask/sdk.js";
import { MICROSOFT_SDK } from "./sdk-oracle.js";
import type * as Grpc from "@grpc/grpc-js";
import type * as GrpcPb from "@microsoft/durabletask-js/dist/proto/orchestrator_service_grpc_pb.js";
import type * as Pb from "@microsoft/durabletask-js/dist/proto/orchestrator_service_pb.js";

const require = createRequire(import.meta.url);
// The SDK's own copies: its generated service definition and the grpc-js it serialises with.
const sdkRequire = createRequire(require.resolve("@microsoft/durabletask-js"));
const grpc = sdkRequire("@grpc/grpc-js") as typeof Grpc;
const grpcPb = require("@microsoft/durabletask-js/dist/proto/orchestrator_service_grpc_pb.js") as typeof GrpcPb;
const pb = require("@microsoft/durabletask-js/dist/proto/orchestrator_service_pb.js") as typeof Pb;

/** Where the served histories come from: an InMemoryOrchestrationBackend fits, so does a snapshot of one. */
export interface HistoryStore {
  getInstance(instanceId: string): { history: Pb.HistoryEvent[] } | undefined;
}

export interface HistoryServer {
  /** `localhost:<port>`, for `new TaskHubGrpcClient({ hostAddress })`. */
  address: string;
  /** How many StreamInstanceHistory calls were answered (a test can check it really went over the wire). */
  calls(): number;
  close(): Promise<void>;
}

/** Events per HistoryChunk: small, so a long history really arrives in several chunks, as from a sidecar. */
const CHUNK_SIZE = 16;

/** Serves the store's histories on 127.0.0.1 at a free port (port 0). */
export async function serveHistories(backend: HistoryStore): Promise<HistoryServer> {
  const server = new grpc.Server();
  let answered = 0;
  const unimplemented = (_call: unknown, callback?: (error: Grpc.ServiceError) => void) => {
    const error = Object.assign(new Error("not served by the test history server"), { code: grpc.status.UNIMPLEMENTED, details: "", metadata: new grpc.Metadata() });
    if (typeof callback === "function") callback(error);
  };
  const handlers: Record<string, unknown> = {};
  for (const method of Object.keys(grpcPb.TaskHubSidecarServiceService)) handlers[method] = unimplemented;
  handlers["streamInstanceHistory"] = (call: Grpc.ServerWritableStream<Pb.StreamInstanceHistoryRequest, Pb.HistoryChunk>) => {
    answered++;
    const instance = backend.getInstance(call.request.getInstanceid());
    if (!instance) {
      call.emit("error", { code: grpc.status.NOT_FOUND, details: `no instance ${call.request.getInstanceid()}` });
      return;
    }
    // Loading the Dapr copies overwrites the global protobuf namespace the generated serialisers read.
    activateProtoNamespace(MICROSOFT_SDK);
    const events = instance.history;
    for (let i = 0; i < events.length; i += CHUNK_SIZE) {
      const chunk = new pb.HistoryChunk();
      chunk.setEventsList(events.slice(i, i + CHUNK_SIZE));
      call.write(chunk);
    }
    call.end();
  };
  server.addService(grpcPb.TaskHubSidecarServiceService as unknown as Grpc.ServiceDefinition, handlers as Grpc.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return {
    address: `127.0.0.1:${port}`,
    calls: () => answered,
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}
