import { describe, expect, it } from "vitest";
import { CoverageRecorder } from "../../src/coverage/recorder.js";

const at = (line: number) => ({ file: "/app/worker.ts", line, column: 5 });

describe("CoverageRecorder", () => {
  it("takes a stack for a known call path once in every world", () => {
    const recorder = new CoverageRecorder();
    const wants: boolean[] = [];
    for (let world = 0; world < 18; world++) {
      recorder.beginWorld();
      for (let invocation = 0; invocation < 2; invocation++) {
        recorder.beginInvocation();
        const asked = recorder.nextCall("callActivity", "hello");
        if (invocation === 0) wants.push(asked);
        else expect(asked).toBe(false);
        // The same call, from the branch before the loop in odd worlds.
        if (asked) recorder.reach(at(world % 2 === 0 ? 7 : 5), "callActivity");
      }
    }
    expect(wants).toEqual(Array<boolean>(18).fill(true));
    expect([...recorder.reached.keys()].sort()).toEqual(["/app/worker.ts:5:5", "/app/worker.ts:7:5"]);
  });
});
