import { describe, expect, it } from "vitest";
import * as cryptoEsm from "node:crypto";
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import {
  DEFAULT_PERTURBATIONS,
  reseedSession,
  watchEnvReads,
  withEnvironmentLock,
  withPerturbation,
  withReadEnvChanged,
  withSeededSession,
  type Perturbation,
} from "../../src/perturb/environment.js";

const require = createRequire(import.meta.url);
const cryptoCjs = require("node:crypto") as typeof import("node:crypto");
const shifted: Perturbation = { clockShiftMs: 86_400_000, randomSeed: 7, env: { DTCHECK_TEST_VAR: "perturbed", HOME: undefined } };

/** Everything a hidden nondeterministic helper could read. */
function observe() {
  return {
    now: Date.now(),
    constructed: new Date().getTime(),
    parsed: new Date("2024-01-01T00:00:00Z").getTime(),
    perf: performance.now(),
    random: Math.random(),
    uuid: cryptoCjs.randomUUID(),
    esmUuid: cryptoEsm.randomUUID(),
    webUuid: globalThis.crypto.randomUUID(),
    bytes: [...cryptoCjs.getRandomValues(new Uint8Array(4))],
    webBytes: [...globalThis.crypto.getRandomValues(new Uint8Array(4))],
    env: process.env["DTCHECK_TEST_VAR"],
    home: process.env["HOME"],
  };
}

describe("fuzzing's clocks", () => {
  it("read the same time whatever the real time: generation and the first perturbation a Monday morning in January, the second a weekend afternoon (night, locally) in July", async () => {
    const hour = () => new Date().toISOString().slice(0, 13);
    expect(await withSeededSession(async () => hour())).toBe("2026-01-05T09");
    expect(await withPerturbation(DEFAULT_PERTURBATIONS[0], async () => [hour(), new Date().getHours(), new Date().getDay()])).toEqual(["2026-01-05T09", 9, 1]);
    // UTC: Saturday 13:37; Pacific/Kiritimati: Sunday 03:37. Hours, weekday and month all differ from the first.
    const weekend = await withPerturbation(DEFAULT_PERTURBATIONS[1], async () => {
      const now = new Date();
      return [now.toISOString().slice(0, 13), now.getUTCDay(), now.getHours(), now.getMinutes(), now.getDay()];
    });
    expect(weekend).toEqual(["2026-07-18T13", 6, 3, 37, 0]);
    // ...and its clock jumps an hour, a minute and a second after every read, as on a host that pauses:
    // a check of the time elapsed within one run goes the other way.
    const elapsed = await withPerturbation(DEFAULT_PERTURBATIONS[1], async () => {
      const started = Date.now();
      const [perfStart, perfEnd] = [performance.now(), performance.now()];
      return [Date.now() - started, perfEnd - perfStart, new Date().getTime() - started];
    });
    expect(elapsed[0]).toBeGreaterThanOrEqual(3 * 3_661_000);
    expect(elapsed[1]).toBeGreaterThanOrEqual(3_661_000);
    expect(elapsed[2]).toBeGreaterThanOrEqual(4 * 3_661_000);
    // ...and the clock runs: two reads in a row do not go backwards.
    const [first, second] = await withPerturbation(DEFAULT_PERTURBATIONS[0], async () => [Date.now(), Date.now()]);
    expect(second! - first!).toBeGreaterThanOrEqual(0);
  });
});

describe("the variables the code reads", () => {
  it("are noted while a seeded session runs, and the replay's perturbation changes each: removed when set, set when not", async () => {
    const realEnv = process.env;
    process.env["DTCHECK_TEST_APP_FLAG"] = "kept";
    process.env["TEST_APP_FLAG_ON"] = "on";
    // However small the environment the tests run in, a copy of it reads more names than settings.
    const fillers = Array.from({ length: 20 }, (_, i) => `TEST_APP_FILLER_${i}`);
    for (const name of fillers) process.env[name] = "x";
    try {
      await withSeededSession(async () => {
        const reads = watchEnvReads();
        expect(process.env === realEnv).toBe(false);
        // Code that sets a variable (new or existing) or deletes one still can, as on the real object.
        process.env["DTCHECK_TEST_APP_FLAG"] = "changed";
        process.env["DTCHECK_TEST_APP_NEW"] = "new";
        delete process.env["DTCHECK_TEST_APP_NEW"];
        expect([realEnv["DTCHECK_TEST_APP_FLAG"], realEnv["DTCHECK_TEST_APP_NEW"]]).toEqual(["changed", undefined]);
        void process.env["TEST_APP_FLAG_ON"];
        void ("TEST_APP_FLAG_UNSET" in process.env);
        void process.env["DTCHECK_TEST_APP_FLAG"];
        expect([...reads!].sort()).toEqual(["DTCHECK_TEST_APP_FLAG", "TEST_APP_FLAG_ON", "TEST_APP_FLAG_UNSET"]);
        const changed = withReadEnvChanged(DEFAULT_PERTURBATIONS[1], reads);
        // dtcheck's own variables and the ones the perturbation sets keep the perturbation's value.
        expect(Object.entries(changed.env).sort()).toEqual([
          ["DTCHECK_PERTURBATION", "b"],
          ["TEST_APP_FLAG_ON", undefined],
          ["TEST_APP_FLAG_UNSET", "true"],
          ["TZ", "Pacific/Kiritimati"],
        ]);
        const seen = await withPerturbation(changed, async () => [process.env["TEST_APP_FLAG_ON"], process.env["TEST_APP_FLAG_UNSET"]]);
        expect(seen).toEqual([undefined, "true"]);
        expect([process.env["TEST_APP_FLAG_ON"], process.env["TEST_APP_FLAG_UNSET"]]).toEqual(["on", undefined]);
        // Without reads, the perturbation is the default one itself; and code that copies the whole
        // environment reads every name, none of which is a setting of its own.
        expect(withReadEnvChanged(DEFAULT_PERTURBATIONS[1], watchEnvReads())).toBe(DEFAULT_PERTURBATIONS[1]);
        const copied = watchEnvReads();
        void { ...process.env };
        expect(copied!.size).toBeGreaterThan(16);
        expect(withReadEnvChanged(DEFAULT_PERTURBATIONS[1], copied)).toBe(DEFAULT_PERTURBATIONS[1]);
      });
      expect(process.env === realEnv).toBe(true);
      expect(watchEnvReads()).toBeUndefined();
    } finally {
      delete process.env["DTCHECK_TEST_APP_FLAG"];
      delete process.env["TEST_APP_FLAG_ON"];
      for (const name of fillers) delete process.env[name];
    }
  });
});

describe("withPerturbation", () => {
  it("moves the clock, reseeds randomness and changes process.env, reproducibly", async () => {
    const before = observe();
    const a = await withPerturbation(shifted, async () => observe());
    const b = await withPerturbation(shifted, async () => observe());
    expect(a.now - before.now).toBeGreaterThanOrEqual(86_400_000);
    expect(a.constructed - before.constructed).toBeGreaterThanOrEqual(86_400_000);
    expect(a.perf - before.perf).toBeGreaterThanOrEqual(86_400_000);
    expect(a.parsed).toBe(before.parsed); // explicit dates are left alone
    expect(a.env).toBe("perturbed");
    expect(a.home).toBeUndefined();
    // Same seed, same random stream, through every API.
    expect([a.random, a.uuid, a.esmUuid, a.webUuid, a.bytes, a.webBytes]).toEqual([b.random, b.uuid, b.esmUuid, b.webUuid, b.bytes, b.webBytes]);
    expect(a.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const other = await withPerturbation(DEFAULT_PERTURBATIONS[1], async () => observe());
    expect(other.random).not.toBe(a.random);
  });

  it("restores every global afterwards, also when the code throws", async () => {
    const originals = [globalThis.Date, Date.now, performance.now, Math.random, cryptoCjs.randomUUID, cryptoCjs.getRandomValues, globalThis.crypto.randomUUID, cryptoEsm.randomUUID];
    const home = process.env["HOME"];
    await expect(withPerturbation(shifted, async () => { throw new Error("boom"); })).rejects.toThrow("boom");
    expect([globalThis.Date, Date.now, performance.now, Math.random, cryptoCjs.randomUUID, cryptoCjs.getRandomValues, globalThis.crypto.randomUUID, cryptoEsm.randomUUID]).toEqual(originals);
    expect(process.env["HOME"]).toBe(home);
    expect("DTCHECK_TEST_VAR" in process.env).toBe(false);
    expect(Math.abs(Date.now() - new Date().getTime())).toBeLessThan(1000);
  });

  it("keeps Date usable: instanceof, Date() as a function, statics", async () => {
    await withPerturbation(shifted, async () => {
      expect(new Date(0)).toBeInstanceOf(Date);
      expect(typeof Date()).toBe("string");
      expect(Date.UTC(2024, 0, 1)).toBe(Date.parse("2024-01-01T00:00:00Z"));
    });
  });

  it("a seeded session restarts its stream on reseed and survives a nested perturbation", async () => {
    expect(reseedSession(1)).toBe(false);
    const realRandom = Math.random;
    await withSeededSession(async () => {
      reseedSession(5);
      const first = [Math.random(), cryptoEsm.randomUUID()];
      reseedSession(5);
      expect([Math.random(), cryptoEsm.randomUUID()]).toEqual(first);
      const sessionRandom = Math.random;
      await withPerturbation(shifted, async () => expect(Math.random).not.toBe(sessionRandom));
      expect(Math.random).toBe(sessionRandom);
    });
    expect(Math.random).toBe(realRandom);
  });

  it("concurrent perturbations never leave a patch installed, whatever order they end in", async () => {
    const realRandom = Math.random;
    const realDate = globalThis.Date;
    const tz = process.env["TZ"];
    const hold = (ms: number, p: Perturbation) => withPerturbation(p, () => new Promise((resolve) => setTimeout(resolve, ms)));
    // The first to start ends first: restoring "what was there when I started" would reinstall its patch.
    await Promise.all([hold(5, shifted), hold(20, DEFAULT_PERTURBATIONS[1])]);
    expect(Math.random).toBe(realRandom);
    expect(globalThis.Date).toBe(realDate);
    expect("DTCHECK_TEST_VAR" in process.env).toBe(false);
    expect(process.env["TZ"]).toBe(tz);
  });

  it("the environment lock makes concurrent users take turns, so each sees its own environment", async () => {
    const seen = (seed: number) =>
      withEnvironmentLock(() =>
        withPerturbation({ clockShiftMs: seed * 1000, randomSeed: seed, env: { DTCHECK_TEST_VAR: String(seed) } }, async () => {
          const first = Math.random();
          await new Promise((resolve) => setTimeout(resolve, 5)); // the other caller would run here
          return { first, second: Math.random(), env: process.env["DTCHECK_TEST_VAR"] };
        }),
      );
    const alone = await seen(3);
    const [a, b] = await Promise.all([seen(3), seen(4)]);
    expect(a).toEqual(alone);
    expect(b.env).toBe("4");
    expect(b.first).not.toBe(a.first);
  });
});
