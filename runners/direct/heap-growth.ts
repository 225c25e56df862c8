/**
 * @module direct/heap-growth
 * Keeps V8 from letting the heap grow far past its live set during a threaded run. After each full collection
 * V8 sets the next collection's threshold at the live size times a growing factor that it picks between 1.1
 * and 4 from allocation speed; a group-by with few repeated keys allocates fast (parsed records, keys, the
 * frames of the shuffle), so the factor stayed near its top: with the shuffle stores at their budget (128 MB
 * live per worker, measured with forced collections), each worker heap reached 310 MB before a collection,
 * and ArrayBuffers that were already garbage (gunzip output, exchange batches) were freed only then too. That
 * slack, not the stores, was most of the peak: the budget bounds what is live, not what V8 keeps.
 *
 * A fixed factor of 1.5 (`--heap-growing-percent=50`) bounds the slack to half the live set. V8 reads the flag
 * at each collection in every isolate, so setting it before the workers start covers them and the driver.
 * Measured on VPC egress at 1 GB, 2 workers: peak RSS 1.18 GB -> 0.80 GB, for a few percent more CPU.
 */
import { setFlagsFromString } from 'node:v8';

/** Heap growth after a full collection, in percent of the live set. */
export const HEAP_GROWING_PERCENT = 50;

let applied = false;

/** Sets the growing factor once per process, unless the user chose one (in `NODE_OPTIONS` or node's flags). */
export function limitHeapGrowth(): void {
  if (applied) return;
  applied = true;
  const chosen = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((flag) => flag.includes('heap-growing-percent'));
  if (!chosen) setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
