import { describe, expect, it } from "vitest";
import plugin from "@dtcheck/eslint-plugin";

describe("@dtcheck/eslint-plugin public entry", () => {
  it("exposes plugin meta and a rules object", () => {
    expect(plugin.meta.name).toBe("@dtcheck/eslint-plugin");
    expect(typeof plugin.rules).toBe("object");
  });
});
