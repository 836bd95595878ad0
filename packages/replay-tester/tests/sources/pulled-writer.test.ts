import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readHistoryFile } from "../../src/history/index.js";
import type { PulledHistory } from "../../src/sources/pulled.js";
import { PulledHistoryWriter } from "../../src/sources/write-pulled.js";

/*
 * `dtcheck pull` hands each history to the writer as it arrives: the writer stages it on disk (so
 * memory holds one history, not the pull), and puts all of them in place only once the last is in,
 * so a pull that fails half-way leaves nothing behind.
 */
const golden = fileURLToPath(new URL("../../../../fixtures/apps/durabletask/chaining/histories/onboardUser.friendly.json", import.meta.url));
let dir: string;
let pulled: (instanceId: string) => PulledHistory;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "dtcheck-pulled-"));
  const history = await readHistoryFile(golden);
  pulled = (instanceId) => ({ instanceId, name: "onboardUser", status: "COMPLETED", history, format: "friendly" });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("PulledHistoryWriter", () => {
  it("stages each history as it is added and puts all in place at commit, leaving no staging folder", () => {
    const outDir = join(dir, "ok");
    const writer = new PulledHistoryWriter({ outDir });
    for (let i = 0; i < 3; i++) writer.add(pulled(`order-${i}`));
    // Staged only: the one entry in the output folder is the hidden staging folder, holding three files.
    const [staging, ...others] = readdirSync(outDir);
    expect([staging!.startsWith(".dtcheck-pull-"), others]).toEqual([true, []]);
    expect(readdirSync(join(outDir, staging!))).toEqual(["0", "1", "2"]);
    const { written } = writer.commit();
    expect(written.map((w) => [w.instanceId, w.events])).toEqual([
      ["order-0", 16],
      ["order-1", 16],
      ["order-2", 16],
    ]);
    expect(readdirSync(outDir)).toEqual(["order-0.json", "order-1.json", "order-2.json"]);
  });

  it("abort removes what was staged, and the output folder it created", () => {
    const outDir = join(dir, "aborted");
    const writer = new PulledHistoryWriter({ outDir });
    writer.add(pulled("order-0"));
    writer.abort();
    expect(existsSync(outDir)).toBe(false);
  });
});
