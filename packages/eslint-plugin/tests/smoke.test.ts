import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import plugin from "@dtcheck/eslint-plugin";

describe("@dtcheck/eslint-plugin public entry", () => {
  it("exposes plugin meta, the rules and the configs by their published names", () => {
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    expect(plugin.meta).toEqual({ name: "@dtcheck/eslint-plugin", version: manifest.version, namespace: "@dtcheck" });
    expect(Object.keys(plugin.rules)).toHaveLength(16);
    expect(Object.keys(plugin.configs)).toEqual(["recommended", "strict", "recommended-type-checked", "strict-type-checked"]);
  });
});
