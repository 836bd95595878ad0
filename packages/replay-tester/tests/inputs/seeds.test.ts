import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { resolveFuzzValues } from "../../src/fuzz/values.js";
import { emptySeeds } from "../../src/inputs/seeds.js";
import { loadModule } from "../../src/load/load-module.js";

const v1 = fileURLToPath(new URL("../../../../fixtures/histories/durabletask/v1.ts", import.meta.url));

describe("seeds from saved histories, as each orchestrator is told", () => {
  it("count only its own inputs and the results of the calls its code makes, and the histories that are its own", async () => {
    const module = await loadModule(v1);
    const seeds = emptySeeds();
    seeds.files = 3;
    seeds.filesOf = { chain: 1, approval: 2 };
    seeds.inputs = { chain: ["Tokyo"], approval: [1, 2] };
    seeds.activities = { greet: ["hi"], shout: ["HI", "HEY"], requestApproval: [true], work: [7] };
    const told = async (name: string) => (await resolveFuzzValues(module.orchestrators.get(name)!, {}, { seeds, inferTypes: false })).described;
    expect(await told("chain")).toEqual(["seeded from 3 saved histories (1 of them of chain): 1 input, 3 activity results, tried first"]);
    expect(await told("approval")).toEqual(["seeded from 3 saved histories (2 of them of approval): 2 inputs, 1 activity result, tried first"]);
    // fanOut calls "work" and "aggregate": the work result applies though no history is of fanOut.
    expect(await told("fanOut")).toEqual(["seeded from 3 saved histories (0 of them of fanOut): 1 activity result, tried first"]);
    expect(await told("counter")).toEqual(["seeded from 3 saved histories (0 of them of counter): no input of it and no result of a call it makes, so nothing"]);
  });
});
