import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Pipeline } from '../../core/pipeline.js';
import { collect, runPipeline } from '../../test/testing.js';
import { startS3Server, type S3TestServer } from '../../test/servers/s3-server.js';
import { storeFor } from '../storage/store-for.js';
import { testLinesFormat } from './fixtures/test-format.js';
import { InputNotFoundError, listInputs } from './list-inputs.js';
import { readLogs, readLogsCounts } from './read-logs.js';

let dir: string;
let s3: S3TestServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logbeam-list-'));
  s3 = await startS3Server();
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await s3?.stop();
});

async function put(name: string, body: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, body);
  return path;
}

describe('listInputs', () => {
  it('lists files, directories recursively and globs in sorted order without duplicates', async () => {
    const a = await put('tree/b/2.log', 'x');
    const b = await put('tree/a/1.log.gz', 'x');
    const c = await put('tree/a/deep/3.log', 'x');
    await put('tree/a/empty.log', '');
    const listed = await listInputs([join(dir, 'tree'), a, join(dir, 'tree/**/*.log')]);
    expect(listed.map((f) => f.uri)).toEqual([b, c, a]);
    expect(listed[0]).toMatchObject({ sizeBytes: 1, mtimeMs: expect.any(Number) });
    expect((await listInputs(join(dir, 'tree/*/[0-9].log'))).map((f) => f.uri)).toEqual([a]);
  });

  it('skips CloudTrail digest files and zero-byte objects', async () => {
    const trail = await put('ct/AWSLogs/1/CloudTrail/us-east-1/2024/01/01/1_CloudTrail_x.json.gz', 'x');
    await put('ct/AWSLogs/1/CloudTrail-Digest/us-east-1/2024/01/01/1_CloudTrail-Digest_x.json.gz', 'x');
    await put('ct/AWSLogs/1/CloudTrail/us-east-1/2024/01/01/empty.json.gz', '');
    expect((await listInputs(join(dir, 'ct'))).map((f) => f.uri)).toEqual([trail]);
  });

  it('prunes whole days by AWS, Hive, S3 access and CloudFront key layouts with one day of slack, and keeps other keys', async () => {
    const keys = [
      'AWSLogs/1/elasticloadbalancing/us-east-1/2024/03/09/early.log',
      'AWSLogs/1/elasticloadbalancing/us-east-1/2024/03/10/slack-before.log',
      'AWSLogs/1/elasticloadbalancing/us-east-1/2024/03/11/in.log',
      'AWSLogs/1/elasticloadbalancing/us-east-1/2024/03/12/slack-after.log',
      'AWSLogs/1/elasticloadbalancing/us-east-1/2024/03/13/late.log',
      'AWSLogs/aws-account-id=1/aws-service=vpcflowlogs/aws-region=us-east-1/year=2024/month=03/day=11/hive-in.log',
      'AWSLogs/aws-account-id=1/aws-service=vpcflowlogs/aws-region=us-east-1/year=2024/month=05/day=11/hive-out.log',
      's3access/2024-03-11-10-00-00-ABCDEF0123456789',
      's3access/2024-04-11-10-00-00-ABCDEF0123456789',
      'cf/E2ABCDEF.2024-03-11-10.abcd1234.gz',
      'cf/E2ABCDEF.2023-03-11-10.abcd1234.gz',
      'misc/no-date.log',
    ];
    for (const key of keys) await put(`days/${key}`, 'x');
    const listed = await listInputs(join(dir, 'days'), { since: '2024-03-11T06:00:00Z', until: '2024-03-11T18:00:00Z' });
    const kept = listed.map((f) => f.uri.slice(join(dir, 'days').length + 1)).sort();
    expect(kept).toEqual(
      [
        'AWSLogs/1/elasticloadbalancing/us-east-1/2024/03/10/slack-before.log',
        'AWSLogs/1/elasticloadbalancing/us-east-1/2024/03/11/in.log',
        'AWSLogs/1/elasticloadbalancing/us-east-1/2024/03/12/slack-after.log',
        'AWSLogs/aws-account-id=1/aws-service=vpcflowlogs/aws-region=us-east-1/year=2024/month=03/day=11/hive-in.log',
        'cf/E2ABCDEF.2024-03-11-10.abcd1234.gz',
        'misc/no-date.log',
        's3access/2024-03-11-10-00-00-ABCDEF0123456789',
      ].sort(),
    );
  });

  it('fails with InputNotFoundError for a local path that does not exist', async () => {
    await expect(listInputs(join(dir, 'nope'))).rejects.toThrow(InputNotFoundError);
  });

  it('lists an S3 prefix of more than one page (1000 keys) in sorted order, skipping empty objects', async () => {
    const prefix = s3.prefix('many');
    const store = storeFor(prefix, s3.settings);
    const names = Array.from({ length: 1050 }, (_, i) => `k${String(i).padStart(5, '0')}.log`);
    for (let i = 0; i < names.length; i += 50)
      await Promise.all(names.slice(i, i + 50).map((name) => store.write(`${prefix}/${name}`, 'x')));
    await store.write(`${prefix}/zero.log`, '');
    const listed = await listInputs(`${prefix}/`, { s3: s3.settings });
    expect(listed.map((f) => f.uri)).toEqual(names.map((name) => `${prefix}/${name}`));
    expect(listed[0]).toMatchObject({ sizeBytes: 1, etag: expect.any(String) });
    const globbed = await listInputs(`${prefix}/k0000[0-4].log`, { s3: s3.settings });
    expect(globbed).toHaveLength(5);
  }, 120_000);
});

describe('readLogs from S3', () => {
  it('reads gzip and plain objects under a prefix with the same results as local files', async () => {
    const prefix = s3.prefix('logs');
    const store = storeFor(prefix, s3.settings);
    await store.write(
      `${prefix}/AWSLogs/1/elasticloadbalancing/us-east-1/2024/01/01/a.log.gz`,
      gzipSync('2024-01-01T00:00:00Z|a1\nbad\n2024-01-01T00:00:01Z|a2\n'),
    );
    await store.write(`${prefix}/AWSLogs/1/elasticloadbalancing/us-east-1/2024/01/01/b.log`, '# h\n2024-01-01T00:00:02Z|b1');
    const p = Pipeline.create();
    const { records, deadLetter } = p.apply(readLogs(testLinesFormat, { input: `${prefix}/`, s3: s3.settings }));
    const recordsOut = collect(records, 'R');
    const deadOut = collect(deadLetter, 'D');
    const result = await runPipeline(p);
    expect(recordsOut.values().map((r) => r.value)).toEqual(['a1', 'a2', 'b1']);
    expect(deadOut.values().map((d) => [d.source, d.line, d.raw])).toEqual([
      [`${prefix}/AWSLogs/1/elasticloadbalancing/us-east-1/2024/01/01/a.log.gz`, 2, 'bad'],
    ]);
    expect(readLogsCounts(result)).toEqual({ records: 3, rejected: 1, skipped: 1 });
    expect(result.bytesRead).toBeGreaterThan(0);
  });
});
