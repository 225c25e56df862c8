/**
 * @module metrics
 * What a run reports: per-step element counts, bytes read, rejects, sink commits and timing. Runners fill it;
 * the CLI prints it; tests assert on it.
 */
import type { CommitSummary } from './sink.js';

/** Counters of one step. */
export interface StepMetrics {
  readonly label: string;
  readonly kind: string;
  /** Elements that entered the step (sum over its inputs). */
  elementsIn: number;
  /** Elements emitted, per output tag. */
  readonly elementsOut: Record<string, number>;
}

/** An input a source left out on purpose (a CloudTrail digest file), reported by `SourceContext.skipInput`. */
export interface SkippedInput {
  readonly id: string;
  readonly reason: string;
}

/** The outcome of a successful run. */
export interface RunResult {
  readonly runId: string;
  readonly steps: readonly StepMetrics[];
  /** Raw bytes read by sources (compressed size for gzip input). */
  readonly bytesRead: number;
  /** Splits (files / objects) read. */
  readonly splitsRead: number;
  /** Inputs the sources left out on purpose while listing (never read), with the reason. */
  readonly skippedInputs: readonly SkippedInput[];
  /** Elements sent to dead-letter outputs (tag `deadLetter`), over all steps. */
  readonly rejected: number;
  /** Commits by write step label. */
  readonly commits: Readonly<Record<string, CommitSummary>>;
  /**
   * Write steps that committed in another process (a remote SDK harness) but whose summary cannot be read back
   * from here (the sink keeps no record of what a run published); absent when every commit is in `commits`.
   */
  readonly unreportedCommits?: readonly string[];
  readonly wallMs: number;
  /** Worker threads used (1 = in-process). */
  readonly workers: number;
  /**
   * Where the SDK harnesses ran when not in this process (portable runner), e.g. `on external worker pool
   * host:port`; `workers` then counts nothing (0). Absent when every worker ran in this process.
   */
  readonly harnesses?: string;
  /** Groups spilled to disk by shuffles (0 when everything fit the memory budget). */
  readonly spilledBytes: number;
  /** Wall time per phase of the run, in order (the direct runner fills it). */
  readonly phases?: readonly PhaseTiming[];
  /** The largest V8 heap each worker thread reported (threaded direct runs only). */
  readonly workerPeakHeapBytes?: readonly number[];
}

/**
 * One phase of a run: `prepare` (sinks check their destinations), `list` (inputs), `read` (reading, parsing
 * and every step fused after them, staging output), `shuffle 1..n` (the steps after each shuffle), `commit`; on worker threads the
 * later phases run per key range inside the workers and `read` covers them.
 */
export interface PhaseTiming {
  readonly name: string;
  readonly ms: number;
}
