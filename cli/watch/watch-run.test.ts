import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeFor } from '../../io/storage/store-for.js';
import { useMotoCli } from '../../test/servers/moto-cli.js';
import { runCli } from '../testing/run-cli.js';
import { outputRows, Watcher } from './testing/watcher.js';
import { generateAlb, messagesLeft, s3Event, send, snsWrapped } from './testing/watch-fixtures.js';

const moto = useMotoCli();
let dir: string;
let small: string[];
let large: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logbeam-watch-'));
  small = await generateAlb(join(dir, 'small'), 2000, 4, 7);
  large = (await generateAlb(join(dir, 'large'), 30_000, 1, 8))[0]!;
}, 300_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A clean single run (no bookmark) over `input`, to compare a watch's output with. */
async function cleanRun(input: string): Promise<Awaited<ReturnType<typeof outputRows>>> {
  const output = moto.s3.prefix('clean');
  const outcome = await runCli(['run', 'alb', '-i', input, '-o', output, '--workers', '1', '--no-progress', ...moto.s3Flags()], {
    env: moto.env(),
    timeoutMs: 180_000,
  });
  expect(outcome.stderr).not.toContain('logbeam:');
  expect(outcome.code).toBe(0);
  return outputRows(output, moto.s3.settings);
}

describe('logbeam run --watch', () => {
  it('processes each file arriving during the watch exactly once; SIGTERM while sleeping exits 0 at once', async () => {
    const input = `${moto.s3.prefix('in')}/`;
    const output = moto.s3.prefix('out');
    const bookmark = `${moto.s3.prefix('bookmark')}.json`;
    await moto.upload(small[0]!, `${input}a.log.gz`);
    const watcher = new Watcher(
      [
        'run',
        'alb',
        '-i',
        input,
        '-o',
        output,
        '--bookmark',
        bookmark,
        '--watch',
        '--interval',
        '1s',
        '--json',
        '--workers',
        '1',
        ...moto.s3Flags(),
      ],
      moto.env(),
    );
    await watcher.waitFor('the first file', () => watcher.filesCommitted() === 1);
    await moto.upload(small[1]!, `${input}b.log.gz`);
    await moto.upload(small[2]!, `${input}c.log.gz`);
    await watcher.waitFor('three files', () => watcher.filesCommitted() === 3);
    await moto.upload(small[3]!, `${input}d/e.log.gz`);
    await watcher.waitFor('four files', () => watcher.filesCommitted() === 4);
    const seen = watcher.cycles.length;
    await watcher.waitFor('a cycle with nothing new', () => watcher.cycles.length > seen && watcher.cycles.at(-1)?.status === 'skipped');
    const signalled = Date.now();
    watcher.kill('SIGTERM');
    const exit = await watcher.exited;
    expect(exit.code).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(15_000);
    expect(watcher.stderr).toContain('watch stopped by SIGTERM');
    expect(watcher.cycles.filter((line) => line.status === 'failed')).toEqual([]);
    expect(watcher.cycles.at(-1)?.reason).toBe('0 new files');
    const watched = await outputRows(output, moto.s3.settings);
    const clean = await cleanRun(input);
    expect(clean.count).toBeGreaterThan(1900);
    expect(watched.count).toBe(clean.count);
    expect(watched.rows).toEqual(clean.rows);
  }, 400_000);

  it('on SIGTERM during a cycle finishes and commits the batch, then exits 0', async () => {
    const input = `${moto.s3.prefix('in-term')}/`;
    const output = moto.s3.prefix('out-term');
    const bookmark = `${moto.s3.prefix('bookmark-term')}.json`;
    await moto.upload(large, `${input}large.log.gz`);
    const watcher = new Watcher(
      [
        'run',
        'alb',
        '-i',
        input,
        '-o',
        output,
        '--bookmark',
        bookmark,
        '--watch',
        '--interval',
        '1s',
        '--json',
        '--workers',
        '1',
        ...moto.s3Flags(),
      ],
      moto.env(),
    );
    const lock = `${output}/_lock`;
    const store = storeFor(lock, moto.s3.settings);
    for (let tries = 0; !(await store.exists(lock)); tries++) {
      if (tries > 3000) throw new Error(`the watch never took its lock:\n${watcher.stderr}`);
      await new Promise((wake) => setTimeout(wake, 25));
    }
    watcher.kill('SIGTERM');
    const exit = await watcher.exited;
    expect(watcher.stderr).toContain('the current cycle finishes and commits');
    expect(exit.code).toBe(0);
    expect(watcher.cycles.map((line) => [line.status, line.summary?.filesRead])).toEqual([['committed', 1]]);
    expect(await store.exists(lock)).toBe(false);
    const watched = await outputRows(output, moto.s3.settings);
    const clean = await cleanRun(input);
    expect(watched.count).toBe(clean.count);
    expect(watched.rows).toEqual(clean.rows);
  }, 400_000);

  it('reads S3 event notifications (plain and SNS-wrapped) from SQS: each object once, messages deleted after the commit, others counted', async () => {
    const input = `${moto.s3.prefix('in-sqs')}/`;
    const output = moto.s3.prefix('out-sqs');
    const bookmark = `${moto.s3.prefix('bookmark-sqs')}.json`;
    const queueName = `logbeam-watch-${Date.now()}`;
    const queueUrl = await moto.createQueue(queueName);
    const first = `${input}2024/06/01/a file.log.gz`;
    const second = `${input}b.log.gz`;
    const third = `${input}c.log.gz`;
    const outside = `${moto.s3.prefix('elsewhere')}/x.log.gz`;
    await moto.upload(small[0]!, first);
    await moto.upload(small[1]!, second);
    await moto.upload(small[2]!, outside);
    await send(moto.sqs(), queueUrl, s3Event(first));
    await send(moto.sqs(), queueUrl, snsWrapped(s3Event(second)));
    await send(moto.sqs(), queueUrl, s3Event(first)); // S3 may deliver an event twice
    await send(moto.sqs(), queueUrl, s3Event(outside));
    await send(moto.sqs(), queueUrl, JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: moto.s3.bucket }));
    await send(moto.sqs(), queueUrl, 'not an event');
    const watcher = new Watcher(
      [
        'run',
        'alb',
        '-i',
        input,
        '-o',
        output,
        '--bookmark',
        bookmark,
        '--watch',
        '--interval',
        '1s',
        '--json',
        '--workers',
        '1',
        '--notifications',
        `sqs://${queueName}`,
        '--sqs-endpoint',
        moto.s3.endpoint ?? '',
        ...moto.s3Flags(),
      ],
      moto.env(),
    );
    await watcher.waitFor('the two notified files', () => watcher.filesCommitted() === 2);
    await moto.upload(small[3]!, third);
    await send(moto.sqs(), queueUrl, s3Event(third));
    await watcher.waitFor('the third file', () => watcher.filesCommitted() === 3);
    watcher.kill('SIGTERM');
    expect((await watcher.exited).code).toBe(0);
    const notified = watcher.cycles.filter((line) => line.notifications !== undefined && line.notifications.messages > 0);
    const ignored: Record<string, number> = {};
    for (const line of notified)
      for (const [reason, count] of Object.entries(line.notifications!.ignored)) ignored[reason] = (ignored[reason] ?? 0) + count;
    expect(ignored).toEqual({ 'outside the input': 1, 's3:TestEvent (sent when notifications are set up)': 1 });
    expect(notified.reduce((sum, line) => sum + line.notifications!.malformed.length, 0)).toBe(1);
    expect(watcher.stderr).toContain('is not an S3 event notification (not JSON); left on the queue');
    // Only the malformed message is left (invisible until its visibility timeout ends).
    expect(await messagesLeft(moto.sqs(), queueUrl)).toBe(1);
    const watched = await outputRows(output, moto.s3.settings);
    const clean = await cleanRun(input);
    expect(watched.count).toBe(clean.count);
    expect(watched.rows).toEqual(clean.rows);
  }, 400_000);

  it('retries a failing cycle with backoff and, after --max-failures in a row, exits with the failure', async () => {
    const started = Date.now();
    const outcome = await runCli(
      [
        'run',
        'alb',
        '-i',
        's3://unreachable/in/',
        '-o',
        join(dir, 'never'),
        '--bookmark',
        join(dir, 'never.json'),
        '--watch',
        '--interval',
        '200ms',
        '--max-failures',
        '3',
        '--s3-endpoint',
        'http://127.0.0.1:1',
        '--s3-path-style',
        '--json',
        '--workers',
        '1',
      ],
      { env: { ...moto.env(), AWS_MAX_ATTEMPTS: '1' }, timeoutMs: 120_000 },
    );
    expect(outcome.code).toBe(1);
    const lines = outcome.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { cycle: number; status: string });
    expect(lines.map((line) => [line.cycle, line.status])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'failed'],
    ]);
    expect(outcome.stderr).toContain('cycle 1 failed (1 in a row)');
    expect(outcome.stderr).toContain('retrying in');
    expect(outcome.stderr).toContain('3 failed cycles in a row (--max-failures 3); the watch stops');
    // Backoff: 400 ms after the first failure, 800 ms after the second.
    expect(Date.now() - started).toBeGreaterThan(1200);
  });

  it('fails fast on a watch without a bookmark, a bad interval, or watch flags without --watch', async () => {
    const noBookmark = await runCli(['run', 'alb', '-i', dir, '-o', join(dir, 'o'), '--watch']);
    expect(noBookmark.code).toBe(2);
    expect(noBookmark.stderr).toContain('--watch needs --bookmark');
    const badInterval = await runCli([
      'run',
      'alb',
      '-i',
      dir,
      '-o',
      join(dir, 'o'),
      '--bookmark',
      join(dir, 'b.json'),
      '--watch',
      '--interval',
      'soon',
    ]);
    expect(badInterval.code).toBe(2);
    expect(badInterval.stderr).toContain('--interval: expected a duration such as 30s');
    const stray = await runCli(['run', 'alb', '-i', dir, '-o', join(dir, 'o'), '--notifications', 'sqs://q']);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('--notifications only apply with --watch');
    const badQueue = await runCli([
      'run',
      'alb',
      '-i',
      dir,
      '-o',
      join(dir, 'o'),
      '--bookmark',
      join(dir, 'b.json'),
      '--watch',
      '--notifications',
      'https://q',
    ]);
    expect(badQueue.code).toBe(2);
    expect(badQueue.stderr).toContain('--notifications: expected sqs://');
  });
});
