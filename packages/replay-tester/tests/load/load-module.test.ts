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

  it("an orchestrator name the module does not register is an InputError listing the registered ones", async () => {
    const module = await loadModule(`${dir}v1.ts`);
    expect(() => pickOrchestrator(module, "checkout", "h.json")).toThrow(
      /h\.json: orchestrator "checkout" is not registered by .*v1\.ts; it registers "chain", "fanOut"/,
    );
  });
});
