/**
 * @module bookmarks/bookmark-session
 * One run's use of a bookmark, on the driver: `prepare` of its commit sink takes the lock, the source's
 * `listSplits` calls `selectNew` (which loads the bookmark and keeps only new or changed inputs, remembering
 * them), and the sink's `commit` (order 100, after every output sink) records them and releases the lock.
 * A failed run aborts instead: the lock is released and the bookmark is unchanged, so the next run reads the
 * same inputs again. A crash between the output commit and the bookmark commit also leaves the bookmark
 * unchanged: inputs are reprocessed, never lost (at-least-once).
 *
 * Workers rebuild the pipeline and so make their own sessions, but only ever call the sink's no-op writer:
 * all state lives in the driver's session.
 */
import { randomUUID } from 'node:crypto';
import type { CommitSummary, Sink, SinkContext, SinkWriter } from '../../core/sink.js';
import type { S3Settings } from '../storage/s3-settings.js';
import { storeFor } from '../storage/store-for.js';
import { isStorageError } from '../storage/errors.js';
import type { InputFile } from '../sources/list-inputs.js';
import { emptyBookmark, entryFor, isUnchanged, parseBookmark, type BookmarkDocument, type BookmarkEntry } from './bookmark-document.js';
import { acquireLock, releaseLock } from './bookmark-lock.js';

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
  }

  /** The inputs not processed by an earlier committed run (new, or changed since). Remembers them for `commit`. */
  async selectNew(files: readonly InputFile[]): Promise<InputFile[]> {
    if (this.runId === undefined) await this.acquire(`bookmark-${randomUUID()}`);
    const document = await loadBookmark(this.uri, this.options.s3);
    const fresh = files.filter((file) => !isUnchanged(document.inputs[file.uri], file));
    this.selected = fresh;
    return fresh;
  }

  /** Records the selected inputs as processed and releases the lock. */
  async commit(): Promise<CommitSummary> {
    const runId = this.runId;
    if (runId === undefined) throw new Error(`bookmark ${this.uri}: commit without a lock (prepare was not called)`);
    try {
      const selected = this.selected ?? [];
      let bytesWritten = 0;
      if (selected.length > 0) {
        const document = await loadBookmark(this.uri, this.options.s3);
        const now = new Date().toISOString();
        const inputs: Record<string, BookmarkEntry> = { ...document.inputs };
        for (const file of selected) inputs[file.uri] = entryFor(file, runId, now);
        bytesWritten = await saveBookmark(this.uri, { version: 1, updatedAt: now, inputs }, this.options.s3);
      }
      return { filesWritten: selected.length > 0 ? 1 : 0, bytesWritten, rowsWritten: selected.length, partitions: [], location: this.uri };
    } finally {
      await this.release();
    }
  }

  /** Releases the lock without recording anything (the run failed). */
  async release(): Promise<void> {
    const runId = this.runId;
    this.runId = undefined;
    this.selected = undefined;
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

  async prepare(context: SinkContext): Promise<void> {
    await this.session.acquire(context.runId);
  }

  createWriter(): SinkWriter<unknown> {
    return { write: () => undefined, drain: () => undefined, close: async () => null, abort: async () => undefined };
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
  if (typeof uri !== 'string' || uri.length === 0) throw new TypeError('openBookmark: pass the bookmark location (a local path or s3://bucket/key)');
  return new BookmarkSession(uri, options);
}
