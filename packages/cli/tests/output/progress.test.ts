import { describe, expect, it, vi } from "vitest";
import { progress } from "../../src/progress.js";

/** A stream that says it is a terminal and keeps what is written to it. */
function terminal(): { stream: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  const stream = { isTTY: true, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream;
  return { stream, written };
}

describe("progress", () => {
  it("counts to the total when the run knows it, and clears its line at the end", () => {
    vi.stubEnv("CI", "");
    const { stream, written } = terminal();
    const bar = progress(2, { stream });
    bar.tick("a.json");
    bar.tick("b.json");
    bar.done();
    expect(written).toEqual(["\r\u001b[K1/2 a.json", "\r\u001b[K2/2 b.json", "\r\u001b[K"]);
    vi.unstubAllEnvs();
  });

  it("shows the count alone when the total is not known yet (never n/0)", () => {
    vi.stubEnv("CI", "");
    const { stream, written } = terminal();
    const bar = progress(undefined, { stream });
    bar.tick("processOrder");
    expect(written).toEqual(["\r\u001b[K1 processOrder"]);
    vi.unstubAllEnvs();
  });

  it("writes nothing with --quiet, in CI, or when stderr is not a terminal", () => {
    const { stream, written } = terminal();
    progress(1, { stream, quiet: true }).tick("a");
    vi.stubEnv("CI", "1");
    progress(1, { stream }).tick("b");
    vi.unstubAllEnvs();
    vi.stubEnv("CI", "");
    progress(1, { stream: { ...stream, isTTY: false } as unknown as NodeJS.WriteStream }).tick("c");
    vi.unstubAllEnvs();
    expect(written).toEqual([]);
  });
});
