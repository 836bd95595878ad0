import { describe, expect, it } from "vitest";
import { shownPath } from "../../src/errors.js";

describe("shownPath", () => {
  it("shows a file below the current directory relative to it, the directory itself as '.', and anything else absolute", () => {
    expect(shownPath("/app/src/worker.ts", "/app")).toBe("src/worker.ts");
    // `dtcheck fuzz -m .` on a function app: a reproduce command that pastes in CI too.
    expect(shownPath("/app", "/app")).toBe(".");
    expect(shownPath(".", "/app")).toBe(".");
    expect(shownPath("/elsewhere/worker.ts", "/app")).toBe("/elsewhere/worker.ts");
  });
});
