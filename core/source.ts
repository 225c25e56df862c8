/**
 * @module source
 * A bounded source lists its splits once (on the driver) and reads each split independently (on any worker),
 * so runners parallelise by split: one split per file or S3 object.
 */
import type { Micros } from './time.js';

/** A JSON-serialisable description of one unit of reading (e.g. one file). */
export interface Split {
  /** Unique within the source, e.g. the file's URI. */
  readonly id: string;
  /** Size in bytes when known (used for progress and balancing), else 0. */
  readonly sizeBytes: number;
  /** Anything else the reader needs; must survive JSON. */
  readonly spec?: unknown;
}

/** Where a source reports progress and emits elements. */
export interface SourceEmitter<T> {
  /** Emits one element with its event time (epoch µs; use 0 when unknown, timestamps usually come later). */
  emit(value: T, timestamp: Micros): void;
  /**
   * Lets the runner apply backpressure and flush sinks: call after each batch (a few thousand elements or one
   * buffer of input). Await the result when it is a promise.
   */
  checkpoint(): Promise<void> | undefined;
  /** Adds to the split's counters of raw bytes consumed (compressed bytes for gzip input). */
  addBytesRead(bytes: number): void;
}

/** Settings the runner passes to sources. */
export interface SourceContext {
  /** The run's abort signal: readers stop when it fires. */
  readonly signal: AbortSignal;
  /** Set by a dry run: list what would be read, but change nothing (take no locks). */
  readonly dryRun?: boolean;
  /**
   * Told by `listSplits` of each input it leaves out on purpose (never read, e.g. a CloudTrail digest file),
   * with the reason, so the run can count it as a skipped file.
   */
  readonly skipInput?: (id: string, reason: string) => void;
}

/**
 * A bounded source of elements of type T.
 * `listSplits` runs once per run on the driver; `readSplit` runs once per split on some worker.
 */
export interface BoundedSource<T> {
  /** A short description for explain and progress, e.g. `files(./samples/alb)`. */
  readonly description: string;
  listSplits(context: SourceContext): Promise<readonly Split[]>;
  readSplit(split: Split, emitter: SourceEmitter<T>, context: SourceContext): Promise<void>;
}
