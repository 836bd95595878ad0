import { describe, expect, it } from "vitest";
import { parseJsonBytes, parseJsonText } from "../../src/history/json-text.js";

const events = [
  { eventId: -1, timestamp: "2024-01-01T00:00:00Z", orchestratorStarted: {} },
  { eventId: 1, timestamp: "2024-01-01T00:00:00Z", executionStarted: { name: "chain", input: '"a,]}\\"["' } },
  { eventId: 2, taskScheduled: { name: "greet", nested: [[1, { x: [] }], "]"] } },
];

/** The same file read from bytes and from text must give the same value, or the same message. */
function both(text: string, chunkedAboveBytes = 0) {
  const bytes = Buffer.from(text, "utf8");
  let fromBytes: unknown;
  let fromText: unknown;
  try {
    fromBytes = parseJsonBytes(bytes, "x.json", { chunkedAboveBytes });
  } catch (error) {
    fromBytes = (error as Error).message;
  }
  try {
    fromText = parseJsonText(text, "x.json");
  } catch (error) {
    fromText = (error as Error).message;
  }
  return { fromBytes, fromText };
}

describe("parseJsonBytes", () => {
  it("parses JSON Lines line by line from the bytes, as parseJsonText does", () => {
    const jsonl = "\uFEFF" + events.map((e) => JSON.stringify(e)).join("\r\n") + "\n\n";
    const { fromBytes, fromText } = both(jsonl);
    expect(fromBytes).toEqual({ value: events, jsonl: true });
    expect(fromBytes).toEqual(fromText);
  });

  it("parses a large top-level array element by element, strings with brackets and commas included", () => {
    const { fromBytes } = both(JSON.stringify(events, null, 2));
    expect(fromBytes).toEqual({ value: events, jsonl: false });
    expect(both("  [ ]  ").fromBytes).toEqual({ value: [], jsonl: false });
  });

  it.each([
    ["a truncated array", JSON.stringify(events, null, 2).slice(0, -20)],
    ["a trailing comma", "[1,2,]"],
    ["text after the array", "[1] x"],
    ["a bad JSONL line after blank lines", "\n\n" + JSON.stringify(events[0]) + "\n{nope}\n"],
    ["an empty file", " \n "],
  ])("%s gives parseJsonText's exact message, line numbers counted from the top", (_name, text) => {
    const { fromBytes, fromText } = both(text);
    expect(typeof fromText).toBe("string");
    expect(fromBytes).toBe(fromText);
  });
});
