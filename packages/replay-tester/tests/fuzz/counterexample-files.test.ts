import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeMinimalHistory } from "../../src/fuzz/failure-report.js";
import { writeHistory } from "../../src/history/index.js";
import type { History } from "../../src/history/model.js";

const dir = mkdtempSync(join(tmpdir(), "dtcheck-counterexamples-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const historyOf = (name: string): History => ({
  events: [
    { kind: "orchestratorStarted", eventId: -1, timestamp: "2024-01-01T00:00:00.000Z" },
    { kind: "executionStarted", eventId: -1, timestamp: "2024-01-01T00:00:00.000Z", name, input: "1" },
  ],
});
const write = (orchestrator: string, history = historyOf(orchestrator)) =>
  writeMinimalHistory(history, { dir, property: "determinism", orchestrator, seed: 7, format: "protobuf-json" });

describe("counterexample files are never overwritten", () => {
  it("names that sanitise alike get different files; a safe name keeps its plain file name", async () => {
    const files = [await write("send mail"), await write("send-mail"), await write("send/mail")];
    expect(new Set(files).size).toBe(3);
    expect(files[1]).toBe(join(dir, "determinism-send-mail-seed7.protobuf-json.json"));
    expect(files[0]).toMatch(/determinism-send-mail-[0-9a-f]{8}-seed7\.protobuf-json\.json$/);
    for (const [i, name] of ["send mail", "send-mail", "send/mail"].entries()) {
      expect(readFileSync(files[i]!, "utf8")).toBe(writeHistory(historyOf(name), "protobuf-json"));
    }
  });

  it("the same failure found again reuses its file; a different file under that name is kept and the new one numbered", async () => {
    const first = await write("reuse");
    expect(await write("reuse")).toBe(first);
    writeFileSync(join(dir, "determinism-mine-seed7.protobuf-json.json"), "the user's own file\n");
    const numbered = await write("mine");
    expect(numbered).toBe(join(dir, "determinism-mine-seed7.protobuf-json-2.json"));
    expect(readFileSync(join(dir, "determinism-mine-seed7.protobuf-json.json"), "utf8")).toBe("the user's own file\n");
    expect(readdirSync(dir).filter((f) => f.includes("-mine-"))).toHaveLength(2);
  });
});
