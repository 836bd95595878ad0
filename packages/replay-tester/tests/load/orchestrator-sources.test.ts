import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { staticCallSites } from "../../src/coverage/static-sites.js";
import { originalSource, sourceOf } from "../../src/files/original-source.js";
import { describeInferred, inferValues } from "../../src/inputs/infer.js";
import { loadModule, pickOrchestrator } from "../../src/load/load-module.js";

// Where types and call sites are read from: the file that registered the orchestrator (a function
// app's own file, not the app folder), and the TypeScript a compiled module was built from.
const repository = fileURLToPath(new URL("../../../../", import.meta.url));

const SOURCE = `import { TaskHubGrpcWorker, type OrchestrationContext } from "@microsoft/durabletask-js";

interface Order {
  id: string;
  express: boolean;
}

export async function* ship(ctx: OrchestrationContext, order: Order): AsyncGenerator<unknown, string, unknown> {
  const valid: boolean = yield ctx.callActivity("validate", order.id);
  if (!valid) return "rejected";
  if (order.express) yield ctx.callActivity("expedite", order.id);
  return yield ctx.callActivity("ship", order.id);
}

new TaskHubGrpcWorker({ hostAddress: "localhost:4001" }).addOrchestrator(ship);
`;

let project: string;
beforeAll(() => {
  // What tsc emits with "sourceMap": true, beside its source, in a project of its own.
  project = mkdtempSync(join(tmpdir(), "dtcheck-sources-"));
  symlinkSync(join(repository, "node_modules"), join(project, "node_modules"), "junction");
  writeFileSync(join(project, "package.json"), JSON.stringify({ type: "module" }));
  writeFileSync(join(project, "worker.ts"), SOURCE);
  const out = ts.transpileModule(SOURCE, { fileName: "worker.ts", compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: true } });
  writeFileSync(join(project, "worker.js"), out.outputText);
  writeFileSync(join(project, "worker.js.map"), out.sourceMapText!);
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

describe("where an orchestrator's source is read", () => {
  it("a function app's orchestrator: the file that registered it, so its call sites are counted", async () => {
    const app = join(repository, "fixtures/e2e/functions-app");
    const target = pickOrchestrator(await loadModule(app), "helloOrchestrator");
    expect(target.modulePath).toBe(app);
    expect(target.sourceFile).toBe(join(app, "src/functions/helloOrchestrator.ts"));
    const sites = staticCallSites(target);
    expect(sites.function).toEqual({ file: join(app, "src/functions/helloOrchestrator.ts"), line: 8 });
    expect(sites.sites.map((site) => [site.line, site.name])).toEqual([[11, "sayHello"]]);
  });

  it("a compiled module with a source map: the TypeScript it was built from, for call sites and types", async () => {
    const compiled = join(project, "worker.js");
    const target = pickOrchestrator(await loadModule(compiled), "ship");
    expect(originalSource(compiled)).toBe(join(project, "worker.ts"));
    expect(sourceOf(target)).toBe(join(project, "worker.ts"));
    expect(staticCallSites(target).sites.map((site) => [site.file, site.line, site.name])).toEqual([
      [join(project, "worker.ts"), 9, "validate"],
      [join(project, "worker.ts"), 11, "expedite"],
      [join(project, "worker.ts"), 12, "ship"],
    ]);
    const inferred = describeInferred(await inferValues({ name: "ship", modulePath: sourceOf(target), functionName: target.fn.name }));
    expect(inferred).toEqual([`input: Order from parameter "order" (${join(project, "worker.ts")}:8)`, `activity "validate" result: boolean from variable "valid" (${join(project, "worker.ts")}:9)`]);
  });

  it("a file without a source map, or one that is not JavaScript, is its own source", () => {
    const plain = join(project, "plain.js");
    writeFileSync(plain, "export const x = 1;\n");
    expect(originalSource(plain)).toBe(plain);
    expect(originalSource(join(project, "worker.ts"))).toBe(join(project, "worker.ts"));
  });
});
