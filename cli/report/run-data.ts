/**
 * @module cli/report/run-data
 * What `logbeam run` records about a run for its report: the pipeline graph with per-step counts, throughput
 * over time, rejects by reason with sample lines, partitions written, time per phase and peak memory. Written
 * as the run manifest `<output>/_runs/<runId>.json` after every run, and rendered by `--report report.html`.
 * Every list is capped (see the limits below) so a run over millions of records or files stays a small file.
 */

/** Format version of the run manifest; bump it when a field changes meaning. */
export const RUN_DATA_VERSION = 1;

/** Samples of the throughput series kept (older ones are thinned to every other one beyond this). */
export const MAX_SAMPLES = 240;
/** Distinct reject reasons kept; the rest are counted together. */
export const MAX_REASONS = 25;
/** Sample lines kept per reject reason. */
export const MAX_SAMPLES_PER_REASON = 3;
/** Characters kept of a sample line. */
export const MAX_SAMPLE_CHARS = 400;
/** Partition rows kept per output. */
export const MAX_PARTITIONS = 500;

export interface RunDataStep {
  readonly index: number;
  /** The full label, as in the run summary. */
  readonly label: string;
  /** Short unique name and composite scope, for drawings. */
  readonly name: string;
  readonly scope: string;
  readonly kind: string;
  /** What the step does (`filter`, `read: alb(samples/alb)`, `combine per key: SumFields(cost)`). */
  readonly does: string;
  readonly detail: string;
  readonly in: number;
  readonly out: Readonly<Record<string, number>>;
  readonly inputs: ReadonlyArray<{ readonly from: number; readonly tag: string }>;
}

/** Elements each step had emitted (all tags) at `tMs` after the run started, in step order. */
export interface ThroughputSample {
  readonly tMs: number;
  readonly stage: string;
  readonly out: readonly number[];
}

export interface RejectReason {
  readonly step: string;
  readonly reason: string;
  readonly count: number;
  /** `raw` is cut at MAX_SAMPLE_CHARS; `rawChars` is the length of the whole line. */
  readonly samples: ReadonlyArray<{
    readonly source: string | null;
    readonly line: number | null;
    readonly raw: string;
    readonly rawChars: number;
  }>;
}

export interface RejectData {
  readonly total: number;
  /** Most frequent first, at most MAX_REASONS. */
  readonly reasons: readonly RejectReason[];
  /** Rejects whose reason is not in `reasons` (beyond the cap). */
  readonly otherCount: number;
  /** Where the dead letters were read from; a note when they could not be (then `reasons` is empty). */
  readonly from: readonly string[];
  readonly note?: string;
}

export interface PartitionData {
  /** The write step. */
  readonly step: string;
  readonly location: string;
  /** `year=2024/month=01/day=02`, `''` when unpartitioned. */
  readonly partition: string;
  readonly files: number;
  readonly rows: number;
  readonly bytes: number;
}

export interface MemoryData {
  /** The CLI process (driver thread and workers share it): peak resident set size. */
  readonly peakRssBytes: number;
  /** The driver thread's peak V8 heap in use. */
  readonly driverPeakHeapBytes: number;
  /** Peak V8 heap in use of each worker thread (threaded direct runs), as reported after each input file. */
  readonly workerPeakHeapBytes: readonly number[];
}

/** The run manifest: everything the report shows. */
export interface RunData {
  readonly version: number;
  readonly pipeline: string;
  readonly runId: string;
  readonly runner: string;
  /** ISO-8601 UTC. */
  readonly startedAt: string;
  readonly status: string;
  readonly wallMs: number;
  readonly workers: number;
  /** Where the SDK harnesses ran, when not in this process (see RunSummary). */
  readonly harnesses?: string;
  readonly filesRead: number;
  readonly bytesRead: number;
  readonly recordsRead: number;
  readonly rejected: number;
  readonly steps: readonly RunDataStep[];
  readonly throughput: { readonly samples: readonly ThroughputSample[] };
  readonly rejects: RejectData;
  readonly partitions: readonly PartitionData[];
  /** Partitions left out per output beyond MAX_PARTITIONS. */
  readonly partitionsOmitted: number;
  readonly phases: ReadonlyArray<{ readonly name: string; readonly ms: number }>;
  readonly memory: MemoryData;
}
