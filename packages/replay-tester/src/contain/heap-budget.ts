/**
 * Keeps a long replay's heaps near what they really hold: the contained thread's, and the
 * watchdog side's, which receives every result. A streamed replay creates garbage
 * at a steady rate, some of it living just long enough to reach the old generation (histories read
 * ahead, results on their way out), and V8 lets the old generation grow to about four times what
 * survives before it collects it: for the ~35 MB a loaded SDK and module hold, some 140 MB, which
 * alone put a million-history replay over its 300 MB budget (bench/stream.bench.mjs). Collecting
 * whenever the heap has grown a fixed budget over what the last collection kept bounds it. It is
 * not free: on 100,000 histories the collections took the replay from 20.5 s of CPU to 31 s, and
 * V8 deoptimised more often after them. A 64 MB budget on the old generation alone, or V8's heap
 * growth capped at a factor of 2, cost less but peaked over 300 MB at a million histories (332 and
 * 342 MB), so this budget stays.
 */
import { getHeapStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** Growth over the last collection's survivors that triggers the next collection. */
const BUDGET_BYTES = 24 * 1024 * 1024;
/** How often (in results) the heap is looked at: reading its statistics is cheap, not free. */
const EVERY = 64;

/**
 * A function to call once per replayed history; it collects when the heap has grown past its
 * budget. Nothing is set up before the first look (at the 64th history), so a short replay pays
 * nothing: the collector's context and a first full collection cost some 40 ms per thread.
 */
export function heapBudget(): () => void {
  let collect: (() => void) | undefined;
  let kept = 0;
  let count = 0;
  return () => {
    if (++count % EVERY !== 0) return;
    if (!collect) {
      // --expose-gc applies to contexts created after it is set: a fresh one hands over the collector.
      setFlagsFromString("--expose-gc");
      collect = runInNewContext("gc") as () => void;
      // What came before (a folder of a million names listed, sorted and packed; a module loaded)
      // left garbage that V8 may keep for a long while: measured from here, the budget would sit on top of it.
      collect();
      kept = getHeapStatistics().used_heap_size;
      return;
    }
    if (getHeapStatistics().used_heap_size < kept + BUDGET_BYTES) return;
    collect();
    kept = getHeapStatistics().used_heap_size;
  };
}
