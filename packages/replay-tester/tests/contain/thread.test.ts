import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Worker } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
// The built files: the thread runs dist/contain/worker-main.js, beside the module that starts it.
import { DEFAULT_LIMITS } from "../../dist/contain/limits.js";
import { createHeartbeatBuffer } from "../../dist/contain/heartbeat.js";
import { prewarmContainedThread, startContainedThread } from "../../dist/contain/thread.js";
import type { WorkerMessage } from "../../src/contain/protocol.js";

const dir = mkdtempSync(path.join(tmpdir(), "dtcheck-thread-"));
const config = path.join(dir, "dtcheck.config.mjs");
writeFileSync(config, "export default { fuzz: { runs: 7 } };\n");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a config task in the thread `start` gives: the thread's id and the values it answered. */
async function readConfigIn(start: (data: Parameters<typeof startContainedThread>[0]) => Worker): Promise<{ threadId: number; values: unknown }> {
  const worker = start({ task: { kind: "config", cwd: dir, module: config }, heartbeat: createHeartbeatBuffer() });
  try {
    const values = await new Promise((resolve, reject) => {
      worker.on("message", (message: WorkerMessage) => {
        if (message.type === "done") resolve((message.value as { values: unknown }).values);
        if (message.type === "failed") reject(new Error(message.message));
      });
      worker.on("error", reject);
    });
    return { threadId: worker.threadId, values };
  } finally {
    await worker.terminate();
  }
}

describe("threads started ahead of their task", () => {
  it("the first task runs in the prewarmed thread, the next in a new one", async () => {
    const prewarmed = prewarmContainedThread();
    const first = await readConfigIn((data) => startContainedThread(data, DEFAULT_LIMITS.memoryMb));
    expect(first).toEqual({ threadId: prewarmed, values: { fuzz: { runs: 7 } } });
    const second = await readConfigIn((data) => startContainedThread(data, DEFAULT_LIMITS.memoryMb));
    expect(second.threadId).not.toBe(prewarmed);
    expect(second.values).toEqual({ fuzz: { runs: 7 } });
  });

  it("a task that asks for another memory limit gets a thread of its own", async () => {
    const prewarmed = prewarmContainedThread();
    const other = await readConfigIn((data) => startContainedThread(data, DEFAULT_LIMITS.memoryMb + 64));
    expect(other.threadId).not.toBe(prewarmed);
    expect(other.values).toEqual({ fuzz: { runs: 7 } });
    // The spare was let go: the next prewarm starts a fresh thread.
    expect(prewarmContainedThread()).not.toBe(prewarmed);
  });
});
