/**
 * @module direct/worker-protocol
 * Messages between the direct runner's driver and its worker threads.
 *
 * Driver -> worker: `init` (rebuild the pipeline), `split` (read one split), `finish` (flush, close writers),
 * `ack` (a shuffle batch was absorbed), `abort`.
 * Worker -> driver: `ready`, `shuffle` (a batch for a store: flat tuples `[key, start, end, payload]...`),
 * `materialize` (flat `[value, timestamp, start, end]...`), `splitDone`, `progress` (counts and heap while a split
 * is read, at most every 500 ms), `finished`, `error`.
 */
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
      readonly memoryBudgetBytes: number;
    }
  | { readonly type: 'split'; readonly readLabel: string; readonly split: Split }
  | { readonly type: 'finish' }
  | { readonly type: 'ack' }
  | { readonly type: 'abort' };

export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'shuffle'; readonly store: string; readonly partial: boolean; readonly items: unknown[] }
  | { readonly type: 'materialize'; readonly edge: string; readonly items: unknown[] }
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
  | { readonly type: 'finished'; readonly writerResults: Array<[string, unknown]>; readonly counts: Array<[string, number]> }
  | { readonly type: 'aborted' }
  | { readonly type: 'error'; readonly message: string; readonly stack?: string };
