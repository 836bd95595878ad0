import path from "node:path";
import { shownPath } from "../output/paths.js";
import {
  InputError,
  parseRuntimeStatus,
  pullFromFunctionsApp,
  pullFromTaskHub,
  PulledHistoryWriter,
  type HistoryFormat,
  type InstanceSelection,
  type PulledHistory,
  type PullResult,
} from "@dtcheck/replay-tester";

interface PullFlags {
  outDir: string;
  host?: string;
  url?: string;
  instance?: string[];
  /** As typed (comma-separated too); checked here so the definition loads nothing of replay-tester. */
  status?: string[];
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

export async function runPull(flags: PullFlags): Promise<void> {
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
    statuses: flags.status?.flatMap((value) => value.split(",")).map(parseRuntimeStatus),
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
  const outDir = path.resolve(flags.outDir);
  // Each history is checked and staged as it arrives, and all are put in place once the last is in.
  const writer = new PulledHistoryWriter({ outDir, format: flags.historyFormat, jsonl: flags.jsonl, force: flags.force, redact: flags.redact });
  const take = (pulled: PulledHistory) => writer.add(pulled);
  let result: PullResult;
  try {
    result =
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
            take,
          )
        : await pullFromFunctionsApp(
            { url: flags.url!, code: flags.code ?? fromEnv(flags.codeEnv, "--code-env"), taskHub: flags.taskhub, connection: flags.connection, timeoutMs: flags.timeout },
            selection,
            take,
          );
  } catch (error) {
    writer.abort();
    throw error;
  }
  const shown = (file: string) => (path.resolve(cwd, file) === cwd ? "." : shownPath(cwd, file));
  if (writer.count === 0) {
    process.stdout.write(`no instance matched on ${result.source}; nothing written to ${shown(outDir)}\n`);
    return;
  }
  const { written, notes } = writer.commit();
  const formats = [...new Set(written.map((w) => w.format))].join(", ");
  const pages = result.pages > 0 ? `, ${result.pages} query ${result.pages === 1 ? "page" : "pages"}` : "";
  const lines = [`pulled ${written.length} ${written.length === 1 ? "history" : "histories"} from ${result.source} into ${shown(outDir)} (${formats}${flags.redact ? ", payloads redacted" : ""}${pages})`];
  const width = Math.max(...written.map((w) => shown(w.file).length));
  for (const w of written) lines.push(`  ${shown(w.file).padEnd(width)}  ${w.name}  ${w.status}  ${w.events} events${w.reconstructed > 0 ? `, ${w.reconstructed} rebuilt` : ""}`);
  process.stdout.write(lines.join("\n") + "\n");
  for (const note of notes) process.stderr.write(`dtcheck: note: ${note}\n`);
}
