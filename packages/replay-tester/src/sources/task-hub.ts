/**
 * Histories from a Durable Task backend over gRPC: the Durable Task Scheduler, its emulator, or the
 * Dapr / durabletask sidecar, through `@microsoft/durabletask-js`'s own `TaskHubGrpcClient`
 * (`getAllInstances` for the query, `getOrchestrationHistory` for each history). The SDK is the
 * user's installed copy (an optional peer dependency); its objects stop at this file: callers get
 * canonical histories, and gRPC failures become one line each.
 */
import { X509Certificate } from "node:crypto";
import { createRequire } from "node:module";
import { isIP } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { InputError } from "../errors.js";
import { parseHistoryValue } from "../history/index.js";
import { readRegularFile } from "../files/read-regular-file.js";
import { findPackageDir, type Untyped } from "../engines/durabletask/sdk.js";
import { historyStatus, matchesName, timeoutError, withTimeout, type InstanceSelection, type ListedInstance, type PulledHistory, type PullResult, type RuntimeStatus } from "./pulled.js";

const SDK_PACKAGE = "@microsoft/durabletask-js";

export interface TaskHubSourceOptions {
  /** `host:port`, or a URL: `https://` implies TLS (port 443 unless given), `http://` plain. */
  host: string;
  /** TLS with the system's root certificates (or `caFile`'s). */
  tls?: boolean;
  /** PEM root certificates for a private CA; implies TLS. */
  caFile?: string;
  /** A bearer token, sent as `authorization: Bearer <token>` on every call (what the Durable Task Scheduler checks). */
  token?: string;
  /** The task hub, sent as the `taskhub` header (the Scheduler and its emulator route by it). */
  taskHub?: string;
  /** More headers for every call (e.g. `dapr-api-token`). */
  metadata?: Readonly<Record<string, string>>;
  /** Per call (each page, each history). */
  timeoutMs: number;
  /** Where the SDK is looked up first (the user's project). */
  cwd: string;
}

/** The parts of the SDK client this source uses (its own types stay behind this adapter). */
interface SdkClient {
  getAllInstances(filter: Record<string, unknown>): { asPages(token?: string, size?: number): AsyncIterable<{ values: readonly SdkState[]; continuationToken?: string }> };
  getOrchestrationHistory(instanceId: string): Promise<unknown[]>;
  stop(): Promise<void>;
}
interface SdkState {
  instanceId: string;
  name: string;
  runtimeStatus: number;
}
/** The SDK's client-side status enum, e.g. { RUNNING: 0, ... } (numbers both ways, as TypeScript enums are). */
type StatusEnum = Record<string, string | number>;

interface LoadedSdk {
  TaskHubGrpcClient: new (options: Record<string, unknown>) => SdkClient;
  OrchestrationStatus: StatusEnum;
  grpc: Untyped;
}

function loadSdk(cwd: string): LoadedSdk {
  const dir = findPackageDir(SDK_PACKAGE, join(cwd, "package.json")) ?? findPackageDir(SDK_PACKAGE, fileURLToPath(import.meta.url));
  if (dir === undefined) {
    throw new InputError(`pulling over gRPC uses the Durable Task SDK's own client, and ${SDK_PACKAGE} is not installed here; run npm install -D ${SDK_PACKAGE}`);
  }
  const require = createRequire(join(dir, "package.json"));
  const sdk = require(SDK_PACKAGE) as Untyped;
  if (typeof sdk.TaskHubGrpcClient?.prototype?.getOrchestrationHistory !== "function") {
    throw new InputError(`the installed ${SDK_PACKAGE} (${dir}) has no TaskHubGrpcClient.getOrchestrationHistory; install ${SDK_PACKAGE}@^0.4.0`);
  }
  return { TaskHubGrpcClient: sdk.TaskHubGrpcClient, OrchestrationStatus: sdk.OrchestrationStatus, grpc: require("@grpc/grpc-js") };
}

/** The host of `host:port` (an IPv6 address without its brackets). */
function hostOf(address: string): string {
  const host = address.slice(0, address.lastIndexOf(":"));
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

/** `https://x.durabletask.io` → x.durabletask.io:443 with TLS; `http://localhost:8080` → plain; `host:port` as given. */
export function parseHost(host: string, tls: boolean | undefined): { address: string; tls: boolean } {
  const match = /^(https?):\/\/([^/?#]+)\/?$/i.exec(host.trim());
  if (match) {
    const secure = match[1]!.toLowerCase() === "https";
    const authority = match[2]!;
    const hasPort = /:\d+$/.test(authority) && !authority.endsWith("]");
    return { address: hasPort ? authority : `${authority}:${secure ? 443 : 80}`, tls: tls ?? secure };
  }
  if (!/^[^\s/?#]+:\d+$/.test(host.trim())) {
    throw new InputError(`--host "${host}" is not an address; use host:port (e.g. localhost:4001 for a sidecar, localhost:8080 for the emulator) or https://<scheduler endpoint>`);
  }
  return { address: host.trim(), tls: tls ?? false };
}

/** How the pull connected: a refused connection is explained by what the user asked for. */
interface Transport {
  tls: boolean;
  /** A --ca file was given. */
  ca: boolean;
}

/** Messages from TLS certificate verification (Node's tls / OpenSSL): untrusted issuer, self-signed, expired, wrong name. */
const CERTIFICATE_PROBLEM = /certificate|self[- ]signed|altnames|CERT_/i;

/**
 * What grpc-js says of a connection that failed, without its wrapping: "No connection established.
 * Last error: Error: unable to verify the first certificate. Resolution note: " says
 * "unable to verify the first certificate".
 */
function connectionCause(details: string): string {
  const cause = details
    .replace(/^No connection established\.\s*Last error:\s*/i, "")
    .replace(/\s*Resolution note:.*$/i, "")
    .replace(/^Error:\s*/, "")
    .replace(/\s*\(\d{4}-\d\d-\d\dT[\d:.]+Z\)/, "")
    .replace(/\.$/, "")
    .trim();
  // OpenSSL's own line ("803C...:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:...") names its reason third.
  const openssl = /SSL routines:[^:]*:([^:]+):/.exec(cause);
  if (openssl) return `TLS handshake failed: ${openssl[1]}`;
  return cause || details;
}

function unavailable(source: string, details: string, transport: Transport, error: unknown): InputError {
  if (/ECONNREFUSED/.test(details)) {
    return new InputError(`cannot connect to ${source}: connection refused; check --host, and that the sidecar, the emulator or the scheduler is running there`, { cause: error });
  }
  if (/ENOTFOUND|EAI_AGAIN/.test(details)) return new InputError(`cannot connect to ${source}: the host name does not resolve; check --host`, { cause: error });
  const cause = connectionCause(details);
  if (transport.tls && CERTIFICATE_PROBLEM.test(cause)) {
    const fix = transport.ca ? "check that the --ca file holds the CA that signed the endpoint's certificate, and --host" : "pass the CA that signed it with --ca <file.pem> (an endpoint with a private CA), or check --host";
    return new InputError(`cannot connect to ${source} over TLS: its certificate was not accepted (${cause}); ${fix}`, { cause: error });
  }
  const fix = transport.tls ? "check --host, and whether the endpoint uses TLS at all (a local sidecar or emulator usually does not: drop --tls / --ca)" : "check --host, and pass --tls (or --ca <file.pem>) if the endpoint uses TLS";
  return new InputError(`cannot connect to ${source} (${cause}); ${fix}`, { cause: error });
}

/** The one-line message for a failed call: what was refused and what to check. */
function grpcError(error: unknown, source: string, what: string, grpc: Untyped, timeoutMs: number, transport: Transport): InputError {
  const e = error as { code?: number; details?: string; message?: string };
  const details = (e.details || e.message || String(error)).split("\n")[0]!;
  const status = grpc.status as Record<string, number>;
  switch (e.code) {
    case status.DEADLINE_EXCEEDED:
      return timeoutError(source, timeoutMs, what);
    case status.UNAVAILABLE:
      return unavailable(source, details, transport, error);
    case status.UNAUTHENTICATED:
      return new InputError(`${source} refused the credentials for ${what} (UNAUTHENTICATED: ${details}); pass a valid --token (a bearer token for the task hub's endpoint)`, { cause: error });
    case status.PERMISSION_DENIED:
      return new InputError(`${source} denied ${what} (PERMISSION_DENIED: ${details}); the token's identity needs read access to the task hub (check --taskhub too)`, { cause: error });
    case status.UNIMPLEMENTED:
      return new InputError(`${source} does not support ${what} (UNIMPLEMENTED); name the instances with --instance <id>, or use a newer sidecar`, { cause: error });
    case status.NOT_FOUND:
      return new InputError(`${source} found nothing for ${what} (NOT_FOUND: ${details}); check --taskhub`, { cause: error });
    default: {
      const name = e.code === undefined ? undefined : Object.keys(status).find((key) => status[key] === e.code);
      return new InputError(`${source} failed ${what}${name ? ` (${name})` : ""}: ${details}`, { cause: error });
    }
  }
}

function statusName(value: number, statuses: StatusEnum): RuntimeStatus | string {
  const key = statuses[value];
  if (typeof key !== "string") return String(value);
  // RUNNING → Running, CONTINUED_AS_NEW → ContinuedAsNew
  return key
    .toLowerCase()
    .split("_")
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join("");
}

function statusValue(status: RuntimeStatus, statuses: StatusEnum): number {
  const key = status.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
  const value = statuses[key];
  if (typeof value !== "number") throw new InputError(`the installed ${SDK_PACKAGE} has no runtime status ${status}`);
  return value;
}

/*
 * grpc-js sets the TLS server name to the host even when the host is an IP address, and Node then
 * prints a DeprecationWarning (DEP0123, "Setting the TLS ServerName to an IP address...") on stderr.
 * The certificate is still checked against that IP; the warning is only noise in dtcheck's output,
 * so that one warning is dropped while a TLS pull to an IP address runs (reference-counted, so
 * overlapping pulls restore Node's emitWarning only when the last one ends).
 */
let ipServerNameFilter: { users: number; original: typeof process.emitWarning } | undefined;
function hideIpServerNameWarning(): () => void {
  if (!ipServerNameFilter) {
    const original = process.emitWarning;
    ipServerNameFilter = { users: 0, original };
    process.emitWarning = function (this: unknown, ...args: Parameters<typeof process.emitWarning>) {
      const [, typeOrOptions, code] = args as unknown[];
      const warningCode = typeof typeOrOptions === "object" && typeOrOptions !== null ? (typeOrOptions as { code?: unknown }).code : code;
      if (warningCode === "DEP0123") return;
      return original.apply(this, args);
    } as typeof process.emitWarning;
  }
  ipServerNameFilter.users++;
  let released = false;
  return () => {
    if (released || !ipServerNameFilter) return;
    released = true;
    if (--ipServerNameFilter.users === 0) {
      process.emitWarning = ipServerNameFilter.original;
      ipServerNameFilter = undefined;
    }
  };
}

/**
 * The --ca file, once it is known to hold PEM certificates: grpc-js takes anything, and a file
 * with none (a key, a DER file, the wrong file) would fail later as "certificate not accepted".
 */
async function readCaFile(file: string): Promise<Buffer> {
  const bytes = await readRegularFile(file, { what: "CA certificate file", maxBytes: 1 << 20 });
  const blocks = bytes.toString("utf8").match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const unreadable = blocks.findIndex((block) => {
    try {
      new X509Certificate(block);
      return false;
    } catch {
      return true;
    }
  });
  if (blocks.length === 0 || unreadable >= 0) {
    const what = blocks.length === 0 ? "holds no PEM certificate (no -----BEGIN CERTIFICATE----- block)" : `certificate ${unreadable + 1} in it cannot be read`;
    throw new InputError(`${what}; --ca takes the PEM certificate of the CA that signed the endpoint's certificate`, { file });
  }
  return bytes;
}

/** Fetches the selected instances' histories over one connection. Nothing is written here. With `onHistory`, each history goes there as it arrives instead of into the result, so a pull of many instances holds one at a time. */
export async function pullFromTaskHub(options: TaskHubSourceOptions, selection: InstanceSelection, onHistory?: (pulled: PulledHistory) => void): Promise<PullResult> {
  const { address, tls } = parseHost(options.host, options.caFile !== undefined ? true : options.tls);
  const source = address;
  const sdk = loadSdk(options.cwd);
  const ca = options.caFile === undefined ? undefined : await readCaFile(options.caFile);
  const headers: Record<string, string> = { ...options.metadata };
  if (options.taskHub !== undefined) headers["taskhub"] = options.taskHub;
  if (options.token !== undefined) headers["authorization"] = `Bearer ${options.token}`;
  const client = new sdk.TaskHubGrpcClient({
    hostAddress: address,
    useTLS: tls,
    credentials: ca === undefined ? undefined : sdk.grpc.credentials.createSsl(ca),
    metadataGenerator: async () => {
      const metadata = new sdk.grpc.Metadata();
      for (const [key, value] of Object.entries(headers)) metadata.set(key, value);
      return metadata;
    },
    // A deadline on every call: gRPC itself cancels a call the backend never answers, so no stream outlives the pull.
    options: { interceptors: [(callOptions: Record<string, unknown>, nextCall: (o: Record<string, unknown>) => unknown) => nextCall({ ...callOptions, deadline: Date.now() + options.timeoutMs })] },
    // The SDK logs every call through console by default; dtcheck reports the outcome itself.
    logger: { error() {}, warn() {}, info() {}, debug() {} },
  });
  // The TLS handshake (and the warning) happens on the first call, inside the try below.
  const showWarning = tls && isIP(hostOf(address)) !== 0 ? hideIpServerNameWarning() : undefined;
  // The deadline ends the call; the race is the backstop should a call ignore it.
  const call = <T>(promise: Promise<T>, what: string): Promise<T> =>
    withTimeout(promise, options.timeoutMs + 2000, () => timeoutError(source, options.timeoutMs, what)).catch((error: unknown) => {
      throw error instanceof InputError ? error : grpcError(error, source, what, sdk.grpc, options.timeoutMs, { tls, ca: ca !== undefined });
    });
  try {
    let pages = 0;
    let listed: ListedInstance[];
    if (selection.instanceIds !== undefined && selection.instanceIds.length > 0) {
      listed = selection.instanceIds.map((instanceId) => ({ instanceId, name: "", status: "" }));
    } else {
      listed = [];
      const filter = {
        statuses: selection.statuses?.map((status) => statusValue(status, sdk.OrchestrationStatus)),
        createdFrom: selection.createdFrom,
        createdTo: selection.createdTo,
        instanceIdPrefix: selection.instanceIdPrefix,
        pageSize: selection.pageSize ?? 100,
      };
      const iterator = client.getAllInstances(filter).asPages()[Symbol.asyncIterator]();
      for (;;) {
        const next = await call(iterator.next(), "the instance query");
        if (next.done) break;
        pages++;
        for (const state of next.value.values) {
          const instance = { instanceId: state.instanceId, name: state.name, status: statusName(state.runtimeStatus, sdk.OrchestrationStatus) };
          if (matchesName(instance, selection.names)) listed.push(instance);
        }
        if (selection.limit !== undefined && listed.length >= selection.limit) break;
      }
      if (selection.limit !== undefined) listed = listed.slice(0, selection.limit);
    }
    const histories: PulledHistory[] = [];
    for (const instance of listed) {
      const events = await call(client.getOrchestrationHistory(instance.instanceId), `the history of "${instance.instanceId}"`);
      if (events.length === 0) {
        throw new InputError(`${source} has no instance "${instance.instanceId}" (its history came back empty); check --instance${options.taskHub === undefined ? ", and pass --taskhub when the backend has several" : " and --taskhub"}`);
      }
      const history = parseHistoryValue(events, { format: "friendly", file: `${source} instance "${instance.instanceId}"` });
      const started = history.events.find((event) => event.kind === "executionStarted");
      const pulled: PulledHistory = { instanceId: instance.instanceId, name: instance.name || (started?.kind === "executionStarted" ? started.name : ""), status: instance.status || historyStatus(history), history, format: "friendly" };
      if (onHistory) onHistory(pulled);
      else histories.push(pulled);
    }
    return { source, histories, pages };
  } finally {
    try {
      // The SDK's stop() closes the channel, which also cancels a call abandoned by a timeout.
      await client.stop();
    } finally {
      showWarning?.();
    }
  }
}
