import { relative } from "node:path";
import type { SourceLocation } from "../engines/engine.js";
import type { CoverageRecorder } from "./recorder.js";
import type { CallSite, StaticCallSites } from "./static-sites.js";

/** One durable call site and whether the check's runs reached it. */
export interface SiteCoverage extends CallSite {
  reached: boolean;
}

/** "N of M durable call sites reached" for one orchestrator (one version of it, for drift). */
export interface CoverageSummary {
  reached: number;
  total: number;
  /**
   * Whether M comes from the orchestrator's code. False when its function could not be found in
   * the module's source (then M counts only the sites the runs reached).
   */
  fromSource: boolean;
  sites: SiteCoverage[];
}

/** The static site a reached location is: same file and line, nearest column (several calls may share a line). */
function matchSite(sites: SiteCoverage[], location: SourceLocation): SiteCoverage | undefined {
  let best: SiteCoverage | undefined;
  for (const site of sites) {
    if (site.file !== location.file || site.line !== location.line) continue;
    if (!best || Math.abs(site.column - location.column) < Math.abs(best.column - location.column)) best = site;
  }
  return best;
}

/** Joins what the code contains with what the runs reached; a reached site the parse did not list is added. */
export function summarizeCoverage(statics: StaticCallSites, recorder: CoverageRecorder): CoverageSummary {
  const sites: SiteCoverage[] = statics.sites.map((site) => ({ ...site, reached: false }));
  for (const { location, method } of recorder.reached.values()) {
    const site = matchSite(sites, location);
    if (site) site.reached = true;
    else sites.push({ file: location.file, line: location.line, column: location.column, method, conditions: [], versionGated: false, reached: true });
  }
  return { reached: sites.filter((s) => s.reached).length, total: sites.length, fromSource: statics.function !== undefined, sites };
}

/** `processOrder.ts:12`, relative to cwd when below it. */
export function siteLabel(site: { file: string; line: number }, cwd: string): string {
  const rel = relative(cwd, site.file);
  return `${rel && !rel.startsWith("..") ? rel : site.file}:${site.line}`;
}

/** `activity "chargePayment"`, `timer`, `wait for event "approval"`. */
export function describeSite(site: CallSite): string {
  const name = site.name === undefined ? "" : ` ${JSON.stringify(site.name)}`;
  switch (site.method) {
    case "callActivity":
    case "callActivityWithRetry":
      return `activity${name}`;
    case "callSubOrchestrator":
    case "callSubOrchestratorWithRetry":
    case "callSubWorkflow":
    case "callChildWorkflow":
      return `sub-orchestration${name}`;
    case "createTimer":
      return "timer";
    case "waitForExternalEvent":
      return `wait for event${name}`;
    case "callHttp":
      return "HTTP call";
    default:
      return `${site.method}${name}`;
  }
}

/** "N of M durable call sites reached" (M unknown when the code was not found). */
export function coverageLine(summary: CoverageSummary): string {
  if (!summary.fromSource) return `${summary.reached} durable call ${summary.reached === 1 ? "site" : "sites"} reached (the orchestrator's function was not found in its source, so the total is unknown)`;
  return `${summary.reached} of ${summary.total} durable call ${summary.total === 1 ? "site" : "sites"} reached`;
}

const signature = (site: CallSite) => `${site.method}\0${site.name ?? ""}`;

/**
 * The call sites one version has and the other does not, compared by what they call (method and
 * name, not line: an edit above a call moves it without changing it). When a call appears more
 * often in one version, every occurrence of it there counts as changed, since which one is new
 * cannot be told apart.
 */
export function changedSites<S extends CallSite>(baseline: readonly S[], candidate: readonly S[]): { added: S[]; removed: S[] } {
  const count = (sites: readonly S[]) => {
    const counts = new Map<string, number>();
    for (const site of sites) counts.set(signature(site), (counts.get(signature(site)) ?? 0) + 1);
    return counts;
  };
  const before = count(baseline);
  const after = count(candidate);
  return {
    added: candidate.filter((s) => (after.get(signature(s)) ?? 0) > (before.get(signature(s)) ?? 0)),
    removed: baseline.filter((s) => (before.get(signature(s)) ?? 0) > (after.get(signature(s)) ?? 0)),
  };
}
