/**
 * @module direct/run-context
 * Progress reporting shared by the in-process and threaded paths of the direct runner.
 */

/** A snapshot of a running pipeline, for progress displays. */
export interface Progress {
  readonly splitsDone: number;
  readonly splitsTotal: number;
  readonly bytesRead: number;
  /** Total input size when the sources know it (0 otherwise). */
  readonly bytesTotal: number;
  readonly elementsRead: number;
  readonly rejected: number;
  readonly elapsedMs: number;
  /** `read` while inputs are read, then `shuffle` and `commit`. */
  readonly stage: 'read' | 'shuffle' | 'commit';
  /** Elements emitted so far per `label|tag` (for per-step throughput), when the runner knows them. */
  readonly counts?: ReadonlyArray<readonly [string, number]>;
  /** Heap in use per worker thread, as last reported by each (threaded runs only). */
  readonly workerHeaps?: readonly WorkerHeap[];
}

/** The V8 heap of one worker thread: in use now and the most seen at its reports. */
export interface WorkerHeap {
  readonly worker: number;
  readonly heapUsedBytes: number;
  readonly peakHeapUsedBytes: number;
}

export type ProgressListener = (progress: Progress) => void;

/** A time-sortable run id: `20240102T030405Z-1a2b3c`. */
export function newRunId(): string {
  const now = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${now}-${Math.random().toString(16).slice(2, 8)}`;
}
