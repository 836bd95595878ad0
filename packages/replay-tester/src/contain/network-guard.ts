import net from "node:net";

/** What a connect call tried to reach, for the message: "localhost:4001", "/var/run/docker.sock", a URL. */
function describeTarget(args: unknown[]): string {
  let [first, second] = args;
  // net.connect normalises (options, cb) to [options, cb] and may pass [[options, cb], normalized] internally.
  if (Array.isArray(first)) [first, second] = first as unknown[];
  if (first && typeof first === "object") {
    const options = first as { host?: string; port?: number | string; path?: string };
    if (options.path) return options.path;
    return `${options.host ?? "localhost"}:${options.port ?? "?"}`;
  }
  if (typeof first === "string" && Number.isNaN(Number(first))) return first;
  return `${typeof second === "string" ? second : "localhost"}:${String(first)}`;
}

/* tsx (which dtcheck uses to load TypeScript) looks for a parent `tsx watch` process on a pipe;
   refused like any other connection, but it is dtcheck's own doing, not the module's. */
const TSX_IPC = /[\\/]tsx-[^\\/]*[\\/]\d+\.pipe$/;

/**
 * Makes every outbound connection of this thread fail before a byte leaves it: net and everything
 * built on net.Socket (tls, http, https, http2, @grpc/grpc-js, undici and so fetch). The socket
 * errors as if refused, so SDK clients take their usual error path; `onAttempt` hears the target.
 * Installed only in the thread that runs user code, for its whole life.
 */
export function guardNetwork(onAttempt: (target: string) => void): void {
  const blocked = function (this: net.Socket, ...args: unknown[]): net.Socket {
    const target = describeTarget(args);
    if (!TSX_IPC.test(target)) onAttempt(target);
    const error = Object.assign(new Error(`connect ECONNREFUSED ${target} (blocked by dtcheck: user code never connects while being checked)`), {
      code: "ECONNREFUSED",
    });
    process.nextTick(() => this.destroy(error));
    return this;
  };
  net.Socket.prototype.connect = blocked as typeof net.Socket.prototype.connect;
  if (typeof globalThis.fetch === "function") {
    globalThis.fetch = function (input: string | URL | Request): Promise<Response> {
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      onAttempt(url);
      return Promise.reject(new TypeError(`fetch failed: ${url} (blocked by dtcheck: user code never connects while being checked)`));
    };
  }
}
