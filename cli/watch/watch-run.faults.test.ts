/**
 * Watch mode killed with SIGKILL in the middle of a cycle and restarted: every file is in the output exactly
 * once, as one clean run over all files writes it (compared row by row with DuckDB), both when the watch lists
 * its input and when it reads S3 event notifications from SQS (the killed cycle's messages come back after
 * their visibility timeout, and the bookmark keeps objects from being read twice).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { storeFor } from '../../io/storage/store-for.js';
import { startS3Server, type S3TestServer } from '../../test/servers/s3-server.js';
import { runCli } from '../testing/run-cli.js';
import { outputRows, Watcher } from './testing/watcher.js';
import {
  createQueue,
  credentialsEnv,
  generateAlb,
  messagesLeft,
  s3Event,
  s3Flags,
  send,
  sqsClient,
  upload,
} from './testing/watch-fixtures.js';

let s3: S3TestServer;
let sqs: SQSClient;
let dir: string;
let files: string[];

beforeAll(async () => {
  s3 = await startS3Server();
  sqs = sqsClient(s3);
  dir = await mkdtemp(join(tmpdir(), 'logbeam-watch-faults-'));
  files = [...(await generateAlb(join(dir, 'small'), 3000, 3, 11)), ...(await generateAlb(join(dir, 'large'), 30_000, 1, 12))];
}, 300_000);
afterAll(async () => {
  sqs?.destroy();
  await s3?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function waitForObject(uri: string, watcher: Watcher): Promise<void> {
  const store = storeFor(uri, s3.settings);
  for (let tries = 0; !(await store.exists(uri)); tries++) {
    if (tries > 4000) throw new Error(`${uri} never appeared:\n${watcher.stderr}`);
    await new Promise((wake) => setTimeout(wake, 25));
  }
}

async function cleanRows(input: string): Promise<Awaited<ReturnType<typeof outputRows>>> {
  const output = s3.prefix('clean');
  const outcome = await runCli(['run', 'alb', '-i', input, '-o', output, '--workers', '1', '--no-progress', ...s3Flags(s3)], {
    env: credentialsEnv(s3),
    timeoutMs: 300_000,
  });
  expect(outcome.code).toBe(0);
  return outputRows(output, s3.settings);
}

describe('logbeam run --watch killed mid-cycle', () => {
  it('listing: after SIGKILL during a cycle and a restart, each file is in the output exactly once', async () => {
    const input = `${s3.prefix('in')}/`;
    const output = s3.prefix('out');
    const bookmark = `${s3.prefix('bookmark')}.json`;
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
      ...s3Flags(s3),
    ];
    await upload(s3, files[0]!, `${input}a.log.gz`);
    await upload(s3, files[3]!, `${input}large.log.gz`);
    const first = new Watcher(args, credentialsEnv(s3));
    await waitForObject(`${output}/_lock`, first);
    await new Promise((wake) => setTimeout(wake, 300));
    first.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    await upload(s3, files[1]!, `${input}b.log.gz`);
    const second = new Watcher(args, credentialsEnv(s3));
    await second.waitFor('a committed cycle', () => second.cycles.some((line) => line.status === 'committed'), 300_000);
    await upload(s3, files[2]!, `${input}c.log.gz`);
    await second.waitFor(
      'every file',
      () => second.cycles.at(-1)?.status === 'skipped' && second.filesCommitted() + first.filesCommitted() >= 4,
      300_000,
    );
    second.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    const watched = await outputRows(output, s3.settings);
    const clean = await cleanRows(input);
    expect(clean.count).toBeGreaterThan(30_000);
    expect(watched.count).toBe(clean.count);
    expect(watched.rows).toEqual(clean.rows);
  }, 900_000);

  it('SQS: after SIGKILL during a cycle and a restart, the redelivered messages are processed once and deleted', async () => {
    const input = `${s3.prefix('in-sqs')}/`;
    const output = s3.prefix('out-sqs');
    const bookmark = `${s3.prefix('bookmark-sqs')}.json`;
    const queueName = `logbeam-faults-${Date.now()}`;
    const queueUrl = await createQueue(sqs, queueName);
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
      s3.endpoint ?? '',
      '--visibility-timeout',
      '5s',
      ...s3Flags(s3),
    ];
    for (const [index, name] of ['a.log.gz', 'large.log.gz'].entries()) {
      const uri = `${input}${name}`;
      await upload(s3, files[index === 0 ? 0 : 3]!, uri);
      await send(sqs, queueUrl, s3Event(uri));
    }
    const first = new Watcher(args, credentialsEnv(s3));
    await waitForObject(`${output}/_lock`, first);
    await new Promise((wake) => setTimeout(wake, 300));
    first.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    for (const [index, name] of ['b.log.gz', 'c.log.gz'].entries()) {
      const uri = `${input}${name}`;
      await upload(s3, files[index + 1]!, uri);
      await send(sqs, queueUrl, s3Event(uri));
    }
    const second = new Watcher(args, credentialsEnv(s3));
    await second.waitFor('every message handled', () => second.filesCommitted() + first.filesCommitted() >= 4, 300_000);
    await second.waitFor('an empty queue', () => second.cycles.at(-1)?.reason === 'no notifications', 300_000);
    second.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    expect(await messagesLeft(sqs, queueUrl)).toBe(0);
    const watched = await outputRows(output, s3.settings);
    const clean = await cleanRows(input);
    expect(watched.count).toBe(clean.count);
    expect(watched.rows).toEqual(clean.rows);
  }, 900_000);
});
