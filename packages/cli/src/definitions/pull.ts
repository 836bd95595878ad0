import { InvalidArgumentError, Option, type Command } from "commander";
import { HISTORY_FORMATS } from "@dtcheck/replay-tester/history";
import { parseDuration, parsePositiveInt } from "../duration.js";
import { lazyAction } from "./shared.js";

function parseDate(value: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) throw new InvalidArgumentError(`"${value}" is not a date; use ISO 8601, e.g. 2026-11-30 or 2026-11-30T12:00:00Z`);
  return date;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function collectMetadata(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = value.indexOf("=");
  if (at <= 0) throw new InvalidArgumentError(`"${value}" is not key=value`);
  return { ...previous, [value.slice(0, at).trim().toLowerCase()]: value.slice(at + 1) };
}

export function definePull(program: Command): void {
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
    .option("--status <status...>", "only instances in these runtime statuses, e.g. Running Pending Suspended (comma-separated too)", collect)
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
    .action(lazyAction(async () => (await import("../commands/pull.js")).runPull));
}
