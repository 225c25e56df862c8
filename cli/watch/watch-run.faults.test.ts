/**
 * Watch mode killed with SIGKILL in the middle of a cycle and restarted: every file is in the output exactly
 * once, as one clean run over all files writes it (compared row by row with DuckDB), both when the watch lists
 * its input and when it reads S3 event notifications from SQS (the killed cycle's messages come back after
 * their visibility timeout, and the bookmark keeps objects from being read twice).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeFor } from '../../io/storage/store-for.js';
import { useMotoCli } from '../../test/servers/moto-cli.js';
import { runCli } from '../testing/run-cli.js';
import { outputRows, Watcher } from './testing/watcher.js';
import { generateAlb, messagesLeft, s3Event, send } from './testing/watch-fixtures.js';

const moto = useMotoCli();
let dir: string;
let files: string[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logbeam-watch-faults-'));
  files = [...(await generateAlb(join(dir, 'small'), 3000, 3, 11)), ...(await generateAlb(join(dir, 'large'), 30_000, 1, 12))];
}, 300_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function waitForObject(uri: string, watcher: Watcher): Promise<void> {
  const store = storeFor(uri, moto.s3.settings);
  for (let tries = 0; !(await store.exists(uri)); tries++) {
    if (tries > 4000) throw new Error(`${uri} never appeared:\n${watcher.stderr}`);
    await new Promise((wake) => setTimeout(wake, 25));
  }
}

async function cleanRows(input: string): Promise<Awaited<ReturnType<typeof outputRows>>> {
  const output = moto.s3.prefix('clean');
  const outcome = await runCli(['run', 'alb', '-i', input, '-o', output, '--workers', '1', '--no-progress', ...moto.s3Flags()], {
    env: moto.env(),
    timeoutMs: 300_000,
  });
  expect(outcome.code).toBe(0);
  return outputRows(output, moto.s3.settings);
}

describe('logbeam run --watch killed mid-cycle', () => {
  it('listing: after SIGKILL during a cycle and a restart, each file is in the output exactly once', async () => {
    const input = `${moto.s3.prefix('in')}/`;
    const output = moto.s3.prefix('out');
    const bookmark = `${moto.s3.prefix('bookmark')}.json`;
    const args = [
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
    ];
    await moto.upload(files[0]!, `${input}a.log.gz`);
    await moto.upload(files[3]!, `${input}large.log.gz`);
    const first = new Watcher(args, moto.env());
    await waitForObject(`${output}/_lock`, first);
    await new Promise((wake) => setTimeout(wake, 300));
    first.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    await moto.upload(files[1]!, `${input}b.log.gz`);
    const second = new Watcher(args, moto.env());
    await second.waitFor('a committed cycle', () => second.cycles.some((line) => line.status === 'committed'), 300_000);
    await moto.upload(files[2]!, `${input}c.log.gz`);
    await second.waitFor(
      'every file',
      () => second.cycles.at(-1)?.status === 'skipped' && second.filesCommitted() + first.filesCommitted() >= 4,
      300_000,
    );
    second.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    const watched = await outputRows(output, moto.s3.settings);
    const clean = await cleanRows(input);
    expect(clean.count).toBeGreaterThan(30_000);
    expect(watched.count).toBe(clean.count);
    expect(watched.rows).toEqual(clean.rows);
  }, 900_000);

  it('SQS: after SIGKILL during a cycle and a restart, the redelivered messages are processed once and deleted', async () => {
    const input = `${moto.s3.prefix('in-sqs')}/`;
    const output = moto.s3.prefix('out-sqs');
    const bookmark = `${moto.s3.prefix('bookmark-sqs')}.json`;
    const queueName = `logbeam-faults-${Date.now()}`;
    const queueUrl = await moto.createQueue(queueName);
    const args = [
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
      '--visibility-timeout',
      '5s',
      ...moto.s3Flags(),
    ];
    for (const [index, name] of ['a.log.gz', 'large.log.gz'].entries()) {
      const uri = `${input}${name}`;
      await moto.upload(files[index === 0 ? 0 : 3]!, uri);
      await send(moto.sqs(), queueUrl, s3Event(uri));
    }
    const first = new Watcher(args, moto.env());
    await waitForObject(`${output}/_lock`, first);
    await new Promise((wake) => setTimeout(wake, 300));
    first.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    for (const [index, name] of ['b.log.gz', 'c.log.gz'].entries()) {
      const uri = `${input}${name}`;
      await moto.upload(files[index + 1]!, uri);
      await send(moto.sqs(), queueUrl, s3Event(uri));
    }
    const second = new Watcher(args, moto.env());
    await second.waitFor('every message handled', () => second.filesCommitted() + first.filesCommitted() >= 4, 300_000);
    await second.waitFor('an empty queue', () => second.cycles.at(-1)?.reason === 'no notifications', 300_000);
    second.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    expect(await messagesLeft(moto.sqs(), queueUrl)).toBe(0);
    const watched = await outputRows(output, moto.s3.settings);
    const clean = await cleanRows(input);
    expect(watched.count).toBe(clean.count);
    expect(watched.rows).toEqual(clean.rows);
  }, 900_000);
});
