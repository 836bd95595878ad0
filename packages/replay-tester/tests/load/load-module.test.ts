import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { InputError } from "../../src/errors.js";
import { loadModule, pickOrchestrator } from "../../src/load/load-module.js";

const dir = fileURLToPath(new URL("../../../../fixtures/histories/durabletask/", import.meta.url));

describe("loadModule", () => {
  it("captures TaskHubGrpcWorker registrations of a .ts module without connecting", async () => {
    const module = await loadModule(`${dir}v1.ts`);
    expect([...module.orchestrators.keys()].sort()).toEqual(
      ["approval", "chain", "compensate", "counter", "fanOut", "parent", "retry", "timer"].sort(),
    );
    expect(module.registrations.find((r) => r.kind === "activity")).toMatchObject({ name: "greet", sdk: "durabletask" });
    expect(module.orchestrators.get("chain")!.sdkRoot).toMatch(/@microsoft[\\/]durabletask-js[\\/]dist$/);
  });

  it("caches modules per path", async () => {
    expect(await loadModule(`${dir}v1.ts`)).toBe(await loadModule(`${dir}v1.ts`));
  });

  it("accepts exported orchestrator functions from an ESM .mjs module", async () => {
    const module = await loadModule(`${dir}exported.mjs`);
    expect(module.orchestrators.get("exportedChain")).toMatchObject({ sdk: "durabletask", name: "exportedChain" });
  });

  it("captures registrations of a CommonJS module", async () => {
    const module = await loadModule(`${dir}registered.cjs`);
    expect([...module.orchestrators.keys()]).toEqual(["cjsChain"]);
  });

  it("a module that registers no orchestrator is an InputError listing what it found", async () => {
    const error = await loadModule(`${dir}registers-nothing.ts`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain("registers no orchestrator (found only activity \"greet\")");
  });

  it("a module that throws while loading is an InputError naming the file and the cause", async () => {
    const error = await loadModule(`${dir}broken.ts`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(`${dir}broken.ts: could not be loaded: database URL is not configured`);
  });

  it("a missing module is an InputError", async () => {
    await expect(loadModule(`${dir}nope.ts`)).rejects.toThrow(/nope\.ts: module not found/);
  });

  it("a history (any JSON file) given as the module says what to pass instead of asking for an import attribute", async () => {
    const history = fileURLToPath(new URL("../../../../fixtures/apps/durabletask/chaining/histories/onboardUser.protobuf-json.json", import.meta.url));
    const error = await loadModule(history).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(`${history}: is a JSON file, not a module; pass the module that registers your orchestrators (histories go to dtcheck replay)`);
  });

  it("a folder given as the module names the module files in it, the likely entry point first", async () => {
    const app = fileURLToPath(new URL("../../../../fixtures/apps/durabletask/versioned/v1", import.meta.url));
    const error = await loadModule(app).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      `${app}: is a folder, not a module; pass the module that registers your orchestrators (here: ${app}/worker.ts, ${app}/orchestrators.ts, ${app}/activities.ts), or a function app folder (one with host.json)`,
    );
    const histories = `${app}/histories`;
    expect(((await loadModule(histories).catch((e: unknown) => e)) as Error).message).toBe(
      `${histories}: is a folder, not a module; pass the module that registers your orchestrators, or a function app folder (one with host.json)`,
    );
  });

  it("an orchestrator name the module does not register is an InputError listing the registered ones", async () => {
    const module = await loadModule(`${dir}v1.ts`);
    expect(() => pickOrchestrator(module, "checkout", "h.json")).toThrow(
      /h\.json: orchestrator "checkout" is not registered by .*v1\.ts; it registers "chain", "fanOut"/,
    );
  });
});

describe("loadModule for Dapr and Durable Functions", () => {
  const fixtures = fileURLToPath(new URL("../../../../fixtures/histories/", import.meta.url));

  it("captures Dapr WorkflowRuntime.registerWorkflow / registerWorkflowWithName on the copy @dapr/dapr runs", async () => {
    const module = await loadModule(`${fixtures}dapr/v1.ts`);
    expect([...module.orchestrators.keys()].sort()).toEqual(["chain", "fanOut", "parent", "timer"]);
    const chain = module.orchestrators.get("chain")!;
    expect(chain.sdk).toBe("dapr");
    expect(chain.sdkRoot).toMatch(/@dapr[\\/]dapr[\\/]workflow[\\/]internal[\\/]durabletask$/);
    expect(module.registrations.find((r) => r.kind === "activity")).toMatchObject({ name: "greet", sdk: "dapr" });
  });

  it("captures df.app.orchestration and df.app.activity without a Functions host", async () => {
    const module = await loadModule(`${fixtures}durable-functions/v1.ts`);
    expect([...module.orchestrators.keys()].sort()).toEqual(["chain", "counter", "fanOut", "longTimer", "parent", "retry", "timer"]);
    expect(module.orchestrators.get("chain")).toMatchObject({ sdk: "durable-functions" });
    expect(module.registrations.find((r) => r.kind === "activity")).toMatchObject({ name: "greet", sdk: "durable-functions" });
  });
});

describe("exported Durable Functions handlers", () => {
  it("a sync function* export is a durable-functions orchestrator and replays a history recorded from v1", async () => {
    const fixtures = fileURLToPath(new URL("../../../../fixtures/histories/durable-functions/", import.meta.url));
    const module = await loadModule(`${fixtures}exported.mjs`);
    expect(module.orchestrators.get("chain")).toMatchObject({ sdk: "durable-functions", name: "chain" });
    const { recordHistory } = await import("../../src/record/record.js");
    const { replayHistory } = await import("../../src/replay/replay-history.js");
    const history = await recordHistory({ module: `${fixtures}v1.ts`, orchestrator: "chain", input: "Oslo", stubs: { greet: "a", shout: "b", sign: "c" } });
    expect((await replayHistory(history, module.orchestrators.get("chain")!, { strict: true })).status).toBe("ok");
  });
});

describe("loadOrchestratorMap (an explicit map a library caller builds)", () => {
  it("maps names to modules and exports, binding each to the name the map gives", async () => {
    const { readFileSync } = await import("node:fs");
    const config = JSON.parse(readFileSync(`${dir}orchestrator-map.json`, "utf8")) as { orchestrators: Record<string, unknown> };
    const { loadOrchestratorMap } = await import("../../src/load/load-module.js");
    const module = await loadOrchestratorMap(config.orchestrators, dir);
    expect([...module.orchestrators.keys()]).toEqual(["chain", "legacyChain"]);
    expect(module.orchestrators.get("legacyChain")).toMatchObject({ name: "legacyChain", sdk: "durabletask", modulePath: `${dir}exported.mjs` });
    expect(module.orchestrators.get("chain")!.modulePath).toBe(`${dir}drift-renamed-activity.ts`);
  });

  it("accepts functions and rejects entries that are neither a function nor a path", async () => {
    const { loadOrchestratorMap } = await import("../../src/load/load-module.js");
    async function* inline() {}
    const module = await loadOrchestratorMap({ inline }, dir);
    expect(module.orchestrators.get("inline")).toMatchObject({ sdk: "durabletask", fn: inline });
    await expect(loadOrchestratorMap({ bad: 42 }, dir)).rejects.toThrow(/orchestrator map entry "bad" must be a function or "path#export", got number/);
    await expect(loadOrchestratorMap({ gone: "exported.mjs#nope" }, dir)).rejects.toThrow(/has no orchestrator export "nope"/);
  });
});
