/**
 * @module pipelines/audit-csv/marker
 * Completion markers: a producer writes a marker object once a batch of files is complete; a run with
 * `whenMarker` loads the batch only when the marker exists and has not been loaded yet, then records the marker
 * in the bookmark (as an input entry with its size and ETag/mtime) in the same commit as the data. This
 * replaces a per-object trigger, which fired once per file and ran the load several times.
 */
import type { CommitSummary, Sink, SinkWriter } from '../../core/sink.js';
import { isUnchanged, entryFor } from '../../io/bookmarks/bookmark-document.js';
import { loadBookmark, saveBookmark } from '../../io/bookmarks/bookmark-session.js';
import type { InputFile } from '../../io/sources/list-inputs.js';
import type { ObjectInfo } from '../../io/storage/object-store.js';
import { storeFor } from '../../io/storage/store-for.js';
import type { S3Settings } from '../../io/storage/s3-settings.js';

/** `ready`: load now; `waiting`: no marker yet; `done`: this marker was already loaded. */
export type MarkerStatus = 'ready' | 'waiting' | 'done';

/**
 * Exit code the CLI uses for `waiting` (EX_TEMPFAIL from sysexits.h: "try again later"), distinct from success
 * (0, also for `done`) and failure (1), so a scheduler can tell "not yet" from "broken".
 */
export const WAITING_FOR_MARKER_EXIT_CODE = 75;

/**
 * Whether the batch announced by `markerUri` should be loaded now.
 * @example await markerStatus('s3://logs/audit/_READY', 's3://state/audit.json') // 'waiting' until the marker exists
 */
export async function markerStatus(markerUri: string, bookmarkUri: string | undefined, s3?: S3Settings): Promise<MarkerStatus> {
  const info = await storeFor(markerUri, s3).stat(markerUri);
  if (info === undefined) return 'waiting';
  if (bookmarkUri === undefined) return 'ready';
  const document = await loadBookmark(bookmarkUri, s3);
  return isUnchanged(document.inputs[markerUri], asInput(markerUri, info)) ? 'done' : 'ready';
}

/**
 * A sink (no rows) that records the marker in the bookmark at commit. It commits after the data (order 0) and
 * before the bookmark's own commit (order 100), which releases the bookmark lock that covers this write.
 */
export function markerDoneSink(markerUri: string, bookmarkUri: string, s3?: S3Settings): Sink<unknown> {
  return {
    description: `marker(${markerUri})`,
    commitOrder: 99,
    async prepare() {
      if (!(await storeFor(markerUri, s3).exists(markerUri)))
        throw new Error(`marker ${markerUri} does not exist; the batch is not complete yet (check markerStatus before running)`);
    },
    createWriter(): SinkWriter<unknown> {
      return { write: () => undefined, drain: () => undefined, close: async () => null, abort: async () => undefined };
    },
    // Taking part in the run's decision (with nothing to prepare) publishes the marker only after it, never
    // for a run whose data was rolled back.
    async prepareCommit() {
      return undefined;
    },
    async commit(_results, context): Promise<CommitSummary> {
      const info = await storeFor(markerUri, s3).stat(markerUri);
      if (info === undefined) throw new Error(`marker ${markerUri} disappeared during the run`);
      const document = await loadBookmark(bookmarkUri, s3);
      const now = new Date().toISOString();
      const entry = entryFor(asInput(markerUri, info), context.runId, now);
      const bytesWritten = await saveBookmark(
        bookmarkUri,
        { version: 1, updatedAt: now, inputs: { ...document.inputs, [markerUri]: entry } },
        s3,
      );
      return { filesWritten: 1, bytesWritten, rowsWritten: 0, partitions: [], location: bookmarkUri };
    },
    async abort() {},
  };
}

function asInput(uri: string, info: ObjectInfo): InputFile {
  return {
    uri,
    sizeBytes: info.size,
    ...(info.etag === undefined ? {} : { etag: info.etag }),
    ...(info.mtimeMs === undefined ? {} : { mtimeMs: info.mtimeMs }),
  };
}
