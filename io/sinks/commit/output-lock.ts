/**
 * @module sinks/commit/output-lock
 * One run at a time per output location: `<output>/_lock` is created only if absent (S3 `If-None-Match: *`,
 * local hard link), so two runs cannot both stage and commit into the same place. A lock left by a crashed run
 * on this host (its process is gone) is taken over; a lock held by a live process, or by another host, stops
 * the new run with a message that says how to release it.
 */
import { hostname } from 'node:os';
import type { ObjectStore } from '../../storage/object-store.js';
import { lockUri } from './layout.js';

/** The lock's content. */
export interface LockInfo {
  readonly runId: string;
  readonly host: string;
  readonly pid: number;
  /** Epoch ms. */
  readonly startedAtMs: number;
}

/** Thrown when another run holds the output. */
export class OutputLockedError extends Error {
  constructor(
    readonly output: string,
    readonly holder: LockInfo | undefined,
  ) {
    const who = holder === undefined ? 'an unknown run' : `run ${holder.runId} (pid ${holder.pid} on ${holder.host}, since ${new Date(holder.startedAtMs).toISOString()})`;
    super(`${output} is being written by ${who}. Wait for it to finish; if that run is dead, delete ${lockUri(output)} and run again`);
    this.name = 'OutputLockedError';
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the lock for `runId`. Resolves `{ takenOver }`: `true` when a dead run's lock was replaced, which
 * means its staging may need recovery.
 */
export async function acquireOutputLock(store: ObjectStore, output: string, runId: string): Promise<{ takenOver: LockInfo | undefined }> {
  const uri = lockUri(output);
  const mine: LockInfo = { runId, host: hostname(), pid: process.pid, startedAtMs: Date.now() };
  const body = JSON.stringify(mine);
  if (await store.createIfAbsent(uri, body)) return { takenOver: undefined };
  let holder: LockInfo | undefined;
  try {
    holder = JSON.parse((await store.read(uri)).toString('utf8')) as LockInfo;
  } catch {
    holder = undefined;
  }
  if (holder !== undefined && holder.host === mine.host && holder.runId !== runId && !processAlive(holder.pid)) {
    // Replace only the lock we read; if someone else took it over meanwhile, both see the same dead pid and
    // the second delete+create loses the createIfAbsent race.
    await store.delete(uri);
    if (await store.createIfAbsent(uri, body)) return { takenOver: holder };
  }
  throw new OutputLockedError(output, holder);
}

/** Releases the lock if it is still ours. */
export async function releaseOutputLock(store: ObjectStore, output: string, runId: string): Promise<void> {
  const uri = lockUri(output);
  const text = await store.read(uri).then(
    (buffer) => buffer.toString('utf8'),
    () => undefined,
  );
  if (text === undefined) return;
  try {
    if ((JSON.parse(text) as LockInfo).runId !== runId) return;
  } catch {
    return;
  }
  await store.delete(uri);
}

/**
 * Fails with `OutputLockedError` when `acquireOutputLock` would: a lock held by a live process or another
 * host. Changes nothing (for dry runs).
 */
export async function checkOutputLock(store: ObjectStore, output: string): Promise<void> {
  const uri = lockUri(output);
  if (!(await store.exists(uri))) return;
  let holder: LockInfo | undefined;
  try {
    holder = JSON.parse((await store.read(uri)).toString('utf8')) as LockInfo;
  } catch {
    holder = undefined;
  }
  if (holder !== undefined && holder.host === hostname() && !processAlive(holder.pid)) return;
  throw new OutputLockedError(output, holder);
}
