import { describe, expect, it } from "vitest";
import plugin from "@dtcheck/eslint-plugin";

describe("@dtcheck/eslint-plugin public entry", () => {
  it("exposes plugin meta, the rules and the configs by their published names", () => {
    expect(plugin.meta.name).toBe("@dtcheck/eslint-plugin");
    expect(Object.keys(plugin.rules)).toHaveLength(15);
    expect(Object.keys(plugin.configs)).toEqual(["recommended", "strict", "recommended-type-checked", "strict-type-checked"]);
  });
});
