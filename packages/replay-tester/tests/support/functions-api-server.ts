/**
 * A loopback HTTP server (port 0) answering the Durable Functions extension's management API as
 * documented: `GET /runtime/webhooks/durabletask/instances` (filters `runtimeStatus`,
 * `createdTimeFrom`, `createdTimeTo`, `instanceIdPrefix`, page size `top`, next page through the
 * `x-ms-continuation-token` request and response headers; the last page answers the token "null"
 * base64-encoded, as the Azure Storage provider does) and `GET .../instances/{id}` (202 while
 * running, 200 once finished, 404 unknown; `historyEvents` only with showHistory=true). The key is
 * checked as the Functions host checks `code`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One instance as `GET .../instances/{id}?showHistory=true&showHistoryOutput=true&showInput=true` returns it. */
export type InstanceStatus = Record<string, unknown> & { instanceId: string; name: string; runtimeStatus: string; createdTime: string; historyEvents: unknown[] };

export interface FunctionsApiOptions {
  /** Required `code` (the durabletask extension's system key); without it every request is let in. */
  code?: string;
  /** Accept requests and never answer them. */
  hang?: boolean;
  /** The name the history goes under: the documented `historyEvents`, or `history` as durable-functions' own client reads it. */
  historyField?: "historyEvents" | "history";
}

export interface FunctionsApiServer {
  /** `http://127.0.0.1:<port>`, the app's base URL. */
  url: string;
  /** Every request: path and query (the key masked), and the continuation token header it carried. */
  requests(): string[];
  close(): Promise<void>;
}

const WEBHOOK = "/runtime/webhooks/durabletask";
const LAST_PAGE = Buffer.from("null").toString("base64");

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(body === undefined ? "" : JSON.stringify(body));
}

export async function serveFunctionsApi(instances: readonly InstanceStatus[], options: FunctionsApiOptions = {}): Promise<FunctionsApiServer> {
  const requests: string[] = [];
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const query = url.searchParams;
    const token = req.headers["x-ms-continuation-token"];
    const shown = new URLSearchParams(query);
    if (shown.has("code")) shown.set("code", "***");
    requests.push(`${url.pathname}?${shown.toString()}${token ? ` [${String(token)}]` : ""}`);
    if (options.hang) return;
    if (options.code !== undefined && query.get("code") !== options.code) return send(res, 401);
    if (url.pathname === `${WEBHOOK}/instances` || url.pathname === `${WEBHOOK}/instances/`) {
      const statuses = new Set((query.get("runtimeStatus") ?? "").split(",").filter(Boolean));
      const from = query.has("createdTimeFrom") ? Date.parse(query.get("createdTimeFrom")!) : -Infinity;
      const to = query.has("createdTimeTo") ? Date.parse(query.get("createdTimeTo")!) : Infinity;
      const prefix = query.get("instanceIdPrefix") ?? "";
      const matching = instances.filter(
        (i) => (statuses.size === 0 || statuses.has(i.runtimeStatus)) && Date.parse(i.createdTime) >= from && Date.parse(i.createdTime) <= to && i.instanceId.startsWith(prefix),
      );
      const top = Number(query.get("top") ?? "100");
      const offset = token ? Number(Buffer.from(String(token), "base64").toString()) : 0;
      const page = matching.slice(offset, offset + top).map((i) => {
        const { historyEvents: _history, ...listed } = i;
        if (query.get("showInput") === "false") delete listed.input;
        return listed;
      });
      const next = offset + top < matching.length ? Buffer.from(String(offset + top)).toString("base64") : LAST_PAGE;
      return send(res, 200, page, { "x-ms-continuation-token": next });
    }
    const match = new RegExp(`^${WEBHOOK}/instances/([^/]+)$`).exec(url.pathname);
    const instance = match && instances.find((i) => i.instanceId === decodeURIComponent(match[1]!));
    if (!instance) return send(res, 404);
    const { historyEvents, ...status } = instance;
    const body = query.get("showHistory") === "true" ? { ...status, [options.historyField ?? "historyEvents"]: historyEvents } : status;
    return send(res, instance.runtimeStatus === "Running" || instance.runtimeStatus === "Pending" ? 202 : 200, body);
  };
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** processOrder (the durable-functions versioned sample, v1) as the API shows it: validated, `chargePayment` scheduled and pending. */
export function inFlightOrder(instanceId: string, createdTime: string): InstanceStatus {
  const t = (ms: number) => new Date(Date.parse(createdTime) + ms).toISOString().replace("Z", "0000Z");
  const order = { orderId: instanceId, sku: "KB-65-ISO", quantity: 2, amountCents: 25800 };
  return {
    name: "processOrder",
    instanceId,
    runtimeStatus: "Running",
    input: order,
    customStatus: null,
    output: null,
    createdTime,
    lastUpdatedTime: t(400),
    historyEvents: [
      { EventType: "ExecutionStarted", FunctionName: "processOrder", Correlation: null, ScheduledStartTime: null, Generation: 0, Timestamp: t(0) },
      { EventType: "TaskCompleted", FunctionName: "validateOrder", Result: true, ScheduledTime: t(100), Timestamp: t(300) },
      { EventType: "TaskScheduled", Name: "chargePayment", Timestamp: t(400) },
    ],
  };
}

/** processOrder finished: every call folded into its completion, as the API shows a completed instance. */
export function completedOrder(instanceId: string, createdTime: string): InstanceStatus {
  const t = (ms: number) => new Date(Date.parse(createdTime) + ms).toISOString().replace("Z", "0000Z");
  const order = { orderId: instanceId, sku: "KB-65-ISO", quantity: 1, amountCents: 4900 };
  const output = { status: "shipped", chargeId: `ch_${instanceId}`, shipmentId: `ship_${instanceId}` };
  return {
    name: "processOrder",
    instanceId,
    runtimeStatus: "Completed",
    input: order,
    customStatus: null,
    output,
    createdTime,
    lastUpdatedTime: t(1000),
    historyEvents: [
      { EventType: "ExecutionStarted", FunctionName: "processOrder", Correlation: null, ScheduledStartTime: null, Generation: 0, Timestamp: t(0) },
      { EventType: "TaskCompleted", FunctionName: "validateOrder", Result: true, ScheduledTime: t(100), Timestamp: t(300) },
      { EventType: "TaskCompleted", FunctionName: "chargePayment", Result: output.chargeId, ScheduledTime: t(400), Timestamp: t(600) },
      { EventType: "TaskCompleted", FunctionName: "shipOrder", Result: output.shipmentId, ScheduledTime: t(700), Timestamp: t(900) },
      { EventType: "ExecutionCompleted", OrchestrationStatus: "Completed", Result: output, FailureDetails: null, Timestamp: t(1000) },
    ],
  };
}
