import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeFor } from './store-for.js';
import { claimLock, releaseOwnedLock, type LockOwner } from './owned-lock.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logbeam-owned-lock-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const store = storeFor('/');
const parse = (text: string): LockOwner | undefined => {
  const value = JSON.parse(text) as LockOwner;
  return typeof value.runId === 'string' ? value : undefined;
};

/** The pid of a process that has exited (pids are not reused within a test's lifetime on Linux). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid!;
}

let counter = 0;
async function lockWith(owner: LockOwner): Promise<string> {
  counter += 1;
  const uri = join(dir, `lock-${counter}`);
  await writeFile(uri, JSON.stringify(owner));
  return uri;
}

describe('claimLock', () => {
  it('acquires a free lock, and claiming it again with the same run id succeeds (a retried create whose response was lost)', async () => {
    const uri = join(dir, 'free');
    const mine = { runId: 'run-a', host: hostname(), pid: process.pid };
    expect(await claimLock(store, uri, mine, parse)).toEqual({ outcome: 'acquired' });
    expect(await claimLock(store, uri, mine, parse)).toEqual({ outcome: 'acquired' });
    expect(await claimLock(store, uri, { ...mine, runId: 'run-b' }, parse)).toEqual({ outcome: 'held', holder: mine });
    expect(await releaseOwnedLock(store, uri, 'run-b', parse)).toBe(false);
    expect(await releaseOwnedLock(store, uri, 'run-a', parse)).toBe(true);
    expect(await store.exists(uri)).toBe(false);
  });

  it('takes over the lock of a run on this host whose process is gone, and leaves no takeover marker', async () => {
    const dead = { runId: 'crashed', host: hostname(), pid: deadPid() };
    const uri = await lockWith(dead);
    expect(await claimLock(store, uri, { runId: 'rerun', host: hostname(), pid: process.pid }, parse)).toEqual({
      outcome: 'taken-over',
      previous: dead,
    });
    expect(JSON.parse((await store.read(uri)).toString('utf8'))).toMatchObject({ runId: 'rerun' });
    expect((await readdir(dir)).filter((name) => name.includes('takeover'))).toEqual([]);
  });

  it('never takes a lock whose process is alive, or one from another host', async () => {
    const alive = { runId: 'running', host: hostname(), pid: process.ppid };
    const remote = { runId: 'remote', host: `not-${hostname()}`, pid: deadPid() };
    for (const holder of [alive, remote]) {
      const uri = await lockWith(holder);
      expect(await claimLock(store, uri, { runId: 'rerun', host: hostname(), pid: process.pid }, parse)).toEqual({
        outcome: 'held',
        holder,
      });
      expect(JSON.parse((await store.read(uri)).toString('utf8'))).toEqual(holder);
    }
  });

  it('lets exactly one of many runs racing to take over the same dead lock win', async () => {
    for (let trial = 0; trial < 10; trial += 1) {
      const uri = await lockWith({ runId: `crashed-${trial}`, host: hostname(), pid: deadPid() });
      // Staggered starts, so one run's delete can land after another's create.
      const claims = await Promise.all(
        Array.from({ length: 8 }, async (_, i) => {
          await new Promise((wake) => setTimeout(wake, (i * 7 + trial * 3) % 6));
          return claimLock(store, uri, { runId: `rerun-${i}`, host: hostname(), pid: process.pid }, parse);
        }),
      );
      const winners = claims.flatMap((claim, i) => (claim.outcome === 'held' ? [] : [`rerun-${i}`]));
      expect(winners).toHaveLength(1);
      expect(JSON.parse((await store.read(uri)).toString('utf8'))).toMatchObject({ runId: winners[0] });
    }
  });
});
