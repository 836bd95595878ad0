import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { retryDelayMs } from "../../src/engines/durable-functions/retry-delay.js";
import { recordHistory } from "../../src/record/record.js";

const app = fileURLToPath(new URL("../../../../fixtures/apps/durable-functions/retry/", import.meta.url));

describe("Durable Functions retry timers", () => {
  it("are recorded firing when the host fires them: 1 s, then 2 s after the failure (backoffCoefficient 2)", async () => {
    const history = await recordHistory({
      module: `${app}index.ts`,
      input: JSON.parse(readFileSync(`${app}input.json`, "utf8")),
      stubs: `${app}stubs.json`,
    });
    const delays: number[] = [];
    let episodeStart = "";
    for (const event of history.events) {
      if (event.kind === "orchestratorStarted") episodeStart = event.timestamp!;
      if (event.kind === "timerCreated") delays.push(Date.parse(event.fireAt) - Date.parse(episodeStart));
    }
    expect(delays).toEqual([1000, 2000]);
    // Each timer fires at its fireAt, and the clock of the episode it fires in has reached it.
    const fired = history.events.flatMap((e) => (e.kind === "timerFired" ? [e.fireAt] : []));
    const created = history.events.flatMap((e) => (e.kind === "timerCreated" ? [e.fireAt] : []));
    expect(fired).toEqual(created);
  });

  it("computes the delay as the host's RetryInterceptor: first × coefficient^(n-1), capped, coefficient 1 by default", () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs({ firstRetryIntervalInMilliseconds: 1000, backoffCoefficient: 2 }, n))).toEqual([1000, 2000, 4000, 8000]);
    expect([1, 2, 3, 4].map((n) => retryDelayMs({ firstRetryIntervalInMilliseconds: 1000, backoffCoefficient: 3, maxRetryIntervalInMilliseconds: 5000 }, n))).toEqual([
      1000, 3000, 5000, 5000,
    ]);
    expect([1, 3].map((n) => retryDelayMs({ firstRetryIntervalInMilliseconds: 500 }, n))).toEqual([500, 500]);
    // 0 is how durable-functions leaves the cap unset.
    expect(retryDelayMs({ firstRetryIntervalInMilliseconds: 1000, backoffCoefficient: 2, maxRetryIntervalInMilliseconds: 0 }, 3)).toBe(4000);
  });
});
