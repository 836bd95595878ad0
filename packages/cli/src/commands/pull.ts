import path from "node:path";
import { InvalidArgumentError, Option, type Command } from "commander";
import {
  HISTORY_FORMATS,
  InputError,
  parseRuntimeStatus,
  pullFromFunctionsApp,
  pullFromTaskHub,
  writePulledHistories,
  type HistoryFormat,
  type InstanceSelection,
  type PullResult,
  type RuntimeStatus,
} from "@dtcheck/replay-tester";
import { parseDuration, parsePositiveInt } from "../duration.js";

interface PullFlags {
  outDir: string;
  host?: string;
  url?: string;
  instance?: string[];
  status?: RuntimeStatus[];
  createdAfter?: Date;
  createdBefore?: Date;
  name?: string[];
  prefix?: string;
  pageSize?: number;
  limit?: number;
  historyFormat?: HistoryFormat;
  jsonl?: boolean;
  redact?: boolean;
  force?: boolean;
  timeout: number;
  tls?: boolean;
  ca?: string;
  token?: string;
  tokenEnv?: string;
  taskhub?: string;
  metadata?: Record<string, string>;
  code?: string;
  codeEnv?: string;
  connection?: string;
}

function parseDate(value: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) throw new InvalidArgumentError(`"${value}" is not a date; use ISO 8601, e.g. 2026-11-30 or 2026-11-30T12:00:00Z`);
  return date;
}

function collectStatus(value: string, previous: RuntimeStatus[] = []): RuntimeStatus[] {
  try {
    return [...previous, ...value.split(",").map(parseRuntimeStatus)];
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function collectMetadata(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = value.indexOf("=");
  if (at <= 0) throw new InvalidArgumentError(`"${value}" is not key=value`);
  return { ...previous, [value.slice(0, at).trim().toLowerCase()]: value.slice(at + 1) };
}

function fromEnv(variable: string | undefined, flag: string): string | undefined {
  if (variable === undefined) return undefined;
  const value = process.env[variable];
  if (value === undefined || value === "") throw new InputError(`${flag} ${variable}: that environment variable is not set`);
  return value;
}

/** Options that only one kind of source takes: named so a mix-up is one line, not a silently ignored flag. */
const GRPC_ONLY = ["tls", "ca", "token", "tokenEnv", "metadata"] as const;
const HTTP_ONLY = ["code", "codeEnv", "connection"] as const;
const flagName = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

async function runPull(flags: PullFlags): Promise<void> {
  if ((flags.host === undefined) === (flags.url === undefined)) {
    throw new InputError("pass one source: --host <address> (Durable Task Scheduler, its emulator, a Dapr or durabletask sidecar) or --url <function app> (Durable Functions)");
  }
  const misplaced = flags.host !== undefined ? HTTP_ONLY.filter((key) => flags[key] !== undefined) : GRPC_ONLY.filter((key) => flags[key] !== undefined);
  if (misplaced.length > 0) {
    throw new InputError(`${misplaced.map(flagName).join(", ")} ${misplaced.length === 1 ? "applies" : "apply"} only to ${flags.host !== undefined ? "--url (Durable Functions)" : "--host (gRPC)"}`);
  }
  if (flags.token !== undefined && flags.tokenEnv !== undefined) throw new InputError("pass --token or --token-env, not both");
  if (flags.code !== undefined && flags.codeEnv !== undefined) throw new InputError("pass --code or --code-env, not both");
  const selection: InstanceSelection = {
    instanceIds: flags.instance,
    statuses: flags.status,
    createdFrom: flags.createdAfter,
    createdTo: flags.createdBefore,
    names: flags.name,
    instanceIdPrefix: flags.prefix,
    pageSize: flags.pageSize,
    limit: flags.limit,
  };
  if (flags.instance !== undefined) {
    const query = (["status", "createdAfter", "createdBefore", "name", "prefix", "pageSize", "limit"] as const).filter((key) => flags[key] !== undefined);
    if (query.length > 0) throw new InputError(`--instance names the instances; ${query.map(flagName).join(", ")} ${query.length === 1 ? "is" : "are"} for a query instead`);
  }
  const cwd = process.cwd();
  const result: PullResult =
    flags.host !== undefined
      ? await pullFromTaskHub(
          {
            host: flags.host,
            tls: flags.tls,
            caFile: flags.ca && path.resolve(flags.ca),
            token: flags.token ?? fromEnv(flags.tokenEnv, "--token-env"),
            taskHub: flags.taskhub,
            metadata: flags.metadata,
            timeoutMs: flags.timeout,
            cwd,
          },
          selection,
        )
      : await pullFromFunctionsApp(
          { url: flags.url!, code: flags.code ?? fromEnv(flags.codeEnv, "--code-env"), taskHub: flags.taskhub, connection: flags.connection, timeoutMs: flags.timeout },
          selection,
        );
  const outDir = path.resolve(flags.outDir);
  // Relative when inside the working directory, as the user typed it; absolute otherwise.
  const shown = (file: string) => {
    const relative = path.relative(cwd, file);
    return relative === "" ? "." : relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
  };
  if (result.histories.length === 0) {
    process.stdout.write(`no instance matched on ${result.source}; nothing written to ${shown(outDir)}\n`);
    return;
  }
  const { written, notes } = writePulledHistories(result.histories, { outDir, format: flags.historyFormat, jsonl: flags.jsonl, force: flags.force, redact: flags.redact });
  const formats = [...new Set(written.map((w) => w.format))].join(", ");
  const pages = result.pages > 0 ? `, ${result.pages} query ${result.pages === 1 ? "page" : "pages"}` : "";
  const lines = [`pulled ${written.length} ${written.length === 1 ? "history" : "histories"} from ${result.source} into ${shown(outDir)} (${formats}${flags.redact ? ", payloads redacted" : ""}${pages})`];
  const width = Math.max(...written.map((w) => shown(w.file).length));
  for (const w of written) lines.push(`  ${shown(w.file).padEnd(width)}  ${w.name}  ${w.status}  ${w.events} events${w.reconstructed > 0 ? `, ${w.reconstructed} rebuilt` : ""}`);
  process.stdout.write(lines.join("\n") + "\n");
  for (const note of notes) process.stderr.write(`dtcheck: note: ${note}\n`);
}

export function registerPull(program: Command): void {
  program
    .command("pull")
    .summary("fetch the histories of running instances from a live backend")
    .description(
      "Fetch orchestration histories from a live backend with the runtime's own client and write one file per instance: the Durable Task Scheduler, its emulator or a Dapr/durabletask sidecar over gRPC (--host, through @microsoft/durabletask-js's TaskHubGrpcClient), or a Durable Functions app through its HTTP management API (--url). Then `dtcheck drift --histories <dir>` checks the next version against the instances that are in flight now.",
    )
    .requiredOption("--out-dir <dir>", "directory to write the histories into, one file per instance (never replaces anything but a history, and that only with --force)")
    .option("--host <address>", "gRPC endpoint: host:port (sidecar localhost:4001 or 50001, emulator localhost:8080) or https://<scheduler endpoint> (TLS)")
    .option("--url <app>", "Durable Functions app base URL (http://localhost:7071, https://<app>.azurewebsites.net), or an instance's status URL")
    .option("--instance <id...>", "these instances (default: every instance the query matches)")
    .option("--status <status...>", "only instances in these runtime statuses, e.g. Running Pending Suspended (comma-separated too)", collectStatus)
    .option("--created-after <date>", "only instances created at or after this ISO 8601 time", parseDate)
    .option("--created-before <date>", "only instances created at or before this ISO 8601 time", parseDate)
    .option("--name <orchestrator...>", "only instances of these orchestrators (case-insensitive)")
    .option("--prefix <text>", "only instance ids starting with this")
    .option("--page-size <n>", "instances per query page (default 100)", parsePositiveInt)
    .option("--limit <n>", "stop after this many instances", parsePositiveInt)
    .addOption(new Option("--history-format <format>", "format to write (default: friendly over gRPC, df-http over HTTP: the source's own shape)").choices([...HISTORY_FORMATS]))
    .option("--jsonl", "one event per line")
    .option("--redact", "replace payload strings with keyed hashes (names, ids, order, timestamps, versions, numbers and the payloads' shape are kept)")
    .option("--force", "replace files in --out-dir that already hold histories")
    .option("--timeout <duration>", "per request, e.g. 30s", parseDuration, 30_000)
    .option("--taskhub <name>", "task hub: the taskhub header over gRPC (Scheduler, emulator), the taskHub parameter over HTTP")
    .option("--tls", "gRPC over TLS (implied by https:// and --ca)")
    .option("--ca <file>", "PEM root certificates for a private CA (gRPC)")
    .option("--token <token>", "bearer token sent as authorization: Bearer <token> (gRPC; e.g. from az account get-access-token)")
    .option("--token-env <variable>", "read the bearer token from this environment variable (keeps it out of the process list)")
    .option("--metadata <key=value...>", "more gRPC headers, e.g. dapr-api-token=...", collectMetadata)
    .option("--code <key>", "the durabletask extension's system key (HTTP)")
    .option("--code-env <variable>", "read the key from this environment variable")
    .option("--connection <name>", "the app setting naming the storage connection (HTTP)")
    .addHelpText(
      "after",
      "\nExamples:\n  $ dtcheck pull --host localhost:4001 --status Running --out-dir histories/running\n  $ dtcheck pull --url https://my-app.azurewebsites.net --code-env DURABLE_KEY --status Running Pending --out-dir histories/running --redact\n  $ dtcheck drift --baseline git:origin/main:src/worker.ts --candidate src/worker.ts --histories histories/running",
    )
    .action(runPull);
}
