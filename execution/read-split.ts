/**
 * @module execution/read-split
 * Reads one split of a source into an operator chain: the loop the direct runner (driver and worker threads)
 * and the portable harness run per split. Callers add what differs at each checkpoint (draining sink writers
 * or the data channel, progress reports, waiting for acks) through `atCheckpoint`.
 */
import type { BoundedSource, Split } from '../core/source.js';
import { GLOBAL_WINDOW } from '../core/window.js';
import type { Receiver } from './receiver.js';

export interface SplitReadOptions {
  readonly signal: AbortSignal;
  /** Called with each chunk of input bytes the source reports. */
  readonly addBytesRead: (bytes: number) => void;
  /** Runs at each source checkpoint after the abort check; may return a promise to wait on (backpressure). */
  readonly atCheckpoint: () => Promise<void> | undefined;
  /** Whether the source may emit `ColumnBatch`es (the planner found a batch edge). */
  readonly batches?: boolean;
}

/** Reads `split` of `source`, pushing each record into `output` in the global window. */
export function readSplitInto(source: BoundedSource<unknown>, split: Split, output: Receiver, options: SplitReadOptions): Promise<void> {
  const { signal, atCheckpoint } = options;
  return source.readSplit(
    split,
    {
      emit: (value, timestamp) => output.receive(value, timestamp, GLOBAL_WINDOW),
      checkpoint: () => {
        signal.throwIfAborted();
        return atCheckpoint();
      },
      addBytesRead: options.addBytesRead,
    },
    { signal, batches: options.batches === true },
  );
}

/** Waits for all of `pending` that are promises; `undefined` when none is. */
export function whenAll(...pending: (Promise<void> | undefined)[]): Promise<void> | undefined {
  const waiting = pending.filter((p): p is Promise<void> => p !== undefined);
  if (waiting.length === 0) return undefined;
  return waiting.length === 1 ? waiting[0] : Promise.all(waiting).then(() => undefined);
}
