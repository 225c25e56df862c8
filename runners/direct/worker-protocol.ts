/**
 * @module direct/worker-protocol
 * Messages between the direct runner's driver and its worker threads.
 *
 * Driver -> worker: `init` (rebuild the pipeline; carries one MessagePort per other worker for the
 * partitioned shuffle), `split` (read one split), `finish` (flush, run the later phases over this worker's key
 * range, close writers), `abort`.
 * Worker -> driver: `ready`, `splitDone`, `progress` (counts and heap while a split is read, at most every
 * 500 ms), `finished`, `error`. Shuffle data never passes through the driver (see peer-exchange).
 */
import type { MessagePort } from 'node:worker_threads';
import type { PipelineRef } from '../../core/pipeline.js';
import type { Split } from '../../core/source.js';

/** A collect() tap added to the pipeline after its definition was built; workers add it too. */
export interface TapSpec {
  readonly label: string;
  readonly inputLabel: string;
}

export type DriverMessage =
  | {
      readonly type: 'init';
      readonly ref: PipelineRef;
      readonly taps: readonly TapSpec[];
      readonly runId: string;
      readonly workerIndex: number;
      /** This worker's share of the memory budget is `memoryBudgetBytes / peers.length`. */
      readonly memoryBudgetBytes: number;
      readonly spillDirectory?: string;
      /** A port to each worker, `null` at this worker's own index. */
      readonly peers: ReadonlyArray<MessagePort | null>;
    }
  | { readonly type: 'split'; readonly readLabel: string; readonly split: Split }
  | { readonly type: 'finish' }
  | { readonly type: 'abort' };

export type WorkerMessage =
  | { readonly type: 'ready' }
  | {
      readonly type: 'splitDone';
      readonly bytesRead: number;
      readonly elementsRead: number;
      readonly rejected: number;
      /** The worker's output counts so far (`label|tag` -> elements) and its V8 heap in use. */
      readonly counts?: Array<[string, number]>;
      readonly heapUsedBytes?: number;
    }
  | { readonly type: 'progress'; readonly counts: Array<[string, number]>; readonly heapUsedBytes: number }
  | {
      readonly type: 'finished';
      readonly writerResults: Array<[string, unknown]>;
      readonly counts: Array<[string, number]>;
      /** Bytes this worker's stores spilled, and bytes it sent to other workers. */
      readonly spilledBytes: number;
      readonly exchangedBytes: number;
      readonly heapUsedBytes: number;
    }
  | { readonly type: 'aborted' }
  | { readonly type: 'error'; readonly message: string; readonly stack?: string };
