/**
 * What GitHub code scanning documents it reads from a SARIF upload ("SARIF support for code
 * scanning"), as checks: a rule needs id, shortDescription, fullDescription and help text; a result
 * needs ruleId, message text, one location with a relative URI (a region with a start line), and
 * partialFingerprints (other uploaders than GitHub's action do not compute them). dtcheck adds its
 * own promises: no absolute paths or timestamps in messages, no links into files the run wrote,
 * and no `primaryLocationLineHash`, which GitHub computes itself and warns about when it differs.
 */
interface Text {
  text?: string;
}
interface Location {
  id?: number;
  physicalLocation?: { artifactLocation?: { uri?: string; uriBaseId?: string }; region?: { startLine?: number } };
}
interface Log {
  runs: {
    tool: { driver: { name?: string; rules?: { id?: string; shortDescription?: Text; fullDescription?: Text; help?: Text }[] } };
    results: { ruleId?: string; message?: Text; locations?: Location[]; relatedLocations?: Location[]; partialFingerprints?: Record<string, string> }[];
  }[];
}

const ABSOLUTE = /(?:^|[\s("'])(?:\/(?:work|tmp|home|Users|var)\/|[A-Za-z]:\\)|file:\/\//;
const TIMESTAMP = /\b\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2})?/;

export function codeScanningProblems(log: Log): string[] {
  const problems: string[] = [];
  for (const run of log.runs) {
    if (!run.tool.driver.name) problems.push("tool.driver.name missing");
    for (const rule of run.tool.driver.rules ?? []) {
      for (const field of ["shortDescription", "fullDescription", "help"] as const) {
        if (!rule[field]?.text) problems.push(`rule ${rule.id}: ${field}.text missing`);
      }
    }
    run.results.forEach((result, i) => {
      const where = `result ${i} (${result.ruleId})`;
      if (!result.ruleId) problems.push(`${where}: ruleId missing`);
      const message = result.message?.text ?? "";
      if (!message) problems.push(`${where}: message.text missing`);
      if (ABSOLUTE.test(message)) problems.push(`${where}: absolute path in the message: ${message}`);
      if (TIMESTAMP.test(message)) problems.push(`${where}: timestamp in the message: ${message}`);
      const fingerprints = Object.keys(result.partialFingerprints ?? {});
      if (fingerprints.length === 0) problems.push(`${where}: no partialFingerprints`);
      if (fingerprints.includes("primaryLocationLineHash")) problems.push(`${where}: sends GitHub's own primaryLocationLineHash`);
      if (result.locations?.length !== 1) problems.push(`${where}: ${result.locations?.length ?? 0} locations, code scanning reads exactly one`);
      for (const location of result.locations ?? []) {
        const artifact = location.physicalLocation?.artifactLocation;
        if (!artifact?.uri || artifact.uri.startsWith("file:") || artifact.uri.startsWith("/")) problems.push(`${where}: location URI not relative to the checkout: ${artifact?.uri}`);
        if (artifact?.uriBaseId !== "%SRCROOT%") problems.push(`${where}: location without uriBaseId %SRCROOT%`);
        const region = location.physicalLocation?.region;
        if (region && !region.startLine) problems.push(`${where}: region without startLine`);
      }
      for (const related of result.relatedLocations ?? []) {
        const uri = related.physicalLocation?.artifactLocation?.uri ?? "";
        if (typeof related.id !== "number") problems.push(`${where}: related location without id`);
        if (uri.startsWith("file:") || uri.split("/").includes(".dtcheck")) problems.push(`${where}: related location outside the repository: ${uri}`);
      }
    });
  }
  return problems;
}
