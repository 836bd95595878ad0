/**
 * A loopback gRPC server speaking the Durable Task sidecar's `StreamInstanceHistory` and
 * `QueryInstances` calls, serving the committed histories of `InMemoryOrchestrationBackend`
 * instances. With it a test reads a history exactly as a user exports one: through the SDK's own
 * `TaskHubGrpcClient` (`getOrchestrationHistory()`, `getAllInstances()`), over a real gRPC
 * connection on a free port, with no sidecar.
 *
 * Shared ground: the replay fidelity tests and the `dtcheck pull` tests use it. Every other method
 * answers UNIMPLEMENTED, as a sidecar without that feature would; so does QueryInstances when the
 * store cannot list its instances. Options make it behave as DTS does with a bearer token and TLS,
 * or hang.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { activateProtoNamespace } from "../../src/engines/durabletask/sdk.js";
import { MICROSOFT_SDK } from "./sdk-oracle.js";
import type * as Grpc from "@grpc/grpc-js";
import type * as GrpcPb from "@microsoft/durabletask-js/dist/proto/orchestrator_service_grpc_pb.js";
import type * as Pb from "@microsoft/durabletask-js/dist/proto/orchestrator_service_pb.js";
import type * as TimestampPb from "google-protobuf/google/protobuf/timestamp_pb.js";
import type * as WrappersPb from "google-protobuf/google/protobuf/wrappers_pb.js";

const require = createRequire(import.meta.url);
// The SDK's own copies: its generated service definition and the grpc-js it serialises with.
const sdkRequire = createRequire(require.resolve("@microsoft/durabletask-js"));
const grpc = sdkRequire("@grpc/grpc-js") as typeof Grpc;
const grpcPb = require("@microsoft/durabletask-js/dist/proto/orchestrator_service_grpc_pb.js") as typeof GrpcPb;
const pb = require("@microsoft/durabletask-js/dist/proto/orchestrator_service_pb.js") as typeof Pb;
const timestampPb = sdkRequire("google-protobuf/google/protobuf/timestamp_pb.js") as typeof TimestampPb;
const wrappersPb = sdkRequire("google-protobuf/google/protobuf/wrappers_pb.js") as typeof WrappersPb;

/** What QueryInstances reports of an instance (the fields of the backend's own instance record). */
export interface StoredInstance {
  instanceId: string;
  name: string;
  status: Pb.OrchestrationStatus;
  createdAt: Date;
  lastUpdatedAt: Date;
}

/** Where the served histories come from: an InMemoryOrchestrationBackend fits, so does a snapshot of one. */
export interface HistoryStore {
  getInstance(instanceId: string): { history: Pb.HistoryEvent[] } | undefined;
  /** Every instance, for QueryInstances; without it that call answers UNIMPLEMENTED. */
  listInstances?(): StoredInstance[];
}

export interface ServeOptions {
  /** Require `authorization: Bearer <token>` on every call (what DTS checks); others get UNAUTHENTICATED. */
  token?: string;
  /** Methods (by their generated name, e.g. "streamInstanceHistory") that accept the call and never answer. */
  hang?: readonly string[];
  /** Serve over TLS with this PEM certificate chain and key (e.g. TEST_TLS, signed by a private CA); plaintext otherwise. */
  tls?: { cert: string; key: string };
}

const TLS_DIR = new URL("./tls/", import.meta.url);
/**
 * Test-only TLS material (see tls/README.md): `caFile` is the private CA a client passes as --ca,
 * `cert` and `key` the server's certificate for 127.0.0.1 / localhost that it signed.
 */
export const TEST_TLS = {
  caFile: fileURLToPath(new URL("test-ca.pem", TLS_DIR)),
  cert: readFileSync(new URL("localhost.pem", TLS_DIR), "utf8"),
  key: readFileSync(new URL("localhost.key.pem", TLS_DIR), "utf8"),
};

export interface HistoryServer {
  /** `localhost:<port>`, for `new TaskHubGrpcClient({ hostAddress })`. */
  address: string;
  /** How many StreamInstanceHistory calls were answered (a test can check it really went over the wire). */
  calls(): number;
  /** The QueryInstances requests answered, in order: their page size and continuation token. */
  queries(): { pageSize: number; continuationToken?: string }[];
  /** The metadata of every call received, in order (a test can check the headers the client sent). */
  metadata(): Record<string, string>[];
  close(): Promise<void>;
}

/** Events per HistoryChunk: small, so a long history really arrives in several chunks, as from a sidecar. */
const CHUNK_SIZE = 16;

function serviceError(code: Grpc.status, details: string): Grpc.ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() });
}

function timestamp(date: Date): InstanceType<typeof timestampPb.Timestamp> {
  const value = new timestampPb.Timestamp();
  value.fromDate(date);
  return value;
}

/** One page of QueryInstances, filtered as the sidecar and DTS filter (statuses, created range, id prefix), oldest first. */
function queryPage(instances: StoredInstance[], request: Pb.QueryInstancesRequest): Pb.QueryInstancesResponse {
  const query = request.getQuery();
  const statuses = new Set(query?.getRuntimestatusList() ?? []);
  const from = query?.getCreatedtimefrom()?.toDate().getTime();
  const to = query?.getCreatedtimeto()?.toDate().getTime();
  const prefix = query?.getInstanceidprefix()?.getValue() ?? "";
  const matching = instances
    .filter((i) => statuses.size === 0 || statuses.has(i.status))
    .filter((i) => (from === undefined || i.createdAt.getTime() >= from) && (to === undefined || i.createdAt.getTime() <= to))
    .filter((i) => i.instanceId.startsWith(prefix))
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.instanceId < b.instanceId ? -1 : 1));
  const offset = Number(query?.getContinuationtoken()?.getValue() ?? "0");
  const size = query?.getMaxinstancecount() || 100;
  const response = new pb.QueryInstancesResponse();
  response.setOrchestrationstateList(
    matching.slice(offset, offset + size).map((i) => {
      const state = new pb.OrchestrationState();
      state.setInstanceid(i.instanceId);
      state.setName(i.name);
      state.setOrchestrationstatus(i.status);
      state.setCreatedtimestamp(timestamp(i.createdAt));
      state.setLastupdatedtimestamp(timestamp(i.lastUpdatedAt));
      return state;
    }),
  );
  if (offset + size < matching.length) {
    const token = new wrappersPb.StringValue();
    token.setValue(String(offset + size));
    response.setContinuationtoken(token);
  }
  return response;
}

/** Serves the store's histories on 127.0.0.1 at a free port (port 0). */
export async function serveHistories(backend: HistoryStore, options: ServeOptions = {}): Promise<HistoryServer> {
  const server = new grpc.Server();
  let answered = 0;
  const queries: { pageSize: number; continuationToken?: string }[] = [];
  const received: Record<string, string>[] = [];
  const hanging: { end(): void }[] = [];
  /** Records the call's metadata; false (and the call already failed) when the token is wrong. */
  const admit = (metadata: Grpc.Metadata, fail: (error: Grpc.ServiceError) => void): boolean => {
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(metadata.getMap())) headers[key] = String(value);
    received.push(headers);
    if (options.token !== undefined && headers["authorization"] !== `Bearer ${options.token}`) {
      fail(serviceError(grpc.status.UNAUTHENTICATED, "invalid or expired token"));
      return false;
    }
    return true;
  };
  const unimplemented = (_call: unknown, callback?: (error: Grpc.ServiceError) => void) => {
    if (typeof callback === "function") callback(serviceError(grpc.status.UNIMPLEMENTED, "not served by the test history server"));
  };
  const handlers: Record<string, unknown> = {};
  for (const method of Object.keys(grpcPb.TaskHubSidecarServiceService)) handlers[method] = unimplemented;
  handlers["queryInstances"] = (call: Grpc.ServerUnaryCall<Pb.QueryInstancesRequest, Pb.QueryInstancesResponse>, callback: Grpc.sendUnaryData<Pb.QueryInstancesResponse>) => {
    if (!admit(call.metadata, (error) => callback(error))) return;
    if (options.hang?.includes("queryInstances")) {
      hanging.push({ end: () => callback(serviceError(grpc.status.UNAVAILABLE, "server closing")) });
      return;
    }
    if (!backend.listInstances) {
      callback(serviceError(grpc.status.UNIMPLEMENTED, "QueryInstances is not supported by this backend"));
      return;
    }
    const query = call.request.getQuery();
    queries.push({ pageSize: query?.getMaxinstancecount() ?? 0, continuationToken: query?.getContinuationtoken()?.getValue() });
    activateProtoNamespace(MICROSOFT_SDK);
    callback(null, queryPage(backend.listInstances(), call.request));
  };
  handlers["streamInstanceHistory"] = (call: Grpc.ServerWritableStream<Pb.StreamInstanceHistoryRequest, Pb.HistoryChunk>) => {
    if (!admit(call.metadata, (error) => call.emit("error", error))) return;
    if (options.hang?.includes("streamInstanceHistory")) {
      hanging.push({ end: () => call.end() });
      return;
    }
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
  const credentials = options.tls
    ? grpc.ServerCredentials.createSsl(null, [{ cert_chain: Buffer.from(options.tls.cert), private_key: Buffer.from(options.tls.key) }], false)
    : grpc.ServerCredentials.createInsecure();
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", credentials, (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return {
    address: `127.0.0.1:${port}`,
    calls: () => answered,
    queries: () => queries,
    metadata: () => received,
    close: () => {
      for (const call of hanging.splice(0)) call.end();
      return new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    },
  };
}
