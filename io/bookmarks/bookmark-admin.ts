/**
 * @module bookmarks/bookmark-admin
 * What the CLI's `logbeam bookmark show|reset|rewind|unlock` commands call. Changes take the bookmark's lock
 * like a run does, so they cannot interleave with one.
 */
import { randomUUID } from 'node:crypto';
import type { S3Settings } from '../storage/s3-settings.js';
import { keyDays } from '../sources/key-date.js';
import { resolveTimeRange } from '../sources/time-range.js';
import { storeFor } from '../storage/store-for.js';
import { MICROS_PER_DAY } from '../../core/time.js';
import { InvalidBookmarkError, runsStillUsed, type BookmarkDocument, type BookmarkEntry } from './bookmark-document.js';
import { readLock, type LockHolder } from './bookmark-lock.js';
import { BookmarkSession, loadBookmark, readPending, saveBookmark, type PendingSummary } from './bookmark-session.js';

export { breakBookmarkLock } from './bookmark-lock.js';

/** A bookmark's state, for display. */
export interface BookmarkSummary {
  readonly uri: string;
  readonly exists: boolean;
  readonly updatedAt: string | undefined;
  readonly inputCount: number;
  readonly inputs: Readonly<Record<string, BookmarkEntry>>;
  /** The current lock holder and the lock's age (ms), when locked. */
  readonly lock: { readonly holder: LockHolder | undefined; readonly ageMs: number } | undefined;
  /** What a run that did not finish its bookmark commit left in `<bookmark>.pending`. */
  readonly pending: PendingSummary | undefined;
}

/** @example await showBookmark('state/alb.json') // { exists: true, inputCount: 42, lock: undefined, ... } */
export async function showBookmark(uri: string, options: { s3?: S3Settings } = {}): Promise<BookmarkSummary> {
  const exists = await storeFor(uri, options.s3).exists(uri);
  const document = await loadBookmark(uri, options.s3);
  return {
    uri,
    exists,
    updatedAt: exists ? document.updatedAt : undefined,
    inputCount: Object.keys(document.inputs).length,
    inputs: document.inputs,
    lock: await readLock(uri, options.s3),
    pending: await readPending(uri, options.s3),
  };
}

/**
 * Forgets every processed input: the next run reads everything. Their rows are still in the output, so they
 * are remembered as rewound (as `rewindBookmark` does) and `logbeam run` refuses to append them a second time.
 * A bookmark that is not a valid document is deleted. Returns how many entries were removed.
 */
export async function resetBookmark(uri: string, options: { s3?: S3Settings } = {}): Promise<number> {
  return underLock(uri, options.s3, async () => {
    let document: BookmarkDocument;
    try {
      document = await loadBookmark(uri, options.s3);
    } catch (error) {
      if (!(error instanceof InvalidBookmarkError)) throw error;
      await storeFor(uri, options.s3).delete(uri);
      return 0;
    }
    const inputs = Object.keys(document.inputs);
    if (inputs.length === 0) return 0;
    const now = new Date().toISOString();
    const rewound: Record<string, string> = { ...document.rewound };
    for (const input of inputs) rewound[input] = now;
    await saveBookmark(uri, { version: 1, updatedAt: now, inputs: {}, rewound }, options.s3);
    return inputs.length;
  });
}

/**
 * How to rewind: `to` restores the bookmark as it was at that instant (forgets inputs processed after it);
 * `removeInputsAfter` forgets inputs whose key names a day at or after that instant's day (AWS key layouts),
 * so those days are read again.
 */
export type RewindTarget = { readonly to: string } | { readonly removeInputsAfter: string };

/** What a rewind forgot. */
export interface RewindResult {
  /** Every input forgotten, sorted. */
  readonly removed: string[];
  /**
   * Of those, the inputs the target did not select but that a run recorded as writing to a partition the
   * selected ones wrote to: the rerun replaces those partitions, so they must be read again too.
   */
  readonly sharingPartitions: string[];
  /** Inputs kept whose runs did not record their partitions (older versions): a rerun cannot protect their rows. */
  readonly unknownPartitions: string[];
}

/**
 * Adds to `removed` (to closure) every input whose run wrote to a partition that a removed input's run wrote
 * to: a rerun with overwrite-partitions replaces those partitions and must rewrite all of their rows.
 * Unpartitioned outputs (`<output>/`) are left out: replacing them would need every input read again, and
 * the run itself refuses that case.
 */
function closeOverPartitions(document: BookmarkDocument, removed: Set<string>): string[] {
  const runs = document.runs ?? {};
  const partitionsOf = (entry: BookmarkEntry): readonly string[] =>
    (runs[entry.runId]?.partitions ?? []).filter((key) => !key.endsWith('/'));
  const rewritten = new Set<string>();
  for (const input of removed) for (const key of partitionsOf(document.inputs[input]!)) rewritten.add(key);
  const added: string[] = [];
  let grew = true;
  while (grew) {
    grew = false;
    for (const [input, entry] of Object.entries(document.inputs)) {
      if (removed.has(input)) continue;
      const keys = partitionsOf(entry);
      if (!keys.some((key) => rewritten.has(key))) continue;
      removed.add(input);
      added.push(input);
      for (const key of keys) rewritten.add(key);
      grew = true;
    }
  }
  return added.sort();
}

/**
 * Forgets part of the bookmark: the inputs the target selects, and every input sharing a partition with them
 * (see `closeOverPartitions`).
 * @example (await rewindBookmark('state/alb.json', { to: '2024-03-01T00:00:00Z' })).removed // ['s3://logs/...', ...]
 */
export async function rewindBookmark(uri: string, target: RewindTarget, options: { s3?: S3Settings } = {}): Promise<RewindResult> {
  const byProcessing = 'to' in target;
  const instant = byProcessing ? target.to : target.removeInputsAfter;
  const micros = resolveTimeRange(instant, undefined)!.sinceMicros;
  return underLock(uri, options.s3, async () => {
    const document = await loadBookmark(uri, options.s3);
    const removed = new Set<string>();
    for (const [input, entry] of Object.entries(document.inputs)) {
      let remove: boolean;
      if (byProcessing) {
        remove = Date.parse(entry.processedAt) * 1000 > micros;
      } else {
        const span = keyDays(input);
        remove = span !== undefined && (span.lastDay + 1) * MICROS_PER_DAY > micros;
      }
      if (remove) removed.add(input);
    }
    const sharingPartitions = removed.size > 0 ? closeOverPartitions(document, removed) : [];
    const kept = Object.fromEntries(Object.entries(document.inputs).filter(([input]) => !removed.has(input)));
    if (removed.size > 0) {
      const now = new Date().toISOString();
      const rewound: Record<string, string> = { ...document.rewound };
      for (const input of removed) rewound[input] = now;
      await saveBookmark(uri, { version: 1, updatedAt: now, inputs: kept, rewound, ...runsStillUsed(kept, document.runs) }, options.s3);
    }
    const unknownPartitions =
      removed.size > 0
        ? Object.entries(kept)
            .filter(([, entry]) => document.runs?.[entry.runId] === undefined)
            .map(([input]) => input)
            .sort()
        : [];
    return { removed: [...removed].sort(), sharingPartitions, unknownPartitions };
  });
}

/**
 * The inputs a rewind forgot that no run has read again yet (URI -> when forgotten). A rerun that appends
 * would write their rows a second time; the CLI refuses it and asks for `--write-mode overwrite-partitions`.
 */
export async function rewoundInputs(uri: string, options: { s3?: S3Settings } = {}): Promise<Readonly<Record<string, string>>> {
  return (await loadBookmark(uri, options.s3)).rewound ?? {};
}

/** Runs `action` under the bookmark's lock, after completing what an interrupted run left pending (as a run does). */
async function underLock<T>(uri: string, s3: S3Settings | undefined, action: () => Promise<T>): Promise<T> {
  const session = new BookmarkSession(uri, s3 === undefined ? {} : { s3 });
  await session.acquire(`admin-${randomUUID()}`);
  try {
    return await action();
  } finally {
    await session.release();
  }
}
