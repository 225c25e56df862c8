/**
 * @module sinks/commit/output-lock
 * One run at a time per output location: `<output>/_lock` is created only if absent, so two runs cannot both
 * stage and commit into the same place. It records the run id, host and pid (storage/owned-lock): claiming is
 * idempotent per run id (a retried create whose first response was lost finds our own lock), a lock left by a
 * crashed run on this host (its process is gone) is taken over, and a lock held by a live process, or by
 * another host, stops the new run with a message that says how to release it.
 */
import type { ObjectStore } from '../../storage/object-store.js';
import { claimLock, lockHost, ownerIsGone, releaseOwnedLock } from '../../storage/owned-lock.js';
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
    const who =
      holder === undefined
        ? 'an unknown run'
        : `run ${holder.runId} (pid ${holder.pid} on ${holder.host}, since ${new Date(holder.startedAtMs).toISOString()})`;
    const local = holder !== undefined && holder.host === lockHost();
    const hint = local
      ? `Wait for it to finish (that process is still running on this host), or stop it`
      : `Wait for it to finish; if that run is dead (a lock from another host is never taken over automatically), delete ${lockUri(output)} and run again`;
    super(`${output} is being written by ${who}. ${hint}`);
    this.name = 'OutputLockedError';
  }
}

function parseLockInfo(text: string): LockInfo | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockInfo> | null;
    if (typeof value?.runId !== 'string' || typeof value.host !== 'string' || typeof value.pid !== 'number') return undefined;
    return {
      runId: value.runId,
      host: value.host,
      pid: value.pid,
      startedAtMs: typeof value.startedAtMs === 'number' ? value.startedAtMs : 0,
    };
  } catch {
    return undefined;
  }
}

/**
 * Takes the lock for `runId`. Resolves `{ takenOver }`: the dead run whose lock was replaced, which means its
 * staging may need recovery.
 */
export async function acquireOutputLock(store: ObjectStore, output: string, runId: string): Promise<{ takenOver: LockInfo | undefined }> {
  const mine: LockInfo = { runId, host: lockHost(), pid: process.pid, startedAtMs: Date.now() };
  const claim = await claimLock(store, lockUri(output), mine, parseLockInfo);
  if (claim.outcome === 'acquired') return { takenOver: undefined };
  if (claim.outcome === 'taken-over') return { takenOver: claim.previous };
  throw new OutputLockedError(output, claim.holder);
}

/** Releases the lock if it is still ours. */
export async function releaseOutputLock(store: ObjectStore, output: string, runId: string): Promise<void> {
  await releaseOwnedLock(store, lockUri(output), runId, parseLockInfo);
}

/**
 * Fails with `OutputLockedError` when `acquireOutputLock` would: a lock held by a live process or another
 * host. Changes nothing (for dry runs).
 */
export async function checkOutputLock(store: ObjectStore, output: string): Promise<void> {
  const uri = lockUri(output);
  if (!(await store.exists(uri))) return;
  const text = await store.read(uri).then(
    (buffer) => buffer.toString('utf8'),
    () => undefined,
  );
  const holder = text === undefined ? undefined : parseLockInfo(text);
  if (text === undefined || (holder !== undefined && ownerIsGone(holder))) return;
  throw new OutputLockedError(output, holder);
}
