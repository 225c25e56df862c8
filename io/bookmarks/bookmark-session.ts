/**
 * @module bookmarks/bookmark-session
 * One run's use of a bookmark, on the driver: `prepare` of its commit sink takes the lock (and completes or
 * discards what a previous run left pending, before anything else), the source's `listSplits` calls
 * `selectNew` (which loads the bookmark and keeps only new or changed inputs, remembering them), and the sink
 * takes part in the run's single commit decision (runners/commit-run.ts):
 * - `prepareCommit` writes `<bookmark>.pending`: the entries to record and the run's decision object;
 * - after the decision, `commit` merges them into the bookmark, deletes the pending record, releases the lock.
 * A run that fails before its decision discards the pending record: the bookmark is unchanged and the next run
 * reads the same inputs again (their outputs were rolled back too). A run that dies or fails after its
 * decision leaves the pending record, and the next run applies it before selecting inputs: inputs whose output
 * was published are never processed twice.
 *
 * Workers rebuild the pipeline and so make their own sessions, but only ever call the sink's no-op writer:
 * all state lives in the driver's session.
 */
import { randomUUID } from 'node:crypto';
import { reachedCommitStep } from '../../core/commit-steps.js';
import type { CommitDecision, CommitSummary, PlannedWrite, Sink, SinkContext, SinkWriter } from '../../core/sink.js';
import type { S3Settings } from '../storage/s3-settings.js';
import { storeFor } from '../storage/store-for.js';
import { isStorageError } from '../storage/errors.js';
import type { InputFile } from '../sources/list-inputs.js';
import {
  emptyBookmark,
  entryFor,
  isUnchanged,
  parseBookmark,
  partitionKey,
  runsStillUsed,
  stillRewound,
  type BookmarkDocument,
  type BookmarkEntry,
} from './bookmark-document.js';
import { OverwriteWouldLoseRowsError } from './overwrite-guard.js';
import { forgetDecisionIfDone } from '../sinks/commit/decision-record.js';
import { ownerIsGone } from '../storage/owned-lock.js';
import { acquireLock, BookmarkLockedError, DEFAULT_LOCK_TTL_MS, lockUriFor, readLock, releaseLock } from './bookmark-lock.js';

/** Commit order of the bookmark sink: after every output sink (default 0). */
export const BOOKMARK_COMMIT_ORDER = 100;

export interface BookmarkOptions {
  readonly s3?: S3Settings;
  /** Age after which a lock is reported as stale (ms, default 6 h). Stale locks are still never broken silently. */
  readonly lockTtlMs?: number;
}

/** Loads a bookmark document, or an empty one when none exists yet. */
export async function loadBookmark(uri: string, s3?: S3Settings): Promise<BookmarkDocument> {
  try {
    return parseBookmark(uri, (await storeFor(uri, s3).read(uri)).toString('utf8'));
  } catch (error) {
    if (isStorageError(error, 'not-found')) return emptyBookmark();
    throw error;
  }
}

/** What `<bookmark>.pending` holds between a run's prepareCommit and its bookmark commit. */
interface PendingRecord {
  readonly runId: string;
  /** The run's decision object: apply the entries when it exists, discard them when it does not. */
  readonly decision: string;
  readonly inputs: Readonly<Record<string, BookmarkEntry>>;
  /** The partitions the run's outputs publish to (`<output>/<partition>`); absent from older versions. */
  readonly partitions?: readonly string[];
}

/** The pending record's location for a bookmark. */
export function pendingUriFor(bookmarkUri: string): string {
  return `${bookmarkUri}.pending`;
}

/** A pending record left by a run that did not finish its bookmark commit, for display. */
export interface PendingSummary {
  readonly uri: string;
  readonly runId: string;
  readonly inputCount: number;
  /**
   * `true`: the run's decision exists (its outputs are, or will be, published), and the next user of the
   * bookmark records these inputs as processed; `false`: the run did not commit, and the record is discarded.
   */
  readonly decided: boolean;
}

/** The pending record of `bookmarkUri`, if any. */
export async function readPending(bookmarkUri: string, s3?: S3Settings): Promise<PendingSummary | undefined> {
  const uri = pendingUriFor(bookmarkUri);
  let pending: PendingRecord;
  try {
    pending = JSON.parse((await storeFor(uri, s3).read(uri)).toString('utf8')) as PendingRecord;
  } catch (error) {
    if (isStorageError(error, 'not-found')) return undefined;
    throw new Error(
      `bookmark ${bookmarkUri}: the pending record ${uri} cannot be read (${(error as Error).message}); it names the inputs of an interrupted run. Inspect it, then delete it to reprocess those inputs`,
      { cause: error },
    );
  }
  return {
    uri,
    runId: pending.runId,
    inputCount: Object.keys(pending.inputs ?? {}).length,
    decided: await storeFor(pending.decision, s3).exists(pending.decision),
  };
}

/** Writes a bookmark document whole (atomic replace on both backends). */
export async function saveBookmark(uri: string, document: BookmarkDocument, s3?: S3Settings): Promise<number> {
  const text = `${JSON.stringify(document, null, 1)}\n`;
  await storeFor(uri, s3).write(uri, text);
  return Buffer.byteLength(text);
}

export class BookmarkSession {
  private runId: string | undefined;
  private selected: InputFile[] | undefined;
  private sinkMade = false;
  private pendingWritten = false;
  /** Partitions this run's outputs publish to, from prepareCommit. */
  private written: readonly string[] | undefined;

  constructor(
    /** Location of the bookmark document: a local path or `s3://bucket/key`. */
    readonly uri: string,
    private readonly options: BookmarkOptions = {},
  ) {}

  /** Takes the lock for `runId` (idempotent within a run). Throws `BookmarkLockedError` when another run has it. */
  async acquire(runId: string): Promise<void> {
    if (this.runId === runId) return;
    if (this.runId !== undefined) throw new Error(`bookmark ${this.uri} is already in use by run ${this.runId} of this process`);
    await acquireLock(this.uri, runId, this.options);
    this.runId = runId;
    this.selected = undefined;
    try {
      await this.completePending();
    } catch (error) {
      await this.release();
      throw error;
    }
  }

  /** Applies (decision recorded) or discards (not recorded) what an earlier run left in `<bookmark>.pending`. */
  private async completePending(): Promise<void> {
    const pendingUri = pendingUriFor(this.uri);
    const store = storeFor(pendingUri, this.options.s3);
    let text: string;
    try {
      text = (await store.read(pendingUri)).toString('utf8');
    } catch (error) {
      if (isStorageError(error, 'not-found')) return;
      throw error;
    }
    let pending: PendingRecord;
    try {
      pending = JSON.parse(text) as PendingRecord;
    } catch (error) {
      throw new Error(
        `bookmark ${this.uri}: the pending record ${pendingUri} is not valid JSON (${(error as Error).message}); it names the inputs of an interrupted run. Inspect it, then delete it to reprocess those inputs`,
        { cause: error },
      );
    }
    const decided = await storeFor(pending.decision, this.options.s3).exists(pending.decision);
    if (decided) await this.record(pending.inputs, pending.runId, pending.partitions);
    await store.delete(pendingUri);
    if (decided) await forgetDecisionIfDone(pending.decision, this.options.s3);
  }

  /** Merges entries into the bookmark document; returns the bytes written. */
  private async record(
    entries: Readonly<Record<string, BookmarkEntry>>,
    runId: string,
    partitions: readonly string[] | undefined,
  ): Promise<number> {
    const document = await loadBookmark(this.uri, this.options.s3);
    // Inputs re-read after a `bookmark rewind` are no longer rewound once recorded again.
    const reread = Object.keys(entries).map((uri) => ({ uri }));
    const inputs = { ...document.inputs, ...entries };
    const runs = partitions === undefined ? document.runs : { ...document.runs, [runId]: { partitions } };
    const bytes = await saveBookmark(
      this.uri,
      { version: 1, updatedAt: new Date().toISOString(), inputs, ...stillRewound(document, reread), ...runsStillUsed(inputs, runs) },
      this.options.s3,
    );
    reachedCommitStep('bookmark:saved');
    return bytes;
  }

  private entries(runId: string): Record<string, BookmarkEntry> {
    const now = new Date().toISOString();
    return Object.fromEntries((this.selected ?? []).map((file) => [file.uri, entryFor(file, runId, now)]));
  }

  /**
   * Phase 1 of the run's commit: refuses an overwrite that would delete rows of inputs this run does not read
   * again, then records the entries to save once the run's decision exists, with the partitions the run's
   * outputs (`earlier`) publish to.
   */
  async prepareCommit(decision: CommitDecision, earlier: readonly PlannedWrite[] = []): Promise<string | undefined> {
    const runId = this.runId;
    if (runId === undefined) throw new Error(`bookmark ${this.uri}: commit without a lock (prepare was not called)`);
    await this.refuseLosingRows(earlier);
    this.written = [
      ...new Set(earlier.flatMap((write) => write.partitions.map((partition) => partitionKey(write.location, partition)))),
    ].sort();
    if ((this.selected ?? []).length === 0) return undefined;
    const pending: PendingRecord = { runId, decision: decision.uri, inputs: this.entries(runId), partitions: this.written };
    await storeFor(this.uri, this.options.s3).write(pendingUriFor(this.uri), `${JSON.stringify(pending)}\n`);
    this.pendingWritten = true;
    reachedCommitStep('bookmark:pending');
    return pendingUriFor(this.uri);
  }

  /**
   * An output that replaces a partition deletes every row in it, also those of inputs the bookmark records as
   * processed and this run does not read again: they would be lost, so the run stops before its decision.
   */
  private async refuseLosingRows(earlier: readonly PlannedWrite[]): Promise<void> {
    const replaced = new Set(
      earlier
        .filter((write) => write.replaces)
        .flatMap((write) => write.partitions.map((partition) => partitionKey(write.location, partition))),
    );
    if (replaced.size === 0) return;
    const document = await loadBookmark(this.uri, this.options.s3);
    const reading = new Set((this.selected ?? []).map((file) => file.uri));
    const endangered: string[] = [];
    const hit = new Set<string>();
    for (const [input, entry] of Object.entries(document.inputs)) {
      if (reading.has(input)) continue;
      const shared = (document.runs?.[entry.runId]?.partitions ?? []).filter((key) => replaced.has(key));
      if (shared.length === 0) continue;
      endangered.push(input);
      for (const key of shared) hit.add(key);
    }
    if (endangered.length > 0) throw new OverwriteWouldLoseRowsError(this.uri, [...hit].sort(), endangered.sort());
  }

  /**
   * The inputs not processed by an earlier committed run (new, or changed since). Remembers them for `commit`;
   * with `dryRun` (and no run holding the session), only reads: no lock, nothing remembered.
   */
  async selectNew(files: readonly InputFile[], options: { dryRun?: boolean } = {}): Promise<InputFile[]> {
    const peek = options.dryRun === true && this.runId === undefined;
    if (this.runId === undefined && !peek) await this.acquire(`bookmark-${randomUUID()}`);
    const document = await loadBookmark(this.uri, this.options.s3);
    const fresh = files.filter((file) => !isUnchanged(document.inputs[file.uri], file));
    if (!peek) this.selected = fresh;
    return fresh;
  }

  /**
   * Fails with `BookmarkLockedError` when a run holds the bookmark (for dry runs; changes nothing). A lock whose
   * process is gone from this host does not count: a run would take it over.
   */
  async checkUnlocked(): Promise<void> {
    const lock = await readLock(this.uri, this.options.s3);
    if (lock !== undefined && !(lock.holder !== undefined && ownerIsGone(lock.holder)))
      throw new BookmarkLockedError(
        this.uri,
        lockUriFor(this.uri),
        lock.holder,
        lock.ageMs > (this.options.lockTtlMs ?? DEFAULT_LOCK_TTL_MS),
      );
  }

  /** Records the selected inputs as processed (after the run's decision) and releases the lock. */
  async commit(): Promise<CommitSummary> {
    const runId = this.runId;
    if (runId === undefined) throw new Error(`bookmark ${this.uri}: commit without a lock (prepare was not called)`);
    const selected = this.selected ?? [];
    try {
      const bytesWritten = selected.length > 0 ? await this.record(this.entries(runId), runId, this.written) : 0;
      if (this.pendingWritten) await storeFor(this.uri, this.options.s3).delete(pendingUriFor(this.uri));
      this.pendingWritten = false;
      return { filesWritten: selected.length > 0 ? 1 : 0, bytesWritten, rowsWritten: selected.length, partitions: [], location: this.uri };
    } finally {
      // On failure the pending record stays: the next run applies it.
      this.pendingWritten = false;
      await this.release();
    }
  }

  /** Releases the lock without recording anything (the run failed before its decision). */
  async release(): Promise<void> {
    const runId = this.runId;
    this.runId = undefined;
    this.selected = undefined;
    this.written = undefined;
    if (this.pendingWritten) await storeFor(this.uri, this.options.s3).delete(pendingUriFor(this.uri));
    this.pendingWritten = false;
    if (runId !== undefined) await releaseLock(this.uri, runId, this.options.s3);
  }

  /**
   * The sink that commits this bookmark after the outputs; `readLogs` applies it. Made once per session,
   * because one bookmark records one source's inputs.
   */
  commitSink(): Sink<unknown> {
    if (this.sinkMade) throw new Error(`bookmark ${this.uri} is already attached to a readLogs; use one bookmark per source`);
    this.sinkMade = true;
    return new BookmarkCommitSink(this);
  }
}

class BookmarkCommitSink implements Sink<unknown> {
  readonly commitOrder = BOOKMARK_COMMIT_ORDER;
  readonly description: string;

  constructor(private readonly session: BookmarkSession) {
    this.description = `bookmark(${session.uri})`;
  }

  check(): Promise<void> {
    return this.session.checkUnlocked();
  }

  async prepare(context: SinkContext): Promise<void> {
    await this.session.acquire(context.runId);
  }

  createWriter(): SinkWriter<unknown> {
    return { write: () => undefined, drain: () => undefined, close: async () => null, abort: async () => undefined };
  }

  prepareCommit(
    _results: readonly unknown[],
    _context: SinkContext,
    decision: CommitDecision,
    earlier?: readonly PlannedWrite[],
  ): Promise<string | undefined> {
    return this.session.prepareCommit(decision, earlier);
  }

  commit(): Promise<CommitSummary> {
    return this.session.commit();
  }

  abort(): Promise<void> {
    return this.session.release();
  }
}

/**
 * A bookmark for `readLogs(..., { bookmark })`. Opening does no I/O; the lock is taken when a run starts.
 * @example p.apply(readLogs(albFormat, { input: 's3://logs/AWSLogs/', bookmark: openBookmark('s3://state/alb.json', { s3 }) }))
 */
export function openBookmark(uri: string, options: BookmarkOptions = {}): BookmarkSession {
  if (typeof uri !== 'string' || uri.length === 0)
    throw new TypeError('openBookmark: pass the bookmark location (a local path or s3://bucket/key)');
  return new BookmarkSession(uri, options);
}
