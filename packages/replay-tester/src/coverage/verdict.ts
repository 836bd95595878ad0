/**
 * When a fuzz or drift run that found nothing still cannot vouch for the orchestrator: a changed
 * call site no run reached, most instances failing at once, or no instance finishing at all.
 */
import type { SourceLocation } from "../engines/engine.js";
import type { GenerationStats } from "../fuzz/stats.js";
import type { Inconclusive, Unfinished } from "../fuzz/result.js";
import { functionLocation, type StaticCallSites } from "./static-sites.js";
import { changedSites, describeSite, siteLabel, type CoverageSummary, type SiteCoverage } from "./summary.js";

/**
 * How to hand the orchestrator an input that takes another path: per orchestrator (`fuzz.inputs`
 * keyed by its name, `--input name=...`), so the advice is right in a worker with several.
 */
export function inputHint(orchestrator: string, what = "that takes that path"): string {
  const key = /^[A-Za-z_$][\w$]*$/.test(orchestrator) ? `.${orchestrator}` : `[${JSON.stringify(orchestrator)}]`;
  return `give ${orchestrator} an input ${what}: fuzz.inputs${key} in dtcheck.config (a JSON value or a fast-check arbitrary), or --input ${orchestrator}=<json|@file> on dtcheck fuzz and dtcheck drift`;
}

function locationOf(site: SiteCoverage): SourceLocation {
  return { file: site.file, line: site.line, column: site.column };
}

function behind(site: SiteCoverage): string {
  return site.conditions.length > 0 ? ` (behind ${site.conditions.map((c) => `\`${c}\``).join(" and ")})` : "";
}

/**
 * Drift: call sites that differ between the versions (by what they call) must have been reached,
 * the candidate's by the replays of the baseline's histories and the baseline's by its generated
 * worlds; otherwise the replays never tested the change. A candidate site behind a version check
 * is exempt: instances the baseline started never take it, by design.
 */
export function unreachedChange(baseline: CoverageSummary, candidate: CoverageSummary, orchestrator: string, cwd: string): Inconclusive | undefined {
  if (!baseline.fromSource || !candidate.fromSource) return undefined;
  const { added, removed } = changedSites(baseline.sites, candidate.sites);
  const unreached = [...added.filter((s) => !s.reached && !s.versionGated), ...removed.filter((s) => !s.reached)];
  const first = unreached[0];
  if (!first) return undefined;
  const side = added.includes(first) ? "the candidate's" : "the baseline's";
  const what = added.includes(first) ? "no replay of a baseline history reached it" : "no generated baseline instance reached it, so its removal was never replayed";
  const more = unreached.length > 1 ? `; ${unreached.length - 1} more changed call ${unreached.length === 2 ? "site" : "sites"} not reached either` : "";
  return {
    reason: "unreached-change",
    message: `inconclusive: ${side} ${describeSite(first)} at ${siteLabel(first, cwd)}${behind(first)} differs from the other version and ${what}${more}`,
    hint: inputHint(orchestrator),
    location: locationOf(first),
    unreached,
  };
}

/** Most generated instances threw in their first episode (e.g. the input lacks what the code reads). */
export function earlyErrors(stats: GenerationStats, orchestrator: string, where: StaticCallSites): Inconclusive | undefined {
  if (stats.histories === 0 || stats.firstEpisodeFailures * 2 <= stats.histories) return undefined;
  const error = stats.firstEpisodeError ? ` (${stats.firstEpisodeError})` : "";
  const result: Inconclusive = {
    reason: "early-errors",
    message: `inconclusive: ${stats.firstEpisodeFailures} of ${stats.histories} generated instances failed in their first episode${error}, so little past the start was tested`,
    hint: inputHint(orchestrator, "it can run with"),
  };
  const at = functionLocation(where);
  if (at) result.location = at;
  return result;
}

/**
 * Most generated instances failed after their first episode with an error of the code's own, not
 * a task failure the world injected (`yield Promise.all(...)`, a bug behind the first result): the
 * same early end in most worlds, so little past it was tested.
 */
export function ownErrors(stats: GenerationStats, orchestrator: string, where: StaticCallSites): Inconclusive | undefined {
  if (stats.histories === 0 || stats.ownFailures * 2 <= stats.histories) return undefined;
  const result: Inconclusive = {
    reason: "own-errors",
    message: `inconclusive: ${stats.ownFailures} of ${stats.histories} generated instances failed with an error of the orchestrator's own (${stats.ownFailureError}), not a task failure the world injected, so little past it was tested`,
    hint: `find where the code throws it (dtcheck record runs one instance and prints how it ended) and fix it; if only some inputs cause it, ${inputHint(orchestrator, "that avoids it")}`,
  };
  const at = functionLocation(where);
  if (at) result.location = at;
  return result;
}

/**
 * No generated instance made any of the durable calls the orchestrator's source holds: its code
 * never ran under the SDK (a plain `function*` given to durabletask-js completes at once), or every
 * instance ended before its first call.
 */
export function noCallReached(coverage: CoverageSummary | undefined, stats: GenerationStats, orchestrator: string, where: StaticCallSites): Inconclusive | undefined {
  if (!coverage?.fromSource || coverage.total === 0 || coverage.reached > 0 || stats.histories === 0) return undefined;
  const ended = Object.entries(stats.outcomes)
    .map(([status, count]) => `${count} ${status}`)
    .join(", ");
  // e.g. "(of 100 instances: 100 completed)"
  const result: Inconclusive = {
    reason: "no-call-reached",
    message: `inconclusive: no generated instance made any of the ${coverage.total} durable ${coverage.total === 1 ? "call" : "calls"} in the orchestrator's source (of ${stats.histories} instances: ${ended}), so none of its code was tested`,
    hint: `check that the SDK runs it: durabletask-js and Dapr drive an \`async function*\`, Durable Functions a \`function*\` (dtcheck lint's generator-shape rule checks it); if ${orchestrator} returns before its first call, ${inputHint(orchestrator, "that gets past it")}`,
  };
  const at = functionLocation(where);
  if (at) result.location = at;
  return result;
}

/**
 * Fewer than half the generated instances were checked to the end: most were cut short at the
 * world's episode limit (or cut short and failed at once between them), so a pass says little.
 * Every instance cut short is `unfinished`'s case; most failing at once is `earlyErrors`'s.
 */
export function mostlyUnchecked(stats: GenerationStats, where: StaticCallSites): Inconclusive | undefined {
  if (stats.histories === 0 || stats.cutShort === 0 || stats.cutShort >= stats.histories || stats.checked * 2 >= stats.histories) return undefined;
  const failedToo = stats.firstEpisodeFailures > 0 ? ` and ${stats.firstEpisodeFailures} failed in their first episode` : "";
  const result: Inconclusive = {
    reason: "cut-short",
    message: `inconclusive: ${stats.cutShort} of ${stats.histories} generated instances were still running after ${stats.maxEpisodes} episodes and were cut short${failedToo}, so only ${stats.checked} ran to the end and were checked`,
    hint: "if the orchestrator legitimately needs more episodes, raise fuzz.maxEpisodes in dtcheck.config; if it loops, give the loop an exit it reaches, or end each iteration of an eternal orchestration with continueAsNew",
  };
  const at = functionLocation(where);
  if (at) result.location = at;
  return result;
}

/** No generated instance finished (or continued as new) within the world's episode limit. */
export function unfinished(stats: GenerationStats, where: StaticCallSites): Unfinished | undefined {
  if (stats.histories === 0 || stats.cutShort < stats.histories) return undefined;
  const result: Unfinished = {
    maxEpisodes: stats.maxEpisodes,
    histories: stats.histories,
    message: `does not finish within ${stats.maxEpisodes} episodes: all ${stats.histories} generated instances were still running when the world stopped, so the orchestrator may loop forever`,
    hint: "give the loop an exit the orchestrator reaches, or end each iteration of an eternal orchestration with continueAsNew; if it legitimately needs more episodes, raise fuzz.maxEpisodes in dtcheck.config",
  };
  const at = functionLocation(where);
  if (at) result.location = at;
  return result;
}
