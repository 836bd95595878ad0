import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { functionAppEntries, isFunctionAppDir } from "../../src/load/function-app.js";
import { loadModule } from "../../src/load/load-module.js";

const app = fileURLToPath(new URL("../../../../fixtures/e2e/functions-app", import.meta.url));

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A throwaway app folder with the given files (relative path → content). */
function appWith(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "dtcheck-function-app-"));
  temps.push(dir);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

describe("an Azure Functions app folder", () => {
  it("is recognised by its host.json", () => {
    expect(isFunctionAppDir(app)).toBe(true);
    expect(isFunctionAppDir(path.join(app, "src"))).toBe(false);
    expect(isFunctionAppDir(path.join(app, "host.json"))).toBe(false);
  });

  it("loads the TypeScript sources behind main's glob (dist/src/{index.js,functions/*.js}, tsconfig outDir dist, rootDir .)", async () => {
    expect((await functionAppEntries(app)).map((f) => path.relative(app, f))).toEqual([
      "src/functions/helloOrchestrator.ts",
      "src/functions/sayHello.ts",
      "src/index.ts",
    ]);
    const loaded = await loadModule(app);
    expect([...loaded.orchestrators.keys()]).toEqual(["helloOrchestrator"]);
    expect(loaded.registrations.map((r) => `${r.sdk} ${r.kind} ${r.name}`)).toEqual([
      "durable-functions orchestrator helloOrchestrator",
      "durable-functions activity sayHello",
    ]);
  });

  it("loads the compiled files when there are no sources, and honours a tsconfig with comments and other folders", async () => {
    const dir = appWith({
      "host.json": "{}",
      "package.json": JSON.stringify({ main: "out/functions/*.js" }),
      "tsconfig.json": '{\n  // the template, edited\n  "compilerOptions": { "outDir": "./out/", "rootDir": "./lib", },\n}\n',
      "out/functions/b.js": "",
      "out/functions/a.js": "",
      "lib/functions/a.md": "",
    });
    expect((await functionAppEntries(dir)).map((f) => path.relative(dir, f))).toEqual(["out/functions/a.js", "out/functions/b.js"]);
    const withSources = appWith({
      "host.json": "{}",
      "package.json": JSON.stringify({ main: "out/functions/*.js" }),
      "tsconfig.json": '{ "compilerOptions": { "outDir": "out", "rootDir": "lib" } }',
      "out/functions/a.js": "",
      "lib/functions/a.ts": "",
      "lib/functions/a.d.ts": "",
    });
    expect((await functionAppEntries(withSources)).map((f) => path.relative(withSources, f))).toEqual(["lib/functions/a.ts"]);
  });

  it("says what is wrong in one line: no package.json, no main, a main that matches nothing", async () => {
    await expect(functionAppEntries(appWith({ "host.json": "{}" }))).rejects.toThrow(
      /has host\.json but no package\.json; a Node\.js function app names its code in package\.json "main" \(e\.g\. "dist\/src\/functions\/\*\.js"\)$/,
    );
    await expect(functionAppEntries(appWith({ "host.json": "{}", "package.json": "{}" }))).rejects.toThrow(
      'has no "main"; the Functions host (v4 programming model) loads the files it names, e.g. "main": "dist/src/functions/*.js"; add it, or pass --module <file>',
    );
    const unbuilt = appWith({ "host.json": "{}", "package.json": JSON.stringify({ main: "dist/src/functions/*.js" }), "tsconfig.json": '{ "compilerOptions": { "outDir": "dist", "rootDir": "." } }' });
    await expect(functionAppEntries(unbuilt)).rejects.toThrow(
      'package.json "main" (dist/src/functions/*.js) matches no file, and neither do the TypeScript sources behind it (src/functions/*.ts); build the app (npm run build) or fix "main"',
    );
  });
});
