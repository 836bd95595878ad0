/**
 * The cases of a run too large to hold (a directory replay of a million histories): counted as they
 * come, the ones that did not pass kept in memory (the text output and the exit code need them),
 * and, for the formats that print every case (JSON, JUnit), each case rendered once into a
 * temporary file that the writer copies into the report in order. The report is byte for byte what
 * the same cases held in memory give (output/write.ts), with memory flat in the number of cases.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestCase } from "./report.js";

/** Rendered cases are written in pieces of about this size, and read back in chunks of it. */
const CHUNK_BYTES = 1 << 20;

export interface SpoolRendering {
  /** One case as it appears in the report. */
  render(testCase: TestCase): string;
  /** What stands between two rendered cases. */
  separator: string;
}

export class CaseSpool {
  total = 0;
  failures = 0;
  errors = 0;
  skipped = 0;
  /** The sum of the cases' durations, added in case order (as the JUnit writer adds them). */
  durationMs = 0;
  /** The one suite of the spooled cases (a spool is one command's cases). */
  suite: string | undefined;
  /** Every case that did not pass, in order. */
  readonly kept: TestCase[] = [];
  private pendingText = "";
  private file: string | undefined;
  private fd: number | undefined;
  private disposed = false;

  constructor(private readonly rendering?: SpoolRendering) {}

  add(testCase: TestCase): void {
    if (this.suite !== undefined && testCase.suite !== this.suite) throw new Error(`a case spool holds one suite (${this.suite}), not ${testCase.suite}`);
    this.suite = testCase.suite;
    this.total++;
    this.durationMs += testCase.durationMs ?? 0;
    if (testCase.status === "failed") this.failures++;
    else if (testCase.status === "error") this.errors++;
    else if (testCase.status === "skipped") this.skipped++;
    if (testCase.status !== "passed") this.kept.push(testCase);
    if (!this.rendering) return;
    this.pendingText += (this.total > 1 ? this.rendering.separator : "") + this.rendering.render(testCase);
    if (this.pendingText.length >= CHUNK_BYTES) this.flush();
  }

  private flush(): void {
    if (!this.pendingText) return;
    if (this.fd === undefined) {
      const dir = mkdtempSync(path.join(tmpdir(), "dtcheck-cases-"));
      this.file = path.join(dir, "cases");
      this.fd = openSync(this.file, "w+");
      // Whatever ends the run, the temporary file goes with it.
      process.once("exit", () => this.dispose());
    }
    writeSync(this.fd, this.pendingText);
    this.pendingText = "";
  }

  /** The rendered cases, joined by the separator, in order: what the writer copies into the report. */
  *rendered(): Generator<string | Buffer> {
    // Rendering a removed spool would print a report without its cases: never a silent wrong answer.
    if (this.disposed) throw new Error("the spooled cases were written and removed already");
    if (this.fd !== undefined) {
      this.flush();
      const buffer = Buffer.alloc(CHUNK_BYTES);
      for (let position = 0; ; ) {
        const read = readSync(this.fd, buffer, 0, CHUNK_BYTES, position);
        if (read === 0) break;
        position += read;
        // A copy: the buffer is reused for the next chunk while this one may still be queued for writing.
        yield Buffer.from(buffer.subarray(0, read));
      }
    } else if (this.pendingText) yield this.pendingText;
  }

  /** Removes the temporary file (also done at exit). */
  dispose(): void {
    this.disposed = true;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    if (this.file) rmSync(path.dirname(this.file), { recursive: true, force: true });
    this.file = undefined;
  }
}
