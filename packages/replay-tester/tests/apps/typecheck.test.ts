// Keeps fixtures/apps honest: every sample type-checks against the installed SDK types, has the files
// the loader and recorder expect, and the README's bug table points at the real `// BUG:` lines.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { normaliseStubs } from "../../src/record/stubs.js";

const appsDir = fileURLToPath(new URL("../../../../fixtures/apps/", import.meta.url));

/** Files each app must have, per SDK folder (the loader reads the entry file, record reads the JSON). */
const requiredFiles: Record<string, string[]> = {
  durabletask: ["orchestrators.ts", "activities.ts", "worker.ts", "stubs.json", "input.json"],
  "durable-functions": ["index.ts", "stubs.json", "input.json"],
  dapr: ["workflows.ts", "worker.ts", "stubs.json", "input.json"],
};

function parseAppsConfig(): ts.ParsedCommandLine {
  const configPath = path.join(appsDir, "tsconfig.json");
  const read = ts.readConfigFile(configPath, ts.sys.readFile);
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, "\n"));
  return ts.parseJsonConfigFileContent(read.config, ts.sys, appsDir, undefined, configPath);
}

function describeDiagnostics(diagnostics: readonly ts.Diagnostic[]): string[] {
  return diagnostics.map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
    if (!diagnostic.file || diagnostic.start === undefined) return message;
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `${path.relative(appsDir, diagnostic.file.fileName)}:${line + 1}:${character + 1} ${message}`;
  });
}

/** App folders: a folder holding one of its SDK's entry files (versioned apps nest one level deeper). */
function appFolders(sdk: string): string[] {
  const entry = requiredFiles[sdk]?.[0] ?? "";
  const found: string[] = [];
  const visit = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const child = path.join(dir, name);
      if (!statSync(child).isDirectory() || name === "lib" || name === "vendor") continue;
      if (readdirSync(child).includes(entry)) found.push(child);
      else visit(child);
    }
  };
  visit(path.join(appsDir, sdk));
  return found.map((dir) => path.relative(appsDir, dir).split(path.sep).join("/")).sort();
}

function bugMarkers(): string[] {
  const markers: string[] = [];
  for (const file of parseAppsConfig().fileNames) {
    readFileSync(file, "utf8")
      .split("\n")
      .forEach((line, index) => {
        if (/\/\/ BUG: \S/.test(line)) markers.push(`${path.relative(appsDir, file).split(path.sep).join("/")}:${index + 1}`);
      });
  }
  return markers.sort();
}

describe("fixtures/apps", () => {
  const config = parseAppsConfig();
  let program: ts.Program | undefined;

  it("type-checks every sample against the installed SDK types with zero diagnostics", () => {
    expect(describeDiagnostics(config.errors)).toEqual([]);
    program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
    expect(describeDiagnostics(ts.getPreEmitDiagnostics(program))).toEqual([]);
  });

  it("would report a misuse of an SDK API (the check is not vacuous)", () => {
    const probe = path.join(appsDir, "durabletask", "__probe__.ts");
    const probeText = [
      'import type { OrchestrationContext } from "@microsoft/durabletask-js";',
      "export async function* probe(ctx: OrchestrationContext) {",
      '  yield ctx.callActivity("a", 1, { retry: 3 });',
      "}",
    ].join("\n");
    const host = ts.createCompilerHost(config.options);
    const readFile = host.readFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    host.readFile = (file) => (path.resolve(file) === probe ? probeText : readFile(file));
    host.fileExists = (file) => path.resolve(file) === probe || fileExists(file);
    const probed = ts.createProgram({ rootNames: [...config.fileNames, probe], options: config.options, host, oldProgram: program });
    const found = describeDiagnostics(ts.getPreEmitDiagnostics(probed));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^durabletask\/__probe__\.ts:3:.*'number' is not assignable/);
  });

  it.each(Object.keys(requiredFiles))("gives every %s app its entry files and valid JSON stubs and input", (sdk) => {
    const apps = appFolders(sdk);
    // Every SDK has at least these apps (more are added over time), so the loop below never runs on none.
    expect(apps).toEqual(expect.arrayContaining(["approval", "chaining", "newsletter", "buggy-newsletter"].map((name) => `${sdk}/${name}`)));
    for (const app of apps) {
      const files = readdirSync(path.join(appsDir, app));
      expect({ app, missing: (requiredFiles[sdk] ?? []).filter((file) => !files.includes(file)) }).toEqual({ app, missing: [] });
      // Stubs in the structured form, every section one the recorder reads (normaliseStubs throws on
      // an unknown one and reads a flat map as activities only), with at least one activity stubbed.
      const stubs = JSON.parse(readFileSync(path.join(appsDir, app, "stubs.json"), "utf8")) as Record<string, unknown>;
      const read = normaliseStubs(stubs, `${app}/stubs.json`);
      expect({ app, sections: Object.keys(read), activities: Object.keys(read.activities ?? {}).length > 0 }).toEqual({ app, sections: Object.keys(stubs), activities: true });
      // The input every sample orchestrator takes is one JSON object.
      const input: unknown = JSON.parse(readFileSync(path.join(appsDir, app, "input.json"), "utf8"));
      expect({ app, input: input === null ? "null" : Array.isArray(input) ? "array" : typeof input }).toEqual({ app, input: "object" });
    }
  });

  it("lists every `// BUG:` line of the buggy twins in the README table, and no stale ones", () => {
    const readme = readFileSync(path.join(appsDir, "README.md"), "utf8");
    const listed = [...readme.matchAll(/`([\w./-]+\.ts:\d+)`/g)].map((match) => match[1] ?? "").sort();
    expect(listed).toEqual(bugMarkers());
  });
});
