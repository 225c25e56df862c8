/**
 * @module bookmarks/bookmark-lock
 * The lock that keeps two runs off one bookmark: an object `<bookmark>.lock` created with create-if-absent
 * semantics (S3 `If-None-Match: *`, a hard link locally), holding who took it. A run that finds it fails at
 * once, naming the lock and how to clear it. A crashed run leaves its lock behind; it is never broken
 * silently: `breakBookmarkLock` removes it on request, and refuses a lock younger than its TTL unless forced.
 */
import { hostname } from 'node:os';
import type { S3Settings } from '../storage/s3-settings.js';
import { storeFor } from '../storage/store-for.js';

/** Who holds a lock. */
export interface LockHolder {
  readonly runId: string;
  readonly host: string;
  readonly pid: number;
  /** ISO-8601 UTC. */
  readonly acquiredAt: string;
}

/** Default age after which a lock counts as stale (a crashed run): 6 hours, in ms. */
export const DEFAULT_LOCK_TTL_MS = 6 * 60 * 60 * 1000;

/** The lock object's location for a bookmark. */
export function lockUriFor(bookmarkUri: string): string {
  return `${bookmarkUri}.lock`;
}

/** Thrown when another run holds the bookmark's lock. */
export class BookmarkLockedError extends Error {
  constructor(
    readonly bookmarkUri: string,
    readonly lockUri: string,
    readonly holder: LockHolder | undefined,
    readonly stale: boolean,
  ) {
    const who = holder === undefined ? 'an unreadable lock' : `run ${holder.runId} on ${holder.host} (pid ${holder.pid}) since ${holder.acquiredAt}`;
    const hint = stale
      ? 'the lock is older than its TTL, so that run probably crashed'
      : 'wait for that run to finish, or, if it is no longer running';
    super(`bookmark ${bookmarkUri} is locked by ${who}: ${hint}; clear the lock with \`logbeam bookmark unlock ${bookmarkUri}\` (breakBookmarkLock) or delete ${lockUri}`);
    this.name = 'BookmarkLockedError';
  }
}

/** Reads the current holder, or `undefined` when unlocked. */
export async function readLock(bookmarkUri: string, s3?: S3Settings): Promise<{ holder: LockHolder | undefined; ageMs: number } | undefined> {
  const lockUri = lockUriFor(bookmarkUri);
  const store = storeFor(lockUri, s3);
  const info = await store.stat(lockUri);
  if (info === undefined) return undefined;
  const text = await store.read(lockUri).catch(() => undefined);
  let holder: LockHolder | undefined;
  try {
    holder = text === undefined ? undefined : (JSON.parse(text.toString('utf8')) as LockHolder);
  } catch {
    holder = undefined;
  }
  const since = holder === undefined ? (info.mtimeMs ?? Date.now()) : Date.parse(holder.acquiredAt);
  return { holder, ageMs: Date.now() - since };
}

/** Takes the lock for `runId` or throws `BookmarkLockedError`. */
export async function acquireLock(bookmarkUri: string, runId: string, options: { s3?: S3Settings; ttlMs?: number } = {}): Promise<LockHolder> {
  const lockUri = lockUriFor(bookmarkUri);
  const holder: LockHolder = { runId, host: hostname(), pid: process.pid, acquiredAt: new Date().toISOString() };
  if (await storeFor(lockUri, options.s3).createIfAbsent(lockUri, JSON.stringify(holder))) return holder;
  const current = await readLock(bookmarkUri, options.s3);
  throw new BookmarkLockedError(bookmarkUri, lockUri, current?.holder, (current?.ageMs ?? 0) > (options.ttlMs ?? DEFAULT_LOCK_TTL_MS));
}

/** Releases the lock if `runId` holds it (never another run's lock). */
export async function releaseLock(bookmarkUri: string, runId: string, s3?: S3Settings): Promise<void> {
  const current = await readLock(bookmarkUri, s3);
  if (current?.holder?.runId !== runId) return;
  const lockUri = lockUriFor(bookmarkUri);
  await storeFor(lockUri, s3).delete(lockUri);
}

/**
 * Removes a lock left by a crashed run. Refuses (throws `BookmarkLockedError`) when the lock is younger than
 * `staleAfterMs` (default 6 h), unless `force` is set. Returns the holder removed, or `undefined` if unlocked.
 * @example await breakBookmarkLock('s3://state/alb.json', { s3, force: true })
 */
export async function breakBookmarkLock(bookmarkUri: string, options: { s3?: S3Settings; staleAfterMs?: number; force?: boolean } = {}): Promise<LockHolder | undefined> {
  const current = await readLock(bookmarkUri, options.s3);
  if (current === undefined) return undefined;
  const stale = current.ageMs > (options.staleAfterMs ?? DEFAULT_LOCK_TTL_MS);
  if (!stale && options.force !== true) {
    const error = new BookmarkLockedError(bookmarkUri, lockUriFor(bookmarkUri), current.holder, false);
    error.message = `refusing to break the lock of bookmark ${bookmarkUri}: it is only ${Math.round(current.ageMs / 60_000)} minutes old and its run may still be active; pass force (--force) if you are sure it is not`;
    throw error;
  }
  const lockUri = lockUriFor(bookmarkUri);
  await storeFor(lockUri, options.s3).delete(lockUri);
  return current.holder;
}
