import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { describeInferred, inferValues } from "../../src/inputs/infer.js";
import { hasTypeInformation } from "../../src/inputs/program.js";

const dir = mkdtempSync(path.join(tmpdir(), "dtcheck-infer-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

function samples(arb: fc.Arbitrary<unknown>, numRuns = 200): unknown[] {
  return fc.sample(arb, { numRuns, seed: 3 });
}

describe("inferValues: the JSON form of declared types", () => {
  const file = write(
    "shapes.ts",
    `
enum Tier { Free = "free", Pro = "pro" }
enum Level { Low, High }
class Money { constructor(public amount: number, public currency: "EUR" | "USD") {} format(): string { return "" } }
interface Tree { label: string; children: Tree[] }
export interface Input {
  name: string;
  count: number;
  ok: boolean;
  tier: Tier;
  level: Level;
  pair: [string, number];
  tags: Record<string, boolean>;
  byId: { [id: string]: number };
  when: Date;
  price: Money;
  tree: Tree;
  maybe?: string;
  nothing: null | "x";
  anything: unknown;
  run: () => void;
}
export async function* order(_ctx: unknown, input: Input): AsyncGenerator<unknown, string, any> {
  return input.name;
}
`,
  );

  it("reads the second parameter and generates values of that shape, JSON round-trippable", async () => {
    const values = await inferValues({ name: "order", modulePath: file });
    expect(values.skipped).toBeUndefined();
    // The temporary folder is outside the working directory, so its path is shown whole.
    expect(describeInferred(values)).toEqual([`input: Input from parameter "input" (${file}:23)`]);
    const all = samples(values.input!.arbitrary) as Record<string, unknown>[];
    for (const value of all) {
      expect(JSON.parse(JSON.stringify(value))).toEqual(value);
      expect(typeof value["name"]).toBe("string");
      expect(Number.isFinite(value["count"])).toBe(true);
      expect(typeof value["ok"]).toBe("boolean");
      expect(["free", "pro"]).toContain(value["tier"]);
      expect([0, 1]).toContain(value["level"]);
      expect(value["pair"]).toEqual([expect.any(String), expect.any(Number)]);
      for (const flag of Object.values(value["tags"] as object)) expect(typeof flag).toBe("boolean");
      for (const n of Object.values(value["byId"] as object)) expect(typeof n).toBe("number");
      expect(new Date(value["when"] as string).toISOString()).toBe(value["when"]);
      expect(Object.keys(value["price"] as object).sort()).toEqual(["amount", "currency"]);
      expect([null, "x"]).toContain(value["nothing"]);
      expect("run" in value).toBe(false);
      // A recursive type stays finite: children nest at most a few levels.
      let depth = 0;
      for (let node = value["tree"] as { children: unknown[] } | undefined; node; node = node.children[0] as typeof node) depth++;
      expect(depth).toBeLessThanOrEqual(5);
    }
    expect(new Set(all.map((v) => v["tier"]))).toEqual(new Set(["free", "pro"]));
    expect(new Set(all.map((v) => "maybe" in v))).toEqual(new Set([true, false]));
  });
});

describe("inferValues: results at durable calls", () => {
  const file = write(
    "calls.ts",
    `
interface Ctx {
  callActivity<I, O>(activity: ((ctx: unknown, input: I) => O) | string, input?: I): Task<O>;
  callSubOrchestrator<I, O>(orchestrator: unknown, input?: I): Task<O>;
  waitForExternalEvent(name: string): Task<any>;
}
declare class Task<T> { getResult(): T }
async function chargeCard(_ctx: unknown, amount: number): Promise<{ receipt: string; ok: boolean }> {
  return { receipt: String(amount), ok: true };
}
export async function* child(_ctx: Ctx, _n: number) {
  return { shipped: true as const };
}
export async function* order(ctx: Ctx, input: { amount: number }): AsyncGenerator<unknown, string, any> {
  const ok: boolean = yield ctx.callActivity("validate", input);
  const charge = yield ctx.callActivity(chargeCard, input.amount);
  const label = yield ctx.callActivity<number, "fragile" | "normal">("label", 1);
  const approval = (yield ctx.waitForExternalEvent("approval")) as { approved: boolean };
  const shipped = yield ctx.callSubOrchestrator(child, 1);
  return String(ok && charge.ok && label && approval.approved && shipped);
}
`,
  );

  it("types each result from the annotated variable, the activity by reference, generics, as T and the child's return type", async () => {
    const values = await inferValues({ name: "order", modulePath: file });
    const at = (line: number) => `${file}:${line}`;
    expect(describeInferred(values)).toEqual([
      `input: { amount: number; } from parameter "input" (${at(14)})`,
      `activity "validate" result: boolean from variable "ok" (${at(15)})`,
      `activity "chargeCard" result: { receipt: string; ok: boolean; } from Task<{ receipt: string; ok: boolean; }> (${at(16)})`,
      `activity "label" result: "fragile" | "normal" from callActivity<number, "fragile" | "normal"> (${at(17)})`,
      `sub-orchestration "child" result: { shipped: true; } from return type of orchestrator child (${at(11)})`,
      `event "approval" payload: { approved: boolean; } from as { approved: boolean } (${at(18)})`,
    ]);
    expect(new Set(samples(values.activities["label"]!.arbitrary))).toEqual(new Set(["fragile", "normal"]));
    expect(samples(values.subOrchestrations["child"]!.arbitrary, 5)).toEqual(Array(5).fill({ shipped: true }));
  });
});

describe("inferValues: when there is nothing to read", () => {
  it("skips plain JavaScript without JSDoc types, without loading the compiler", async () => {
    const file = write("plain.js", "export async function* order(ctx, input) { yield ctx.callActivity('a', input.id); }\n");
    expect(hasTypeInformation(file)).toBe(false);
    const values = await inferValues({ name: "order", modulePath: file });
    expect(values).toEqual({ orchestrator: "order", activities: {}, subOrchestrations: {}, events: {}, skipped: "no type information (plain JavaScript without JSDoc types)" });
  });

  it("leaves untyped and any-typed inputs to the default", async () => {
    const file = write("untyped.ts", "export async function* order(ctx: any, input: any) { yield ctx.callActivity('a', input.id); }\n");
    const values = await inferValues({ name: "order", modulePath: file });
    expect(values.input).toBeUndefined();
    expect(values.activities).toEqual({});
  });

  it("says so when the orchestrator's function is not in the source", async () => {
    const file = write("other.ts", "export async function* other(ctx: unknown, input: string) { return input; }\n");
    expect((await inferValues({ name: "order", modulePath: file })).skipped).toBe(`its function was not found in the source of ${file}`);
  });
});
