import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { normaliseStubs } from "../../src/record/stubs.js";

describe("normaliseStubs", () => {
  it("rejects an unknown section of the sectioned form, naming it and the accepted ones", () => {
    const typo = () => normaliseStubs({ activites: { greet: "hi" }, events: { approval: true } }, "stubs.json");
    expect(typo).toThrow(InputError);
    expect(typo).toThrow('stubs.json: unknown stubs section "activites"; the sections are activities, subOrchestrations, entities, events');
    expect(() => normaliseStubs({ activities: {}, orchestrations: {}, timers: {} }, "s.json")).toThrow('unknown stubs sections "orchestrations", "timers"');
  });

  it("keeps the flat form (activity name → stub) and the known sections", () => {
    expect(normaliseStubs({ greet: "hi", activites: 1 })).toEqual({ activities: { greet: "hi", activites: 1 } });
    expect(normaliseStubs({ activities: { greet: "hi" }, events: { go: 1 } })).toEqual({ activities: { greet: "hi" }, events: { go: 1 } });
  });
});
