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
