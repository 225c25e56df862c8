/**
 * @module execution/read-split
 * Reads one split of a source into an operator chain: the loop the direct runner (driver and worker threads)
 * and the portable harness run per split. Callers add what differs at each checkpoint (draining sink writers
 * or the data channel, progress reports, waiting for acks) through `atCheckpoint`.
 */
import type { BatchCapableSource } from '../core/batch-capability.js';
import type { BoundedSource, SourceContext, SourceEmitter, Split } from '../core/source.js';
import { GLOBAL_WINDOW } from '../core/window.js';
import type { Receiver } from './receiver.js';

export interface SplitReadOptions {
  readonly signal: AbortSignal;
  /** Called with each chunk of input bytes the source reports. */
  readonly addBytesRead: (bytes: number) => void;
  /** Runs at each source checkpoint after the abort check; may return a promise to wait on (backpressure). */
  readonly atCheckpoint: () => Promise<void> | undefined;
}

/** Reads `split` of `source`, pushing each record into `output` in the global window. */
export function readSplitInto(source: BoundedSource<unknown>, split: Split, output: Receiver, options: SplitReadOptions): Promise<void> {
  return source.readSplit(split, emitterInto(output, options), { signal: options.signal });
}

/**
 * Reads `split` of a batch-capable source as batches (`readSplitAsBatches`), pushing each batch or record into
 * `output`: only on a batch edge `planBatchEdges` planned.
 */
export function readSplitBatchesInto(
  source: BatchCapableSource<unknown>,
  split: Split,
  output: Receiver,
  options: SplitReadOptions,
): Promise<void> {
  return source.readSplitAsBatches(split, emitterInto(output, options), { signal: options.signal } satisfies SourceContext);
}

function emitterInto(output: Receiver, options: SplitReadOptions): SourceEmitter<unknown> {
  const { signal, atCheckpoint } = options;
  return {
    emit: (value, timestamp) => output.receive(value, timestamp, GLOBAL_WINDOW),
    checkpoint: () => {
      signal.throwIfAborted();
      return atCheckpoint();
    },
    addBytesRead: options.addBytesRead,
  };
}

/** Waits for all of `pending` that are promises; `undefined` when none is. */
export function whenAll(...pending: (Promise<void> | undefined)[]): Promise<void> | undefined {
  const waiting = pending.filter((p): p is Promise<void> => p !== undefined);
  if (waiting.length === 0) return undefined;
  return waiting.length === 1 ? waiting[0] : Promise.all(waiting).then(() => undefined);
}
