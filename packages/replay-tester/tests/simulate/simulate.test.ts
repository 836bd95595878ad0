import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { loadModule, pickOrchestrator } from "../../src/load/load-module.js";
import { replayHistory } from "../../src/replay/replay-history.js";
import { simulate } from "../../src/simulate/simulate.js";
import type { World, WorldStep } from "../../src/simulate/world.js";

const sdks = ["durabletask", "dapr", "durable-functions"] as const;

/** A world scripted as a list of steps computed from what is pending. */
function scripted(steps: ((pending: readonly { id: number; kind: string; name?: string }[]) => WorldStep | undefined)[]): World {
  let i = 0;
  return { next: (state) => steps[i++]?.(state.pending) };
}

describe.each(sdks)("%s simulate: the world decides order, batching and control events", (sdk) => {
  const dir = fileURLToPath(new URL(`../../../../fixtures/histories/${sdk}/`, import.meta.url));

  it("completes a fan-out in reverse order, one per episode, then batched: both histories replay ok", async () => {
    const target = pickOrchestrator(await loadModule(`${dir}v1.ts`), "fanOut");
    const results: Record<number, number> = {};
    const reverseOneByOne: World = {
      next(state) {
        const work = state.pending.filter((c) => c.kind === "activity").sort((a, b) => b.id - a.id)[0];
        if (!work) return undefined;
        results[work.id] = work.id * 10;
        return { events: [{ type: "complete", id: work.id, result: String(work.id * 10) }] };
      },
    };
    const one = await simulate(target, reverseOneByOne, { input: [1, 2, 3] });
    const completions = one.history.events.flatMap((e) => (e.kind === "taskCompleted" ? [e.taskScheduledId] : []));
    const ids = one.history.events.flatMap((e) => (e.kind === "taskScheduled" && e.name === "work" ? [e.eventId] : []));
    expect(completions.slice(0, 3)).toEqual([...ids].reverse());
    expect(one.history.events.filter((e) => e.kind === "orchestratorStarted")).toHaveLength(5);
    expect((await replayHistory(one.history, target, { strict: true })).status).toBe("ok");

    const batched = await simulate(
      target,
      scripted([
        (pending) => ({ events: pending.map((c) => ({ type: "complete" as const, id: c.id, result: "1" })) }),
        (pending) => ({ events: [{ type: "complete", id: pending[0]!.id, result: "3" }] }),
      ]),
      { input: [1, 2, 3] },
    );
    expect(batched.history.events.filter((e) => e.kind === "orchestratorStarted")).toHaveLength(3);
    expect(batched.status).toBe("completed");
    expect(batched.output).toBe("3");
    expect((await replayHistory(batched.history, target, { strict: true })).status).toBe("ok");
  });

  it("stops with the orchestration in flight when the world has nothing more to say", async () => {
    const target = pickOrchestrator(await loadModule(`${dir}v1.ts`), "chain");
    const inFlight = await simulate(target, scripted([(p) => ({ events: [{ type: "complete", id: p[0]!.id, result: '"a"' }] })]), { input: "x" });
    expect(inFlight.status).toBe("running");
    expect(inFlight.history.events.at(-2)).toMatchObject({ kind: "taskScheduled", name: "shout" });
    expect((await replayHistory(inFlight.history, target, { strict: true })).status).toBe("ok");
  });

  it("a world that completes a task that is not pending is an error, not a silent history", async () => {
    const target = pickOrchestrator(await loadModule(`${dir}v1.ts`), "chain");
    await expect(simulate(target, scripted([() => ({ events: [{ type: "complete", id: 42 }] })]), { input: "x" })).rejects.toThrow(
      /completed task 42, but no pending activity or subOrchestration has that id/,
    );
  });
});

describe("durabletask simulate: suspend, resume, terminate and non-determinism", () => {
  const dir = fileURLToPath(new URL("../../../../fixtures/histories/durabletask/", import.meta.url));

  it("buffers a completion delivered while suspended until resume, then terminates", async () => {
    const target = pickOrchestrator(await loadModule(`${dir}v1.ts`), "chain");
    const sim = await simulate(
      target,
      scripted([
        () => ({ events: [{ type: "suspend", reason: "maintenance" }] }),
        (p) => ({ events: [{ type: "complete", id: p[0]!.id, result: '"a"' }] }),
        () => ({ events: [{ type: "resume" }] }),
        () => ({ events: [{ type: "terminate", output: '"stopped"' }] }),
      ]),
      { input: "T" },
    );
    const kinds = sim.history.events.filter((e) => !["orchestratorStarted", "orchestratorCompleted"].includes(e.kind)).map((e) => e.kind);
    // While suspended the SDK buffers the completion: "shout" is scheduled only after the resume.
    expect(kinds).toEqual([
      "executionStarted",
      "taskScheduled",
      "executionSuspended",
      "taskCompleted",
      "executionResumed",
      "taskScheduled",
      "executionTerminated",
      "executionCompleted",
    ]);
    expect(sim.status).toBe("terminated");
    expect(sim.output).toBe('"stopped"');
    expect((await replayHistory(sim.history, target, { strict: true })).status).toBe("ok");
  });

  it("follows continue-as-new: the next generation's input is reported", async () => {
    const target = pickOrchestrator(await loadModule(`${dir}v1.ts`), "counter");
    const tick: World = { next: (s) => ({ events: s.pending.map((c) => ({ type: "complete" as const, id: c.id })) }) };
    const generations: string[] = [];
    let input: unknown = 1;
    for (;;) {
      const sim = await simulate(target, tick, { input });
      generations.push(sim.status);
      if (!sim.continuedWith) break;
      input = JSON.parse(sim.continuedWith);
    }
    expect(generations).toEqual(["continuedAsNew", "continuedAsNew", "completed"]);
  });

  it("an orchestrator that is not deterministic is reported while simulating", async () => {
    const target = pickOrchestrator(await loadModule(`${dir}nondeterministic.ts`), "coinFlip");
    const always: World = { next: (s) => (s.pending.length ? { events: s.pending.map((c) => ({ type: "complete" as const, id: c.id, result: "1" })) } : undefined) };
    let failures = 0;
    for (let i = 0; i < 12; i++) {
      failures += await simulate(target, always).then(
        () => 0,
        (error: Error) => {
          expect(error.message).toMatch(/not deterministic: replaying its own history failed in episode \d/);
          return 1;
        },
      );
    }
    // Each run diverges unless both coin flips repeat on replay (probability 1/4 per episode pair).
    expect(failures).toBeGreaterThan(0);
  });
});
