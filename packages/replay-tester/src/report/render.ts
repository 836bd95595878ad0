import { describeCall } from "../engines/calls.js";
import type { DurableCall } from "../engines/engine.js";
import type { ReplayResult, ReplaySummary } from "../replay/result.js";
import { codeFrame } from "./code-frame.js";
import { shownPath } from "../errors.js";
import { divergenceHint } from "./fix-hints.js";

export interface RenderOptions {
  /** Paths are shown relative to this directory (default: process.cwd()). */
  cwd?: string;
  /** Include a code frame of the user's source (default true). */
  codeFrame?: boolean;
  /** What a history without a file is called (default "(in-memory history)"). */
  unnamed?: string;
  /** Include the fix for a divergence (default true); off where the caller knows the cause better. */
  fix?: boolean;
}

function shown(file: string | undefined, cwd: string, unnamed = "(in-memory history)"): string {
  return file ? shownPath(file, cwd) : unnamed;
}

function callLine(label: string, call: DurableCall | undefined, cwd: string): string {
  const where = call?.location ? `  at ${shown(call.location.file, cwd)}:${call.location.line}:${call.location.column}` : "";
  const id = call && call.id >= 0 ? ` #${call.id}` : "";
  const input = call?.input !== undefined && call.kind !== "completion" ? ` input ${call.input}` : "";
  return `  ${label} ${describeCall(call)}${id}${input}${where}`;
}

/** A human rendering of one replay result: the verdict, the first divergence and where the code made the call. */
export function renderResult(result: ReplayResult, options: RenderOptions = {}): string {
  const cwd = options.cwd ?? process.cwd();
  const name = `${shown(result.file, cwd, options.unnamed)}${result.orchestrator ? ` (${result.orchestrator}, ${result.sdk})` : ""}`;
  switch (result.status) {
    case "ok":
      return `ok       ${name}: ${result.events} events, ${result.episodes} episodes replayed`;
    case "failed":
      return `failed   ${name}: ${result.error ?? "the history could not be replayed"}`;
    case "load-error":
      return `error    ${name}: ${result.error ?? "the orchestrator could not be loaded"}`;
    case "diverged":
      break;
  }
  const d = result.divergence!;
  const lines = [
    `diverged ${name}`,
    `  episode ${d.episode}, history event #${d.eventIndex}: ${d.message}`,
    callLine("expected (history):", d.expected, cwd),
    callLine("produced (code):   ", d.produced, cwd),
  ];
  if (d.reconstructed) {
    lines.push(`  note: this rests on a reconstructed event (${d.reconstructed}); the source format does not record it exactly`);
  }
  if (d.sdkMessage) {
    // durabletask-js rejects the history itself; for Durable Functions dtcheck makes the check DTFx makes.
    const label = result.sdk === "durable-functions" ? "DTFx check" : "SDK";
    lines.push(`  ${label}: ${d.sdkMessage.split(". ")[0]!.replace(/\.$/, "")}.`);
  }
  const hint = options.fix === false ? undefined : divergenceHint(d.reason, result.sdk ?? "durabletask");
  if (hint) lines.push(`  fix: ${hint}`);
  if (d.produced?.location && options.codeFrame !== false) {
    const frame = codeFrame(d.produced.location);
    if (frame) lines.push("", frame.replace(/^/gm, "  "));
  }
  return lines.join("\n");
}

/** One line per history plus totals. */
export function renderSummary(summary: ReplaySummary, options: RenderOptions = {}): string {
  const parts = summary.results.map((r) => renderResult(r, options));
  const total = summary.results.length;
  const totals = [
    `${total} ${total === 1 ? "history" : "histories"}: ${summary.ok} ok, ${summary.diverged} diverged, ${summary.failed} failed, ${summary.loadErrors} load errors`,
    `(${summary.durationMs.toFixed(0)} ms${summary.stoppedEarly ? "; stopped at the first failure (failFast)" : ""})`,
  ].join(" ");
  return [...parts, "", totals].join("\n");
}
