/**
 * @module direct/phase-zero
 * What phase 0 (reading every split, running the fused steps up to the first shuffle) is given and produces,
 * whether it runs in the driver's process or on the worker pool.
 */
import type { Split } from '../../core/source.js';
import type { OutputCounts } from '../../execution/step-counts.js';

/** A split of one read step. */
export interface ReadTask {
  readonly readLabel: string;
  readonly split: Split;
}

/** The bytes all tasks will read (0 for splits of unknown size). */
export function totalBytes(tasks: readonly ReadTask[]): number {
  return tasks.reduce((sum, task) => sum + (task.split.sizeBytes || 0), 0);
}

/** What phase 0 produced, wherever it ran. */
export interface PhaseZeroOutcome {
  /** Writer results per write-step label (one per worker that wrote). */
  readonly writerResults: Map<string, unknown[]>;
  readonly counts: OutputCounts;
  readonly bytesRead: number;
  readonly splitsRead: number;
  readonly workers: number;
  /** Whether the later phases ran too (on worker threads, each over its key range). */
  readonly laterPhasesRan?: boolean;
  /** Bytes spilled and bytes sent between workers by the worker threads (threaded runs only). */
  readonly spilledBytes?: number;
  readonly exchangedBytes?: number;
  /** The largest V8 heap each worker thread reported (threaded runs only). */
  readonly workerPeakHeapBytes?: readonly number[];
}
