import { pathToFileURL } from "node:url";
import path from "node:path";
import type { Finding, Level, Report, SourceLocation } from "./report.js";

const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT = "%SRCROOT%";

/** Relative, forward-slash, percent-encoded URI, as GitHub code scanning expects. */
function artifactUri(file: string, root: string): string {
  const relative = path.relative(root, path.resolve(root, file));
  const outside = relative.startsWith("..") || path.isAbsolute(relative);
  if (outside) return pathToFileURL(path.resolve(root, file)).href;
  return relative.split(path.sep).map(encodeURIComponent).join("/");
}

function physicalLocation(location: SourceLocation, root: string) {
  const uri = artifactUri(location.file, root);
  const region =
    location.line !== undefined
      ? {
          startLine: location.line,
          ...(location.column !== undefined ? { startColumn: location.column } : {}),
          ...(location.endLine !== undefined ? { endLine: location.endLine } : {}),
          ...(location.endColumn !== undefined ? { endColumn: location.endColumn } : {}),
        }
      : undefined;
  return {
    physicalLocation: {
      artifactLocation: uri.startsWith("file:") ? { uri } : { uri, uriBaseId: SRCROOT },
      ...(region ? { region } : {}),
    },
  };
}

function sarifLevel(level: Level): "error" | "warning" | "note" {
  return level;
}

function result(finding: Finding, ruleIndex: Map<string, number>, root: string) {
  const index = ruleIndex.get(finding.ruleId);
  return {
    ruleId: finding.ruleId,
    ...(index !== undefined ? { ruleIndex: index } : {}),
    level: sarifLevel(finding.level),
    message: { text: finding.message },
    ...(finding.location ? { locations: [physicalLocation(finding.location, root)] } : {}),
    ...(finding.related?.length
      ? {
          relatedLocations: finding.related.map((r, id) => ({
            id,
            message: { text: r.message },
            ...physicalLocation(r.location, root),
          })),
        }
      : {}),
  };
}

/** A SARIF 2.1.0 log with one run; `root` is the directory locations are relative to. */
export function toSarif(report: Report, options: { root: string; version: string }) {
  const ruleIndex = new Map(report.rules.map((rule, i) => [rule.id, i]));
  const rootUri = pathToFileURL(options.root.endsWith(path.sep) ? options.root : options.root + path.sep).href;
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
            rules: report.rules.map((rule) => ({
              id: rule.id,
              shortDescription: { text: rule.description },
              ...(rule.helpUri ? { helpUri: rule.helpUri } : {}),
              defaultConfiguration: { level: sarifLevel(rule.defaultLevel) },
            })),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: rootUri } },
        results: report.findings.map((finding) => result(finding, ruleIndex, options.root)),
        // fuzz and drift: which durable call sites each orchestrator's runs reached.
        ...(report.coverage ? { properties: { "dtcheck/coverage": report.coverage } } : {}),
      },
    ],
  };
}
