/**
 * df-http has no event ids; its reader numbers calls from 0, as Durable Functions does. The
 * durabletask-js executor numbers them from 1, so a durabletask-js history converted to df-http
 * used to fail at its first call ("the history recorded activity ... with id 0"). Replay now
 * numbers a df-http history as the SDK that runs it does. Every durabletask-js golden, written as
 * df-http by dtcheck and read back, replays on its own app (the one exception is a lossy format's
 * own limit: an event's payload the API does not show, reported as such).
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadModule, parseHistoryText, pickOrchestrator, readHistoryFile, replayHistory, writeHistory } from "../../src/index.js";

const APPS = fileURLToPath(new URL("../../../../fixtures/apps/durabletask/", import.meta.url));
const goldens = ["approval", "chaining", "eternal", "monitor", "newsletter", "retry", "saga", "sub-orchestrations", "versioned/v1", "versioned/v2-gated"].flatMap((app) =>
  readdirSync(join(APPS, app, "histories"))
    .filter((file) => file.endsWith(".friendly.json"))
    .map((file) => ({ app, file: join(APPS, app, "histories", file) })),
);

describe("durabletask-js histories through df-http", () => {
  it("replay on their own app once read back", async () => {
    const outcomes: string[] = [];
    for (const { app, file } of goldens) {
      const golden = await readHistoryFile(file);
      const back = parseHistoryText(writeHistory(golden, "df-http"), { file: `${file}.df-http` });
      const started = back.events.find((e) => e.kind === "executionStarted")!;
      const target = pickOrchestrator(await loadModule(join(APPS, app, "worker.ts")), started.kind === "executionStarted" ? started.name : "");
      const result = await replayHistory(back, target);
      outcomes.push(`${app}/${file.split("/").at(-1)} ${result.status}${result.divergence?.reconstructed ? ` (rests on: ${result.divergence.reconstructed})` : ""}`);
      // The ids the SDK compared are the golden's own: 1, 2, ... for the calls in order.
      if (app === "chaining") expect(result.status).toBe("ok");
    }
    expect(outcomes).toEqual([
      // The HTTP API shows no EventRaised payload: the decision arrives empty, and the report says the verdict rests on that.
      'approval/expenseApproval.friendly.json diverged (rests on: eventRaised "ApprovalDecision" input is not shown by the HTTP API; the replay sees no payload; event 1: the instance\'s version is not shown by the HTTP API; the replay sees an unversioned instance)',
      "chaining/onboardUser.friendly.json ok",
      "eternal/sessionCleanup.friendly.json ok",
      "monitor/jobMonitor.friendly.json ok",
      "newsletter/newsletterOrchestrator.friendly.json ok",
      "retry/chargeOrder.friendly.json ok",
      "saga/bookTrip.friendly.json ok",
      "sub-orchestrations/provisionRegion.friendly.json ok",
      "sub-orchestrations/provisionTenant.friendly.json ok",
      "versioned/v1/processOrder.friendly.json ok",
      // Nor the version: the 2.0.0 instance replays as unversioned, takes the pre-2.0 path, and the report says why.
      `versioned/v2-gated/processOrder.friendly.json diverged (rests on: taskScheduled "reserveInventory" rebuilt from the TaskCompleted at historyEvents[2] (FunctionName + ScheduledTime); its eventId and position are reconstructed, its input is unknown; event 1: the instance's version is not shown by the HTTP API; the replay sees an unversioned instance)`,
    ]);
  });

  it("a renamed call is still caught, at the golden's own id", async () => {
    const golden = await readHistoryFile(join(APPS, "versioned/v1/histories/processOrder.friendly.json"));
    const back = parseHistoryText(writeHistory(golden, "df-http"));
    const ungated = pickOrchestrator(await loadModule(join(APPS, "versioned/v2-ungated/worker.ts")), "processOrder");
    const result = await replayHistory(back, ungated);
    expect(result.divergence?.message).toBe('the history recorded activity "chargePayment" with id 2, but the code now makes activity "reserveInventory"');
    expect(result.divergence?.reconstructed).toMatch(/^taskScheduled "chargePayment" rebuilt from the TaskCompleted at historyEvents\[\d+\]/);
  });
});

describe("dtcheck reads back its own df-http", () => {
  it("for every history under fixtures/ that df-http can hold", async () => {
    const { globSync } = await import("tinyglobby");
    const { InputError } = await import("../../src/index.js");
    const files = globSync("fixtures/**/*.json", { cwd: fileURLToPath(new URL("../../../../", import.meta.url)), absolute: true });
    let written = 0;
    let refused = 0;
    let withEntities = 0;
    const unreadable: string[] = [];
    for (const file of files) {
      let history;
      try {
        history = await readHistoryFile(file);
      } catch {
        continue; // not a history (stubs, inputs, configs) or a deliberately broken one
      }
      if (history.events.some((e) => e.kind.startsWith("entity"))) withEntities++;
      let text: string;
      try {
        text = writeHistory(history, "df-http");
      } catch (error) {
        // Entity events have no df-http form: refused in one line, never written wrong.
        expect(error).toBeInstanceOf(InputError);
        refused++;
        continue;
      }
      written++;
      try {
        parseHistoryText(text, { file });
      } catch (error) {
        unreadable.push(`${file}: ${(error as Error).message}`);
      }
    }
    expect(unreadable).toEqual([]);
    // Only histories with entity events are refused, and everything else was written and read back (120 files when this was written).
    expect(refused).toBe(withEntities);
    expect(written).toBeGreaterThanOrEqual(120);
  });
});
