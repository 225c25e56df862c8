/**
 * @module sink
 * A sink writes a PCollection out with an all-or-nothing commit: each worker's writer stages its files and
 * returns a JSON description of them; after every writer has closed, the driver calls `commit` once with all
 * of those results, which publishes the output atomically (or `abort`, which removes the staged files).
 *
 * Sinks that implement `prepareCommit` take part in one commit decision per run (two-phase commit, see
 * runners/commit-run.ts): every such sink first makes its staged output durable and records how to finish or
 * undo it; then one small decision object is written (the run's commit point); then each sink publishes.
 * A crash or failure after the decision is completed by the next run on that sink (roll forward), one before
 * it is undone (roll back), so all of them are published or none.
 */
import type { Micros } from './time.js';
import type { Window } from './window.js';

/** Facts about the run that sinks use to name staged files deterministically. */
export interface SinkContext {
  /** Unique per run (sortable: time-based). */
  readonly runId: string;
  /** The label of the write step. */
  readonly stepLabel: string;
}

/** Writes elements on one worker. `write` is synchronous; the runner awaits `drain` between batches. */
export interface SinkWriter<T> {
  write(value: T, timestamp: Micros, window: Window): void;
  /** Returns a promise when buffered data must be flushed before more is written (backpressure). */
  drain(): Promise<void> | undefined;
  /** Flushes and closes; returns a JSON-serialisable description of what was staged. */
  close(): Promise<unknown>;
  /** Removes whatever this writer staged. */
  abort(): Promise<void>;
}

/** What a commit published, for the run summary. */
export interface CommitSummary {
  readonly filesWritten: number;
  readonly bytesWritten: number;
  readonly rowsWritten: number;
  /** Partition paths touched, e.g. `year=2024/month=01/day=02`. */
  readonly partitions: readonly string[];
  /** Where the output went. */
  readonly location: string;
}

/** Where a run records its single commit decision (one small object: present = publish everything). */
export interface CommitDecision {
  /** Location of the decision object (`s3://...` or a local path). */
  readonly uri: string;
  /** Writes the decision; from then on every prepared sink must be published, by this run or the next. */
  record(body: string): Promise<void>;
  /** Removes the decision once every sink published (nothing will look for it any more). */
  forget(): Promise<void>;
}

/**
 * What a sink will publish, known from its writers' results before it publishes: a bookmark uses it to record
 * where each run's rows went, and to refuse an overwrite that would delete rows of inputs it does not re-read.
 */
export interface PlannedWrite {
  /** The output's location. */
  readonly location: string;
  /** `true` when publishing replaces the existing files of these partitions (overwrite-partitions). */
  readonly replaces: boolean;
  /** Partition paths, e.g. `year=2024/month=01/day=02`; `''` for an unpartitioned output. */
  readonly partitions: readonly string[];
}

/** A destination with a commit protocol. */
export interface Sink<T> {
  readonly description: string;
  /**
   * Commits run in ascending order (default 0). A bookmark uses a higher order so that it is committed only
   * after every output: a crash in between reprocesses inputs rather than losing them.
   */
  readonly commitOrder?: number;
  /**
   * For a dry run: fails as `prepare` would (the destination holds data in `fail-if-exists` mode, another run
   * holds its lock), but changes nothing.
   */
  check?(): Promise<void>;
  /** Once on the driver before any writer: validate the destination and the write mode (fail fast). */
  prepare(context: SinkContext): Promise<void>;
  /** Once per worker (and per bundle in the portable runner). `writerId` is unique within the run. */
  createWriter(context: SinkContext, writerId: string): SinkWriter<T>;
  /** Once on the driver after all writers closed successfully. */
  commit(results: readonly unknown[], context: SinkContext): Promise<CommitSummary>;
  /**
   * Optional phase 1 of the run's two-phase commit: verify what was staged, make it durable, and record (with
   * the staged output) that it is to be published if and only if `decision.uri` exists. Publishes nothing.
   * Resolves the location of that recovery record (removed once the sink is published or undone), which the
   * decision lists so that the last sink to finish a recovery can delete the decision; `undefined` for none.
   * After it, `commit` publishes; when `commit` fails or the process dies, the next run on this sink finishes
   * the publish (decision present) or undoes it (absent) before doing anything else. `earlier` holds the
   * `plannedWrite` of every sink prepared before this one.
   */
  prepareCommit?(
    results: readonly unknown[],
    context: SinkContext,
    decision: CommitDecision,
    earlier?: readonly PlannedWrite[],
  ): Promise<string | undefined>;
  /** Optional: what `commit` will publish (the runner passes the writes of earlier sinks to `prepareCommit`). */
  plannedWrite?(results: readonly unknown[]): PlannedWrite;
  /** Optional: a place for the run's decision object (the runner uses the first sink that offers one). */
  decisionFor?(context: SinkContext): CommitDecision;
  /**
   * Optional: what run `context.runId` published here, read back from the destination (`undefined` when it
   * published nothing here). A runner whose commit ran in another process (a remote SDK harness) reports it.
   */
  publishedSummary?(context: SinkContext): Promise<CommitSummary | undefined>;
  /** Once on the driver when the run failed: remove everything staged. */
  abort(results: readonly unknown[], context: SinkContext): Promise<void>;
}
