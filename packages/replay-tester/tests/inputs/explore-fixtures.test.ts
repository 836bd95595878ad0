import { describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { checkDrift } from "../../src/drift/check-drift.js";
import { checkDeterminism } from "../../src/fuzz/check-determinism.js";

/*
 * fixtures/explore with NO input and NO fuzz config, default runs: the inputs and results come
 * from the orchestrators' declared types. Every drift hidden behind an input branch, a result
 * branch or an input loop is found; the gated and input-only candidates pass; the module cache
 * is caught by the determinism check. Each is also run with type inference off, which misses it
 * (every world throws at `order.id`, so the verdict is inconclusive): the fixtures need the inferred values.
 */
const root = fileURLToPath(new URL("../../../../fixtures/explore/", import.meta.url));

interface Style {
  dir: string;
  variants: string[];
}

const STYLES: Style[] = [
  { dir: "durabletask/typed-param", variants: ["v2-input", "v2-result", "v2-loop", "v2-gated", "v2-activity-input", "cache"] },
  { dir: "durabletask/imported-type", variants: ["v2-input", "v2-result", "v2-loop"] },
  { dir: "durabletask/jsdoc", variants: ["v2-input", "v2-result"] },
  { dir: "dapr/typed-param", variants: ["v2-input", "v2-result", "v2-loop", "v2-activity-input", "cache"] },
  { dir: "dapr/imported-type", variants: ["v2-input", "v2-result"] },
  { dir: "dapr/jsdoc", variants: ["v2-input", "v2-result"] },
  { dir: "durable-functions/get-input", variants: ["v2-input", "v2-result", "v2-loop", "v2-gated", "v2-activity-input", "cache"] },
  { dir: "durable-functions/annotated-variable", variants: ["v2-input", "v2-result"] },
  { dir: "durable-functions/as-cast", variants: ["v2-input", "v2-result"] },
  { dir: "durable-functions/imported-type", variants: ["v2-input", "v2-loop"] },
  { dir: "durable-functions/jsdoc", variants: ["v2-input", "v2-result"] },
];

/** The call v1 recorded and the call the unguarded v2 makes there instead. */
const DRIFTS: Record<string, { expected?: string; produced: string }> = {
  "v2-input": { expected: "expedite", produced: "bookCourier" },
  "v2-result": { expected: "hold", produced: "alertFraudTeam" },
  // After the last reserve comes expedite or charge, depending on the shipping drawn.
  "v2-loop": { produced: "pick" },
};

function file(dir: string, name: string): string {
  const ts = `${root}${dir}/${name}.ts`;
  return existsSync(ts) ? ts : `${root}${dir}/${name}.js`;
}

const cases = STYLES.flatMap((style) => style.variants.map((variant) => ({ name: `${style.dir} ${variant}`, dir: style.dir, variant })));

describe("fixtures/explore, no input and no config", () => {
  it.each(cases)("$name", async ({ dir, variant }) => {
    if (variant === "cache") {
      const result = await checkDeterminism(file(dir, "cache"), { seed: 7, outDir: false });
      expect(result.ok).toBe(false);
      expect(result.failure?.property).toBe("self-replay");
      expect(result.failure?.divergence).toMatchObject({ reason: "wrong-name", expected: { kind: "activity", name: "reserve" } });
      const blind = await checkDeterminism(file(dir, "cache"), { seed: 7, outDir: false, inferTypes: false });
      expect(blind.failure).toBeUndefined();
      expect(blind.inconclusive?.reason).toBe("early-errors");
      return;
    }
    const options = { baseline: file(dir, "v1"), candidate: file(dir, variant), baselineVersion: "1.0", seed: 7, outDir: false as const };
    const result = await checkDrift(options);
    const drift = DRIFTS[variant];
    if (!drift) {
      expect(result.failure?.message).toBeUndefined();
      expect(result.inconclusive?.message).toBeUndefined();
      expect(result.ok).toBe(true);
      return;
    }
    expect(result.ok).toBe(false);
    expect(result.failure?.property).toBe("drift");
    expect(result.failure?.divergence).toMatchObject({
      reason: "wrong-name",
      produced: { kind: "activity", name: drift.produced },
      ...(drift.expected ? { expected: { kind: "activity", name: drift.expected } } : {}),
    });
    const blind = await checkDrift({ ...options, inferTypes: false });
    expect(blind.failure).toBeUndefined();
    expect(blind.inconclusive?.reason).toBe("early-errors");
  });
});
