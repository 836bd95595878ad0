import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { codeFrame, FRAME_WIDTH } from "../../src/report/code-frame.js";

const dir = mkdtempSync(path.join(tmpdir(), "dtcheck-code-frame-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const at = path.join(dir, name);
  writeFileSync(at, text);
  return at;
}

describe("codeFrame", () => {
  it("shows short lines whole, with the caret under the column", () => {
    const at = file("short.ts", "const a = 1;\nconst b = Date.now();\nconst c = 3;\n");
    expect(codeFrame({ file: at, line: 2, column: 11 }, 1)).toBe(["  1 | const a = 1;", "> 2 | const b = Date.now();", "    |           ^", "  3 | const c = 3;"].join("\n"));
  });

  it("cuts a very long line to a window around the column, so thousands of findings on a minified line stay small", () => {
    const long = `${"a".repeat(1000)}Date.now()${"b".repeat(1000)}`;
    const at = file("long.js", `${long}\n\n`);
    const frame = codeFrame({ file: at, line: 1, column: 1001 }, 1);
    const [source, caret, empty] = frame.split("\n");
    expect(source).toBe(`> 1 | …${"a".repeat(FRAME_WIDTH / 2)}Date.now()${"b".repeat(FRAME_WIDTH / 2 - 10)}…`);
    // The caret sits under the D of Date.now(), past the … that replaced the cut start.
    expect(caret!.indexOf("^")).toBe(source!.indexOf("Date.now()"));
    expect(empty).toBe("  2 | ");
    expect(frame.length).toBeLessThan(2 * FRAME_WIDTH + 40);
  });

  it("keeps the start of a long line when the column is near it", () => {
    const at = file("start.js", `Date.now();${"x".repeat(500)}\n`);
    expect(codeFrame({ file: at, line: 1, column: 1 }, 0)).toBe([`> 1 | Date.now();${"x".repeat(FRAME_WIDTH - 11)}…`, "    | ^"].join("\n"));
  });
});
