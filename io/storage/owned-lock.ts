/**
 * @module storage/owned-lock
 * A lock object that records its owner (run id, host, pid), shared by the output lock and the bookmark lock.
 * It is created only if absent (S3 `If-None-Match: *`, a hard link locally), and claiming it is idempotent per
 * run id: when the response to the create was lost and the retried create finds the object, the lock is read
 * back, and if it names our run we hold it.
 *
 * A lock whose owner ran on this host and whose process is gone (kill -9, a crash) is taken over. Two runs
 * that find the same dead lock race for a marker object `<lock>.takeover-<dead run id>` created only if
 * absent; only the winner re-reads the lock and, if it is still the dead run's, replaces it. A lock owned by
 * a live process, or by another host (whose processes cannot be checked from here), is never taken.
 */
import { hostname } from 'node:os';
import { isStorageError } from './errors.js';
import type { ObjectStore } from './object-store.js';

/** What every lock records about its owner. */
export interface LockOwner {
  readonly runId: string;
  readonly host: string;
  readonly pid: number;
}

/** The outcome of `claimLock`. */
export type LockClaim<T extends LockOwner> =
  /** Created now (or by an earlier attempt of this claim whose response was lost). */
  | { readonly outcome: 'acquired' }
  /** Replaced the lock of `previous`, a run on this host whose process is gone. */
  | { readonly outcome: 'taken-over'; readonly previous: T }
  /** Held by a live run, a run on another host, or unreadable (`holder` undefined). */
  | { readonly outcome: 'held'; readonly holder: T | undefined };

/** This machine's name, as recorded in locks. */
export function lockHost(): string {
  return hostname();
}

/** `true` when process `pid` exists on this host (EPERM: it exists but belongs to another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** `true` when `owner` ran on this host and its process is gone, so its lock can safely be replaced. */
export function ownerIsGone(owner: LockOwner): boolean {
  return owner.host === lockHost() && Number.isInteger(owner.pid) && owner.pid > 0 && owner.pid !== process.pid && !processAlive(owner.pid);
}

type Current<T> = { readonly state: 'missing' } | { readonly state: 'present'; readonly owner: T | undefined };

async function readOwner<T extends LockOwner>(
  store: ObjectStore,
  uri: string,
  parse: (text: string) => T | undefined,
): Promise<Current<T>> {
  let text: string;
  try {
    text = (await store.read(uri)).toString('utf8');
  } catch (error) {
    if (isStorageError(error, 'not-found')) return { state: 'missing' };
    throw error;
  }
  return { state: 'present', owner: parse(text) };
}

/** Rounds of create / read back: a lock released between our create and our read is simply tried again. */
const MAX_ROUNDS = 4;

/**
 * Claims the lock at `uri` for `mine`. `parse` turns the stored text into an owner (or `undefined` when it is
 * not a valid lock).
 */
export async function claimLock<T extends LockOwner>(
  store: ObjectStore,
  uri: string,
  mine: T,
  parse: (text: string) => T | undefined,
): Promise<LockClaim<T>> {
  const body = JSON.stringify(mine);
  let previous: T | undefined;
  let lastHolder: T | undefined;
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const claimed = (): LockClaim<T> => (previous === undefined ? { outcome: 'acquired' } : { outcome: 'taken-over', previous });
    if (await store.createIfAbsent(uri, body)) return claimed();
    const current = await readOwner(store, uri, parse);
    if (current.state === 'missing') continue;
    lastHolder = current.owner;
    if (current.owner?.runId === mine.runId) return claimed();
    if (current.owner === undefined || previous !== undefined || !ownerIsGone(current.owner))
      return { outcome: 'held', holder: current.owner };
    const dead = current.owner;
    const marker = `${uri}.takeover-${encodeURIComponent(dead.runId)}`;
    if (!(await store.createIfAbsent(marker, body))) {
      // Another run is taking this lock over. Our own earlier create may have landed with its response lost.
      const markerOwner = await readOwner(store, marker, parse);
      if (markerOwner.state !== 'present' || markerOwner.owner?.runId !== mine.runId) return { outcome: 'held', holder: dead };
    }
    try {
      const again = await readOwner(store, uri, parse);
      if (again.state === 'present' && again.owner?.runId === dead.runId) await store.delete(uri);
      previous = dead;
      if (await store.createIfAbsent(uri, body)) return claimed();
      const after = await readOwner(store, uri, parse);
      if (after.state === 'present' && after.owner?.runId === mine.runId) return claimed();
      return { outcome: 'held', holder: after.state === 'present' ? after.owner : undefined };
    } finally {
      await store.delete(marker);
    }
  }
  return { outcome: 'held', holder: lastHolder };
}

/** Deletes the lock at `uri` if it names `runId` (never another run's lock). Returns whether it did. */
export async function releaseOwnedLock(
  store: ObjectStore,
  uri: string,
  runId: string,
  parse: (text: string) => LockOwner | undefined,
): Promise<boolean> {
  const current = await readOwner(store, uri, parse);
  if (current.state !== 'present' || current.owner?.runId !== runId) return false;
  await store.delete(uri);
  return true;
}
