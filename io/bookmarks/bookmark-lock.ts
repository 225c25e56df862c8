/**
 * @module bookmarks/bookmark-lock
 * The lock that keeps two runs off one bookmark: an object `<bookmark>.lock` created with create-if-absent
 * semantics (S3 `If-None-Match: *`, a hard link locally), holding the run id, host and pid of who took it
 * (storage/owned-lock). Claiming is idempotent per run id, so a create whose response was lost does not lock
 * the run out. A lock left by a crashed run on this host (its process is gone) is taken over; any other lock
 * stops the run at once, naming the lock and how to clear it. `breakBookmarkLock` removes a lock on request:
 * at once when its process is gone from this host, otherwise only when older than its TTL or when forced.
 */
import type { S3Settings } from '../storage/s3-settings.js';
import { storeFor } from '../storage/store-for.js';
import { claimLock, lockHost, ownerIsGone, releaseOwnedLock } from '../storage/owned-lock.js';

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
    const who =
      holder === undefined ? 'an unreadable lock' : `run ${holder.runId} on ${holder.host} (pid ${holder.pid}) since ${holder.acquiredAt}`;
    const local = holder !== undefined && holder.host === lockHost();
    const hint = stale
      ? 'the lock is older than its TTL, so that run probably crashed'
      : local
        ? `pid ${holder.pid} is still running on this host, so wait for it to finish`
        : `a lock from another host is never taken over automatically, so wait for that run to finish`;
    super(
      `bookmark ${bookmarkUri} is locked by ${who}: ${hint}; if it is no longer running, clear the lock with \`logbeam bookmark unlock ${bookmarkUri}${stale ? '' : ' --force'}\` or delete ${lockUri}`,
    );
    this.name = 'BookmarkLockedError';
  }
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder> | null;
    if (typeof value?.runId !== 'string' || typeof value.host !== 'string' || typeof value.pid !== 'number') return undefined;
    return {
      runId: value.runId,
      host: value.host,
      pid: value.pid,
      acquiredAt: typeof value.acquiredAt === 'string' ? value.acquiredAt : '',
    };
  } catch {
    return undefined;
  }
}

/** Reads the current holder, or `undefined` when unlocked. */
export async function readLock(
  bookmarkUri: string,
  s3?: S3Settings,
): Promise<{ holder: LockHolder | undefined; ageMs: number } | undefined> {
  const lockUri = lockUriFor(bookmarkUri);
  const store = storeFor(lockUri, s3);
  const info = await store.stat(lockUri);
  if (info === undefined) return undefined;
  const text = await store.read(lockUri).catch(() => undefined);
  const holder = text === undefined ? undefined : parseHolder(text.toString('utf8'));
  const acquired = holder === undefined ? Number.NaN : Date.parse(holder.acquiredAt);
  const since = Number.isNaN(acquired) ? (info.mtimeMs ?? Date.now()) : acquired;
  return { holder, ageMs: Date.now() - since };
}

/**
 * Takes the lock for `runId` (again: a second call by the same run succeeds), taking over the lock of a run on
 * this host whose process is gone. Throws `BookmarkLockedError` when another run holds it.
 */
export async function acquireLock(
  bookmarkUri: string,
  runId: string,
  options: { s3?: S3Settings; ttlMs?: number } = {},
): Promise<LockHolder> {
  const lockUri = lockUriFor(bookmarkUri);
  const mine: LockHolder = { runId, host: lockHost(), pid: process.pid, acquiredAt: new Date().toISOString() };
  const claim = await claimLock(storeFor(lockUri, options.s3), lockUri, mine, parseHolder);
  if (claim.outcome !== 'held') return mine;
  const current = await readLock(bookmarkUri, options.s3);
  throw new BookmarkLockedError(
    bookmarkUri,
    lockUri,
    current?.holder ?? claim.holder,
    (current?.ageMs ?? 0) > (options.ttlMs ?? DEFAULT_LOCK_TTL_MS),
  );
}

/** Releases the lock if `runId` holds it (never another run's lock). */
export async function releaseLock(bookmarkUri: string, runId: string, s3?: S3Settings): Promise<void> {
  const lockUri = lockUriFor(bookmarkUri);
  await releaseOwnedLock(storeFor(lockUri, s3), lockUri, runId, parseHolder);
}

/**
 * Removes a lock left by a crashed run. Removes it at once when its holder ran on this host and that process
 * is gone; otherwise refuses (throws `BookmarkLockedError`) when the lock is younger than `staleAfterMs`
 * (default 6 h), unless `force` is set. Returns the holder removed, or `undefined` if unlocked.
 * @example await breakBookmarkLock('s3://state/alb.json', { s3, force: true })
 */
export async function breakBookmarkLock(
  bookmarkUri: string,
  options: { s3?: S3Settings; staleAfterMs?: number; force?: boolean } = {},
): Promise<LockHolder | undefined> {
  const current = await readLock(bookmarkUri, options.s3);
  if (current === undefined) return undefined;
  const dead = current.holder !== undefined && ownerIsGone(current.holder);
  const stale = current.ageMs > (options.staleAfterMs ?? DEFAULT_LOCK_TTL_MS);
  if (!dead && !stale && options.force !== true) {
    const error = new BookmarkLockedError(bookmarkUri, lockUriFor(bookmarkUri), current.holder, false);
    const where =
      current.holder === undefined
        ? ''
        : current.holder.host === lockHost()
          ? ` (pid ${current.holder.pid} is still running on this host)`
          : ` (its host ${current.holder.host} cannot be checked from here)`;
    error.message = `refusing to break the lock of bookmark ${bookmarkUri}: it is only ${Math.round(current.ageMs / 60_000)} minutes old and its run may still be active${where}; pass --force if you are sure it is not`;
    throw error;
  }
  const lockUri = lockUriFor(bookmarkUri);
  await storeFor(lockUri, options.s3).delete(lockUri);
  return current.holder;
}
