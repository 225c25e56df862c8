import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFaultProxy, type FaultProxy } from '../../test/servers/fault-proxy.js';
import { startS3Server, type S3TestServer } from '../../test/servers/s3-server.js';
import { storeFor } from '../storage/store-for.js';
import { acquireLock, BookmarkLockedError, breakBookmarkLock, lockUriFor, readLock, releaseLock } from './bookmark-lock.js';

const describeWithProxy = process.env['LOGBEAM_TEST_S3_BUCKET'] ? describe.skip : describe;

let s3: S3TestServer;
let proxy: FaultProxy;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logbeam-bookmark-lock-'));
  s3 = await startS3Server();
  if (s3.endpoint !== undefined) proxy = await startFaultProxy(s3.endpoint);
}, 180_000);
afterAll(async () => {
  await proxy?.stop();
  await s3?.stop();
  await rm(dir, { recursive: true, force: true });
});

function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

describeWithProxy('the bookmark lock on S3 behind a faulty connection', () => {
  it('holds the lock when the response to its create was lost, and releasing it leaves no .lock behind', async () => {
    const bookmark = `${s3.prefix('lost-lock-response')}/bookmark.json`;
    const s3Settings = { ...s3.settings, endpoint: proxy.endpoint };
    proxy.setRules([{ operation: 'put', key: /\.lock$/, nth: [1], fault: { kind: 'lose-response' } }]);
    proxy.clearLog();
    await expect(acquireLock(bookmark, 'run-1', { s3: s3Settings })).resolves.toMatchObject({ runId: 'run-1' });
    expect(proxy.log.filter((request) => request.operation === 'put' && request.key.endsWith('.lock'))).toHaveLength(2);
    await releaseLock(bookmark, 'run-1', s3Settings);
    expect(await storeFor(bookmark, s3.settings).exists(lockUriFor(bookmark))).toBe(false);
  });
});

describe('a bookmark lock left by a crashed run', () => {
  it('is taken over by the next run when its process is gone from this host', async () => {
    const bookmark = join(dir, 'crashed.json');
    await writeFile(
      lockUriFor(bookmark),
      JSON.stringify({ runId: 'crashed', host: hostname(), pid: deadPid(), acquiredAt: new Date().toISOString() }),
    );
    await expect(acquireLock(bookmark, 'rerun')).resolves.toMatchObject({ runId: 'rerun', pid: process.pid });
    expect((await readLock(bookmark))?.holder?.runId).toBe('rerun');
    await releaseLock(bookmark, 'rerun');
  });

  it('is not taken over when it comes from another host; unlock then asks for --force by its flag name', async () => {
    const bookmark = join(dir, 'remote.json');
    await writeFile(
      lockUriFor(bookmark),
      JSON.stringify({ runId: 'remote', host: `not-${hostname()}`, pid: deadPid(), acquiredAt: new Date().toISOString() }),
    );
    await expect(acquireLock(bookmark, 'rerun')).rejects.toThrow(BookmarkLockedError);
    await expect(acquireLock(bookmark, 'rerun')).rejects.toThrow(
      `never taken over automatically, so wait for that run to finish; if it is no longer running, clear the lock with \`logbeam bookmark unlock ${bookmark} --force\``,
    );
    const refusal = await breakBookmarkLock(bookmark).then(
      () => undefined,
      (error: unknown) => (error as Error).message,
    );
    expect(refusal).toMatch(/cannot be checked from here\); pass --force if you are sure/);
    expect(refusal).not.toMatch(/force \(--force\)|breakBookmarkLock/);
    expect((await breakBookmarkLock(bookmark, { force: true }))?.runId).toBe('remote');
  });

  it('is removed by unlock without --force when its process is gone from this host', async () => {
    const bookmark = join(dir, 'unlock-dead.json');
    await writeFile(
      lockUriFor(bookmark),
      JSON.stringify({ runId: 'crashed', host: hostname(), pid: deadPid(), acquiredAt: new Date().toISOString() }),
    );
    expect((await breakBookmarkLock(bookmark))?.runId).toBe('crashed');
    expect(await readLock(bookmark)).toBeUndefined();
  });
});
