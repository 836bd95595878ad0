/**
 * Starting the thread that runs user code. A thread takes about a tenth of a second to boot and
 * load dtcheck's side of it, so the CLI can start one before it has parsed its arguments and
 * loaded its own code (`prewarmContainedThread`); the first task then goes to that thread.
 */
import { Worker } from "node:worker_threads";
import { DEFAULT_LIMITS } from "./limits.js";
import type { WorkerData } from "./protocol.js";

const WORKER = new URL("./worker-main.js", import.meta.url);

interface Spare {
  worker: Worker;
  memoryMb: number;
  exited: boolean;
}
let spare: Spare | undefined;

function spawn(memoryMb: number, workerData: WorkerData | undefined): Worker {
  return new Worker(WORKER, { workerData, stdout: true, stderr: true, resourceLimits: { maxOldGenerationSizeMb: memoryMb } });
}

/**
 * Starts a thread that waits for its task, and returns its thread id. It does not keep the process
 * alive: a command that ends before it needs a thread (bad arguments, --help) exits as it would have.
 */
export function prewarmContainedThread(memoryMb: number = DEFAULT_LIMITS.memoryMb): number {
  if (spare && !spare.exited) return spare.worker.threadId;
  const entry: Spare = { worker: spawn(memoryMb, undefined), memoryMb, exited: false };
  entry.worker.once("exit", () => {
    entry.exited = true;
  });
  entry.worker.unref();
  spare = entry;
  return entry.worker.threadId;
}

/** A thread running `data.task`: the prewarmed one when it has the same memory limit, else a new one. */
export function startContainedThread(data: WorkerData, memoryMb: number): Worker {
  const ready = spare;
  spare = undefined;
  if (ready && !ready.exited && ready.memoryMb === memoryMb) {
    ready.worker.ref();
    ready.worker.postMessage(data);
    return ready.worker;
  }
  if (ready) void ready.worker.terminate();
  return spawn(memoryMb, data);
}
