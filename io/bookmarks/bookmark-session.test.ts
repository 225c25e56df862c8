import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pipeline } from '../../core/pipeline.js';
import type { CommitSummary, Sink } from '../../core/sink.js';
import type { S3Settings } from '../storage/s3-settings.js';
import { startS3Server, type S3TestServer } from '../../test/servers/s3-server.js';
import { collect, runPipeline } from '../../test/testing.js';
import { write } from '../../transforms/write.js';
import { readTestLogs } from '../sources/fixtures/read-logs-pipelines.js';
import { testLinesFormat, type TestRecord } from '../sources/fixtures/test-format.js';
import { readLogs } from '../sources/read-logs.js';
import { storeFor } from '../storage/store-for.js';
import { breakBookmarkLock, resetBookmark, rewindBookmark, showBookmark } from './bookmark-admin.js';
import { acquireLock, BookmarkLockedError, lockUriFor, releaseLock } from './bookmark-lock.js';
import { openBookmark } from './bookmark-session.js';

let dir: string;
let s3: S3TestServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logbeam-bookmark-'));
  s3 = await startS3Server();
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await s3?.stop();
});

async function put(name: string, body: string): Promise<string> {
  const path = join(dir, name);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, body);
  return path;
}

/** A sink whose commit fails, as an output sink that cannot publish would. */
class FailingCommitSink implements Sink<unknown> {
  readonly description = 'failing';
  async prepare(): Promise<void> {}
  createWriter() {
    return { write: () => undefined, drain: () => undefined, close: async () => null, abort: async () => undefined };
  }
  async commit(): Promise<CommitSummary> {
    throw new Error('output commit failed');
  }
  async abort(): Promise<void> {}
}

/** Runs readLogs over `input` with the bookmark; returns the values read. */
async function runOnce(input: string, bookmark: string, options: { s3?: S3Settings; failCommit?: boolean } = {}): Promise<string[]> {
  const p = Pipeline.create();
  const { records } = p.apply(readLogs(testLinesFormat, { input, bookmark, ...(options.s3 === undefined ? {} : { s3: options.s3 }) }));
  const out = collect(records);
  if (options.failCommit === true) records.apply(write(new FailingCommitSink(), { label: 'FailingOutput' }));
  await runPipeline(p);
  return out
    .values()
    .map((r: TestRecord) => r.value)
    .sort();
}

describe('readLogs with a bookmark', () => {
  it('reads only new files on the second run and re-reads a changed file', async () => {
    const input = join(dir, 'incremental');
    const bookmark = join(dir, 'state', 'incremental.json');
    await put('incremental/a.log', '2024-01-01T00:00:00Z|a\n');
    await put('incremental/b.log', '2024-01-01T00:00:00Z|b\n');
    expect(await runOnce(input, bookmark)).toEqual(['a', 'b']);
    await put('incremental/c.log', '2024-01-01T00:00:00Z|c\n');
    expect(await runOnce(input, bookmark)).toEqual(['c']);
    expect(await runOnce(input, bookmark)).toEqual([]);
    const a = await put('incremental/a.log', '2024-01-01T00:00:00Z|a2\n');
    expect(await runOnce(input, bookmark)).toEqual(['a2']);
    // Same size, new mtime: a rewrite in place is still a change.
    await writeFile(a, '2024-01-01T00:00:00Z|a3\n');
    await utimes(a, new Date(), new Date(Date.now() + 5000));
    expect(await runOnce(input, bookmark)).toEqual(['a3']);
    const stored = JSON.parse(await readFile(bookmark, 'utf8')) as { inputs: Record<string, unknown> };
    expect(Object.keys(stored.inputs).sort()).toEqual([a, join(input, 'b.log'), join(input, 'c.log')]);
  });

  it('does not advance the bookmark when an output commit fails, and releases the lock', async () => {
    const input = join(dir, 'failing');
    const bookmark = join(dir, 'state', 'failing.json');
    await put('failing/a.log', '2024-01-01T00:00:00Z|a\n');
    await expect(runOnce(input, bookmark, { failCommit: true })).rejects.toThrow('output commit failed');
    expect((await showBookmark(bookmark)).inputCount).toBe(0);
    expect((await showBookmark(bookmark)).lock).toBeUndefined();
    expect(await runOnce(input, bookmark)).toEqual(['a']);
  });

  it('refuses a run while another holds the lock, naming the lock and how to clear it, and leaves that lock alone', async () => {
    const input = join(dir, 'locked');
    const bookmark = join(dir, 'state', 'locked.json');
    await put('locked/a.log', '2024-01-01T00:00:00Z|a\n');
    await acquireLock(bookmark, 'other-run');
    const failure = runOnce(input, bookmark);
    await expect(failure).rejects.toThrow(BookmarkLockedError);
    await expect(runOnce(input, bookmark)).rejects.toThrow(`locked by run other-run`);
    await expect(runOnce(input, bookmark)).rejects.toThrow(`logbeam bookmark unlock ${bookmark}`);
    expect((await showBookmark(bookmark)).lock?.holder?.runId).toBe('other-run');
    await expect(breakBookmarkLock(bookmark)).rejects.toThrow(/refusing to break the lock/);
    expect((await breakBookmarkLock(bookmark, { force: true }))?.runId).toBe('other-run');
    expect(await runOnce(input, bookmark)).toEqual(['a']);
  });

  it('lets exactly one of two racing runs take the lock', async () => {
    const bookmark = join(dir, 'state', 'race.json');
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => acquireLock(bookmark, `run-${i}`)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const winner = (outcomes.find((o) => o.status === 'fulfilled') as PromiseFulfilledResult<{ runId: string }>).value.runId;
    await releaseLock(bookmark, 'run-not-holding');
    expect((await showBookmark(bookmark)).lock?.holder?.runId).toBe(winner);
    await releaseLock(bookmark, winner);
    expect((await showBookmark(bookmark)).lock).toBeUndefined();
  });

  it('works the same with the bookmark, its lock and the inputs on S3', async () => {
    const prefix = s3.prefix('bookmarked');
    const store = storeFor(prefix, s3.settings);
    await store.write(`${prefix}/logs/a.log`, '2024-01-01T00:00:00Z|a\n');
    const bookmark = `${prefix}/state/bookmark.json`;
    expect(await runOnce(`${prefix}/logs/`, bookmark, { s3: s3.settings })).toEqual(['a']);
    await store.write(`${prefix}/logs/b.log`, '2024-01-01T00:00:00Z|b\n');
    expect(await runOnce(`${prefix}/logs/`, bookmark, { s3: s3.settings })).toEqual(['b']);
    await store.write(`${prefix}/logs/a.log`, '2024-01-01T00:00:00Z|A\n');
    expect(await runOnce(`${prefix}/logs/`, bookmark, { s3: s3.settings })).toEqual(['A']);
    await acquireLock(bookmark, 'elsewhere', { s3: s3.settings });
    expect(await store.exists(lockUriFor(bookmark))).toBe(true);
    await expect(runOnce(`${prefix}/logs/`, bookmark, { s3: s3.settings })).rejects.toThrow(BookmarkLockedError);
    await breakBookmarkLock(bookmark, { s3: s3.settings, force: true });
    expect((await showBookmark(bookmark, { s3: s3.settings })).inputCount).toBe(2);
  });

  it('commits on the driver when the inputs are read by worker threads', async () => {
    const bookmark = join(dir, 'state', 'workers.json');
    const inputs = [await put('workers/a.log', '2024-01-01T00:00:00Z|a\n'), await put('workers/b.log', '2024-01-01T00:00:00Z|b\n')];
    const first = readTestLogs.create({ input: [join(dir, 'workers')], bookmark });
    await runPipeline(first.pipeline, { workers: 2 });
    expect(first.outputs.records.values().map((r) => r.value)).toEqualInAnyOrder(['a', 'b']);
    expect(Object.keys((await showBookmark(bookmark)).inputs).sort()).toEqual(inputs);
    await put('workers/c.log', '2024-01-01T00:00:00Z|c\n');
    const second = readTestLogs.create({ input: [join(dir, 'workers')], bookmark });
    await runPipeline(second.pipeline, { workers: 2 });
    expect(second.outputs.records.values().map((r) => r.value)).toEqual(['c']);
  });

  it('attaches one bookmark session to one readLogs only', () => {
    const session = openBookmark(join(dir, 'state', 'once.json'));
    const p = Pipeline.create();
    p.apply(readLogs(testLinesFormat, { input: dir, bookmark: session, label: 'First' }));
    expect(() => p.apply(readLogs(testLinesFormat, { input: dir, bookmark: session, label: 'Second' }))).toThrow(/already attached/);
  });
});

describe('rewindBookmark', () => {
  it('forgets inputs whose key day is at or after a date, so those days are read again', async () => {
    const layout = 'AWSLogs/1/elasticloadbalancing/us-east-1/2024/01';
    const input = join(dir, 'rewind');
    const bookmark = join(dir, 'state', 'rewind.json');
    await put(`rewind/${layout}/01/a.log`, '2024-01-01T00:00:00Z|d1\n');
    await put(`rewind/${layout}/02/b.log`, '2024-01-02T00:00:00Z|d2\n');
    await put(`rewind/${layout}/03/c.log`, '2024-01-03T00:00:00Z|d3\n');
    await put('rewind/undated.log', '2024-01-03T00:00:00Z|u\n');
    expect(await runOnce(input, bookmark)).toEqual(['d1', 'd2', 'd3', 'u']);
    const { removed } = await rewindBookmark(bookmark, { removeInputsAfter: '2024-01-02' });
    expect(removed).toEqual([join(input, `${layout}/02/b.log`), join(input, `${layout}/03/c.log`)]);
    expect(await runOnce(input, bookmark)).toEqual(['d2', 'd3']);
  });

  it('restores the bookmark as of an instant, and reset forgets everything', async () => {
    const input = join(dir, 'asof');
    const bookmark = join(dir, 'state', 'asof.json');
    await put('asof/a.log', '2024-01-01T00:00:00Z|a\n');
    expect(await runOnce(input, bookmark)).toEqual(['a']);
    await new Promise((wake) => setTimeout(wake, 20));
    const between = new Date().toISOString();
    await new Promise((wake) => setTimeout(wake, 20));
    await put('asof/b.log', '2024-01-01T00:00:00Z|b\n');
    expect(await runOnce(input, bookmark)).toEqual(['b']);
    expect((await rewindBookmark(bookmark, { to: between })).removed).toEqual([join(input, 'b.log')]);
    expect(await runOnce(input, bookmark)).toEqual(['b']);
    expect(await resetBookmark(bookmark)).toBe(2);
    expect((await showBookmark(bookmark)).inputCount).toBe(0);
    expect(await runOnce(input, bookmark)).toEqual(['a', 'b']);
  });

  it('refuses to change a bookmark that a run holds', async () => {
    const bookmark = join(dir, 'state', 'busy.json');
    await acquireLock(bookmark, 'busy-run');
    await expect(resetBookmark(bookmark)).rejects.toThrow(BookmarkLockedError);
    await releaseLock(bookmark, 'busy-run');
    expect(await resetBookmark(bookmark)).toBe(0);
  });
});
