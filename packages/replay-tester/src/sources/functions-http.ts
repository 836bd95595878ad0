/**
 * Histories from a Durable Functions app through its HTTP management API (the extension's
 * webhooks under `/runtime/webhooks/durabletask`): `GET .../instances` lists instances (query
 * parameters `runtimeStatus`, `createdTimeFrom`, `createdTimeTo`, `instanceIdPrefix`, `top`; further
 * pages through the `x-ms-continuation-token` header), and `GET .../instances/{id}?showHistory=true&showHistoryOutput=true&showInput=true`
 * returns one instance with its history. The key goes as `code`, as the extension's own URLs carry
 * it; messages never repeat it. Responses are read as df-http (lossy: the reader rebuilds what the
 * API drops and records every guess in the history's reconstructions).
 */
import { InputError } from "../errors.js";
import { parseHistoryValue } from "../history/index.js";
import { isJsonObject } from "../history/formats/fields.js";
import { matchesName, timeoutError, type InstanceSelection, type ListedInstance, type PulledHistory, type PullResult } from "./pulled.js";

export interface FunctionsSourceOptions {
  /** The app's base URL (http://localhost:7071), its webhook base, or an instance's status URL (its query parameters are kept). */
  url: string;
  /** The durabletask extension's system key (or a host key). */
  code?: string;
  taskHub?: string;
  /** The app setting that names the storage connection. */
  connection?: string;
  /** Per request. */
  timeoutMs: number;
}

const WEBHOOK_PATH = "/runtime/webhooks/durabletask";
const CONTINUATION_HEADER = "x-ms-continuation-token";
/** Storage providers answer "null", base64-encoded, on the last page. */
const NO_MORE_PAGES = new Set(["", "null", "bnVsbA=="]);
/** A guard against a backend that hands out the same page forever. */
const MAX_PAGES = 10_000;

interface Endpoint {
  /** Origin + webhook path, no query. */
  base: string;
  /** What messages call the app: origin and path, never the key. */
  label: string;
  params: URLSearchParams;
  /** When the URL was an instance's status URL. */
  instanceId?: string;
}

export function parseFunctionsUrl(options: Pick<FunctionsSourceOptions, "url" | "code" | "taskHub" | "connection">): Endpoint {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new InputError(`--url "${options.url}" is not a URL; pass the function app's base URL, e.g. http://localhost:7071 or https://<app>.azurewebsites.net`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new InputError(`--url "${options.url}" must be an http:// or https:// URL of the function app`);
  const at = url.pathname.indexOf(WEBHOOK_PATH);
  const prefix = at >= 0 ? url.pathname.slice(0, at) : url.pathname.replace(/\/+$/, "");
  const rest = at >= 0 ? url.pathname.slice(at + WEBHOOK_PATH.length) : "";
  const instance = /^\/instances\/([^/]+)\/?$/.exec(rest);
  const params = new URLSearchParams(url.search);
  if (options.code !== undefined) params.set("code", options.code);
  if (options.taskHub !== undefined) params.set("taskHub", options.taskHub);
  if (options.connection !== undefined) params.set("connection", options.connection);
  const base = `${url.origin}${prefix}${WEBHOOK_PATH}`;
  return { base, label: url.origin + prefix, params, instanceId: instance ? decodeURIComponent(instance[1]!) : undefined };
}

interface Answer {
  status: number;
  body: unknown;
  continuation?: string;
}

async function get(endpoint: Endpoint, path: string, query: Record<string, string | undefined>, headers: Record<string, string>, what: string, timeoutMs: number): Promise<Answer> {
  const params = new URLSearchParams(endpoint.params);
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, value);
  const url = `${endpoint.base}${path}?${params.toString()}`;
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, { headers: { accept: "application/json", ...headers }, signal: AbortSignal.timeout(timeoutMs) });
    text = await response.text();
  } catch (error) {
    throw fetchError(error, endpoint.label, what, timeoutMs);
  }
  if (response.status === 401 || response.status === 403) {
    throw new InputError(`${endpoint.label} refused the key for ${what} (HTTP ${response.status}); pass the durabletask extension's system key with --code`);
  }
  let body: unknown;
  try {
    body = text === "" ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (response.status === 404 && !isJsonObject(body)) {
    throw new InputError(
      path === "/instances"
        ? `${endpoint.label} has no Durable Functions management API (HTTP 404 for ${WEBHOOK_PATH}/instances); check --url (the function app's base URL) and --taskhub`
        : `${endpoint.label} has no instance "${decodeURIComponent(path.slice("/instances/".length))}" (HTTP 404); check --instance and --taskhub`,
    );
  }
  if (body === undefined) {
    const start = text.trim().slice(0, 60).replace(/\s+/g, " ");
    throw new InputError(`${endpoint.label} answered ${what} with HTTP ${response.status} and ${start ? `something that is not JSON ("${start}...")` : "an empty body"}; check --url`);
  }
  return { status: response.status, body, continuation: response.headers.get(CONTINUATION_HEADER) ?? undefined };
}

function fetchError(error: unknown, label: string, what: string, timeoutMs: number): InputError {
  const e = error as { name?: string; cause?: { code?: string; message?: string }; message?: string };
  if (e.name === "TimeoutError" || e.name === "AbortError") return timeoutError(label, timeoutMs, what);
  const code = e.cause?.code;
  if (code === "ECONNREFUSED") return new InputError(`cannot connect to ${label}: connection refused; check --url, and that the function app is running there`, { cause: error });
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return new InputError(`cannot connect to ${label}: the host name does not resolve; check --url`, { cause: error });
  if (code === "UND_ERR_CONNECT_TIMEOUT" || code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") return timeoutError(label, timeoutMs, what);
  return new InputError(`cannot read ${what} from ${label} (${code ?? e.cause?.message ?? e.message ?? String(error)}); check --url`, { cause: error });
}

/** Instance ids the query matches, page by page. */
async function listInstances(endpoint: Endpoint, selection: InstanceSelection, timeoutMs: number): Promise<{ listed: ListedInstance[]; pages: number }> {
  const listed: ListedInstance[] = [];
  const seen = new Set<string>();
  let continuation: string | undefined;
  let pages = 0;
  for (;;) {
    if (pages >= MAX_PAGES) throw new InputError(`${endpoint.label} kept returning more pages after ${MAX_PAGES}; narrow the query (--status, --created-after, --prefix) or set --limit`);
    const answer = await get(
      endpoint,
      "/instances",
      {
        runtimeStatus: selection.statuses?.length ? selection.statuses.join(",") : undefined,
        createdTimeFrom: selection.createdFrom?.toISOString(),
        createdTimeTo: selection.createdTo?.toISOString(),
        instanceIdPrefix: selection.instanceIdPrefix,
        top: String(selection.pageSize ?? 100),
        showInput: "false",
      },
      continuation === undefined ? {} : { [CONTINUATION_HEADER]: continuation },
      "the instance list",
      timeoutMs,
    );
    pages++;
    if (!Array.isArray(answer.body)) throw new InputError(`${endpoint.label} answered the instance list with HTTP ${answer.status} and no list of instances; check --url`);
    for (const [i, item] of answer.body.entries()) {
      if (!isJsonObject(item) || typeof item.instanceId !== "string") throw new InputError(`${endpoint.label}: entry ${i} of the instance list has no instanceId; check --url`);
      const instance = { instanceId: item.instanceId, name: typeof item.name === "string" ? item.name : "", status: typeof item.runtimeStatus === "string" ? item.runtimeStatus : "" };
      if (!seen.has(instance.instanceId) && matchesName(instance, selection.names)) listed.push(instance);
      seen.add(instance.instanceId);
    }
    if (selection.limit !== undefined && listed.length >= selection.limit) break;
    const next = answer.continuation?.trim();
    if (next === undefined || NO_MORE_PAGES.has(next) || next === continuation) break;
    continuation = next;
  }
  return { listed: selection.limit === undefined ? listed : listed.slice(0, selection.limit), pages };
}

/** Fetches the selected instances' histories. Nothing is written here. With `onHistory`, each history goes there as it arrives instead of into the result, so a pull of many instances holds one at a time. */
export async function pullFromFunctionsApp(options: FunctionsSourceOptions, selection: InstanceSelection, onHistory?: (pulled: PulledHistory) => void): Promise<PullResult> {
  const endpoint = parseFunctionsUrl(options);
  const named = [...(selection.instanceIds ?? []), ...(endpoint.instanceId === undefined ? [] : [endpoint.instanceId])];
  const { listed, pages } =
    named.length > 0 ? { listed: named.map((instanceId) => ({ instanceId, name: "", status: "" })), pages: 0 } : await listInstances(endpoint, selection, options.timeoutMs);
  const histories: PulledHistory[] = [];
  for (const instance of listed) {
    const what = `the history of "${instance.instanceId}"`;
    const answer = await get(
      endpoint,
      `/instances/${encodeURIComponent(instance.instanceId)}`,
      { showHistory: "true", showHistoryOutput: "true", showInput: "true" },
      {},
      what,
      options.timeoutMs,
    );
    const status = answer.body;
    if (!isJsonObject(status) || typeof status.runtimeStatus !== "string") {
      throw new InputError(`${endpoint.label} answered ${what} with HTTP ${answer.status} but no instance status; check --url`);
    }
    // The extension documents `historyEvents`; durable-functions' own client reads `history`.
    const events = status.historyEvents ?? status.history;
    if (!Array.isArray(events)) {
      throw new InputError(`${endpoint.label} answered ${what} without its history (no historyEvents); the API needs showHistory=true, which this app ignored`);
    }
    const raw = { ...status, historyEvents: events };
    delete (raw as { history?: unknown }).history;
    const history = parseHistoryValue(raw, { format: "df-http", file: `${endpoint.label} instance "${instance.instanceId}"` });
    const pulled: PulledHistory = {
      instanceId: instance.instanceId,
      name: instance.name || (typeof status.name === "string" ? status.name : ""),
      status: instance.status || status.runtimeStatus,
      history,
      raw,
      format: "df-http",
    };
    if (onHistory) onHistory(pulled);
    else histories.push(pulled);
  }
  return { source: endpoint.label, histories, pages };
}
