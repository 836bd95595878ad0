import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Finding, RelatedLocation, Report, RuleInfo, SourceLocation } from "./report.js";
import { ruleDoc } from "./rule-docs.js";

const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT = "%SRCROOT%";
/**
 * Our own partialFingerprints key: `primaryLocationLineHash` is GitHub's, which its upload action
 * computes itself and warns about when a tool sends a different value.
 */
export const FINGERPRINT_KEY = "dtcheckFindingHash/v1";

function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
}

/** Relative, forward-slash, percent-encoded URI under %SRCROOT%, as GitHub code scanning expects; file: URI outside the root. */
function artifactLocation(file: string, root: string): { uri: string; uriBaseId?: string } {
  const absolute = path.resolve(root, file);
  if (!isInside(root, absolute)) return { uri: pathToFileURL(absolute).href };
  return { uri: path.relative(root, absolute).split(path.sep).map(encodeURIComponent).join("/"), uriBaseId: SRCROOT };
}

function region(location: SourceLocation) {
  if (location.line === undefined) return undefined;
  return {
    startLine: location.line,
    ...(location.column !== undefined ? { startColumn: location.column } : {}),
    ...(location.endLine !== undefined ? { endLine: location.endLine } : {}),
    ...(location.endColumn !== undefined ? { endColumn: location.endColumn } : {}),
  };
}

function physicalLocation(location: SourceLocation, root: string) {
  const where = region(location);
  return { physicalLocation: { artifactLocation: artifactLocation(location.file, root), ...(where ? { region: where } : {}) } };
}

const ISO_TIME = /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g;
// An absolute POSIX or Windows path, not part of a URL or of a longer relative path.
const ABSOLUTE_PATH = /(?<![\w.:/\\-])(?:\/|[A-Za-z]:\\)(?:[\w.@+-]+[/\\])*[\w.@+-]+/g;

/**
 * Message text fit for a report that is compared run to run: paths below the root relative to it
 * (absolute ones say where the tool ran, not where the problem is) and timestamps as numbered placeholders
 * (fuzzed clocks differ every run; the numbering keeps "a vs b" readable).
 */
export function portableMessage(text: string, root: string): string {
  const times = new Map<string, number>();
  return text
    // Outside the root there is nothing shorter that still names the file: left as it is.
    .replace(ABSOLUTE_PATH, (candidate) => (isInside(root, candidate) && existsSync(candidate) ? path.relative(root, candidate).split(path.sep).join("/") : candidate))
    .replace(ISO_TIME, (time) => {
      if (!times.has(time)) times.set(time, times.size + 1);
      return `<time ${times.get(time)}>`;
    });
}

/** The message with what moves when lines are inserted above removed: `file.ts:12:5` → `file.ts`, `line 12` → `line`. */
function lineFree(text: string): string {
  return text
    .replace(/(\.[A-Za-z]+):\d+(?::\d+)?/g, "$1")
    .replace(/\b(lines?) \d+(?:-\d+)?/g, "$1")
    .replace(/<time \d+>/g, "<time>");
}

const sourceCache = new Map<string, string[] | undefined>();
function sourceLines(file: string): string[] | undefined {
  if (!sourceCache.has(file)) {
    let lines: string[] | undefined;
    try {
      lines = readFileSync(file, "utf8").split(/\r?\n/);
    } catch {
      lines = undefined;
    }
    sourceCache.set(file, lines);
  }
  return sourceCache.get(file);
}

/** The code at a location with whitespace collapsed: what the finding is about, wherever it moved to. */
function snippet(location: SourceLocation | undefined, root: string): string {
  if (!location?.line) return "";
  const lines = sourceLines(path.resolve(root, location.file));
  if (!lines || location.line > lines.length) return "";
  const last = Math.min(location.endLine ?? location.line, location.line + 9, lines.length);
  const picked = lines.slice(location.line - 1, last);
  if (location.endLine === last && location.endColumn !== undefined) picked[picked.length - 1] = picked.at(-1)!.slice(0, location.endColumn - 1);
  if (location.column !== undefined) picked[0] = picked[0]!.slice(location.column - 1);
  return picked.join(" ").replace(/\s+/g, " ").trim().slice(0, 500);
}

/**
 * Stable fingerprints: rule + file + the code at the location + (the finding's own identity, else
 * its line-free message), plus the occurrence number among equal ones, so inserting lines above
 * a finding leaves it unchanged while two identical findings in one file stay apart.
 */
function fingerprints(findings: Finding[], root: string): string[] {
  const seen = new Map<string, number>();
  return findings.map((finding) => {
    const uri = finding.location ? artifactLocation(finding.location.file, root).uri : "";
    const identity = `${snippet(finding.location, root)}\n${finding.identity ?? lineFree(portableMessage(finding.message, root))}`;
    const hash = createHash("sha256").update([finding.ruleId, uri, identity].join("\0")).digest("hex").slice(0, 32);
    const occurrence = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, occurrence);
    return `${hash}:${occurrence}`;
  });
}

function ruleDescriptor(rule: RuleInfo) {
  const doc = ruleDoc(rule.id, rule.helpUri);
  const seeAlso = rule.helpUri ? ` See ${rule.helpUri}` : "";
  return {
    id: rule.id,
    shortDescription: { text: rule.description },
    fullDescription: { text: doc?.lead || rule.description },
    help: doc
      ? { text: doc.markdown, markdown: doc.markdown }
      : { text: `${rule.description}${seeAlso}`, markdown: `${rule.description}${rule.helpUri ? ` See [the documentation](${rule.helpUri}).` : ""}` },
    ...(rule.helpUri ? { helpUri: rule.helpUri } : {}),
    defaultConfiguration: { level: rule.defaultLevel },
  };
}

function relatedParts(related: RelatedLocation[] | undefined, root: string) {
  const linked = (related ?? []).filter((r) => !r.generated);
  const generated = (related ?? []).filter((r) => r.generated);
  return {
    ...(linked.length
      ? { relatedLocations: linked.map((r, id) => ({ id, message: { text: portableMessage(r.message, root) }, ...physicalLocation(r.location, root) })) }
      : {}),
    // Files this run wrote are not in the repository: named, never linked.
    ...(generated.length
      ? { properties: { generatedFiles: generated.map((r) => ({ description: r.message, path: path.relative(root, path.resolve(root, r.location.file)).split(path.sep).join("/") })) } }
      : {}),
  };
}

/** A SARIF 2.1.0 log with one run; `root` is the directory locations are relative to. */
export function toSarif(report: Report, options: { root: string; version: string }) {
  const root = path.resolve(options.root);
  const ruleIndex = new Map(report.rules.map((rule, i) => [rule.id, i]));
  const rootUri = pathToFileURL(root.endsWith(path.sep) ? root : root + path.sep).href;
  const hashes = fingerprints(report.findings, root);
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0" as const,
    runs: [
      {
        tool: {
          driver: {
            name: "dtcheck",
            version: options.version,
            informationUri: "https://github.com/dtcheck/dtcheck",
            rules: report.rules.map(ruleDescriptor),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: rootUri } },
        // ESLint and the engines report 1-based columns in UTF-16 code units.
        columnKind: "utf16CodeUnits" as const,
        results: report.findings.map((finding, i) => {
          const index = ruleIndex.get(finding.ruleId);
          return {
            ruleId: finding.ruleId,
            ...(index !== undefined ? { ruleIndex: index } : {}),
            level: finding.level,
            message: { text: portableMessage(finding.message, root) },
            ...(finding.location ? { locations: [physicalLocation(finding.location, root)] } : {}),
            partialFingerprints: { [FINGERPRINT_KEY]: hashes[i]! },
            ...relatedParts(finding.related, root),
          };
        }),
        // fuzz and drift: which durable call sites each orchestrator's runs reached.
        ...(report.coverage ? { properties: { "dtcheck/coverage": report.coverage } } : {}),
      },
    ],
  };
}
