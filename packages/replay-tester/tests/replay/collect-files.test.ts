import { describe, expect, it, onTestFinished } from "vitest";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { readHistoryFile, writeHistory } from "../../src/history/index.js";
import type { History } from "../../src/history/model.js";
import { collectHistoryFiles } from "../../src/replay/collect-files.js";

const history: History = {
  events: [
    { kind: "orchestratorStarted", eventId: -1, timestamp: "2024-01-01T00:00:00.000Z" },
    { kind: "executionStarted", eventId: -1, timestamp: "2024-01-01T00:00:00.000Z", name: "chain", input: '"Tokyo"' },
  ],
};

describe("collectHistoryFiles", () => {
  it("finds gzipped histories in a directory (the export-history package writes .jsonl.gz), and each one reads", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dtcheck-collect-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(join(dir, "nested"));
    writeFileSync(join(dir, "a.json"), writeHistory(history, "protobuf-json"));
    writeFileSync(join(dir, "b.jsonl.gz"), gzipSync(writeHistory(history, "friendly", { jsonl: true })));
    writeFileSync(join(dir, "nested", "c.json.gz"), gzipSync(writeHistory(history, "protobuf-json")));
    writeFileSync(join(dir, "notes.txt.gz"), gzipSync("not a history"));
    const files = await collectHistoryFiles([dir]);
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(["a.json", "b.jsonl.gz", "nested/c.json.gz"]);
    for (const file of files) expect((await readHistoryFile(file)).events.map((e) => e.kind)).toEqual(["orchestratorStarted", "executionStarted"]);
  });

  it("passes by a project's own JSON files in a folder walk (npm, TypeScript, an Azure Functions app), and reads them when named", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dtcheck-collect-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(join(dir, "histories"));
    mkdirSync(join(dir, "HttpStart"));
    const project = ["package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json", "jsconfig.json", "host.json", "local.settings.json", "dtcheck.config.json", "HttpStart/function.json"];
    for (const name of project) writeFileSync(join(dir, name), "{}");
    writeFileSync(join(dir, "histories", "order.json"), writeHistory(history, "protobuf-json"));
    // A history may well be named after its orchestrator: only the exact project names are passed by.
    writeFileSync(join(dir, "histories", "package-order.json"), writeHistory(history, "protobuf-json"));
    const files = await collectHistoryFiles([dir]);
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(["histories/order.json", "histories/package-order.json"]);
    expect(await collectHistoryFiles([join(dir, "package.json")])).toEqual([join(dir, "package.json")]);
  });
});
