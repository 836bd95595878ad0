import { describe, expect, it } from "vitest";
import { packageName } from "@dtcheck/replay-tester";

describe("@dtcheck/replay-tester public entry", () => {
  it("is importable from its package name", () => {
    expect(packageName).toBe("@dtcheck/replay-tester");
  });
});
