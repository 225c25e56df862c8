import { randomBytes } from 'node:crypto';
import { startFaultProxy, type FaultProxy } from '../../test/servers/fault-proxy.js';
import { startS3Server, type S3TestServer } from '../../test/servers/s3-server.js';
import { isStorageError } from './errors.js';
import { S3ObjectStore } from './s3-store.js';
import { parseStorageUri } from './uri.js';

// The proxy sits in front of a local S3 test server; against real AWS there is nothing to put it in front of.
const describeWithProxy = process.env['LOGBEAM_TEST_S3_BUCKET'] ? describe.skip : describe;

let s3: S3TestServer;
let proxy: FaultProxy;
let direct: S3ObjectStore;
let viaProxy: S3ObjectStore;
const body = randomBytes(1024 * 1024);

beforeAll(async () => {
  s3 = await startS3Server();
  if (s3.endpoint === undefined) return;
  proxy = await startFaultProxy(s3.endpoint);
  direct = new S3ObjectStore(s3.settings);
  viaProxy = new S3ObjectStore({ ...s3.settings, endpoint: proxy.endpoint, maxAttempts: 3 });
}, 180_000);

afterAll(async () => {
  await proxy?.stop();
  await s3?.stop();
});

beforeEach(() => {
  proxy?.setRules([]);
  proxy?.clearLog();
});

async function readAll(store: S3ObjectStore, uri: string, range?: { start: number; end: number }): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await store.openRead(uri, range)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function putObject(name: string): Promise<{ uri: string; key: string; etag: string }> {
  const uri = `${s3.prefix('resume')}/${name}`;
  await direct.write(uri, body);
  const info = await direct.stat(uri);
  const location = parseStorageUri(uri);
  return { uri, key: location.kind === 's3' ? location.key : '', etag: info!.etag! };
}

function gets(key: string): Array<{ range: string | undefined; ifMatch: string | undefined }> {
  return proxy.log
    .filter((request) => request.operation === 'get' && request.key === key)
    .map((request) => ({
      range: request.headers['range'] as string | undefined,
      ifMatch: request.headers['if-match'] as string | undefined,
    }));
}

describeWithProxy('S3 downloads through a faulty connection', () => {
  it('resumes a body cut by a connection reset from the last byte received, on the same ETag', async () => {
    const { uri, key, etag } = await putObject('reset.bin');
    proxy.setRules([{ operation: 'get', key: /reset\.bin$/, nth: [1], fault: { kind: 'short-body', bytes: 300_000, reset: true } }]);
    const read = await readAll(viaProxy, uri);
    expect(read.equals(body)).toBe(true);
    const attempts = gets(key);
    expect(attempts).toHaveLength(2);
    expect(attempts[0]!.range).toBeUndefined();
    expect(attempts[1]).toEqual({ range: `bytes=300000-${body.byteLength - 1}`, ifMatch: etag });
  });

  it('resumes a body that ends early (connection closed before Content-Length bytes)', async () => {
    const { uri, key } = await putObject('short.bin');
    proxy.setRules([{ operation: 'get', key: /short\.bin$/, nth: [1, 2], fault: { kind: 'short-body', bytes: 100_000 } }]);
    const read = await readAll(viaProxy, uri);
    expect(read.equals(body)).toBe(true);
    expect(gets(key).map((attempt) => attempt.range)).toEqual([
      undefined,
      `bytes=100000-${body.byteLength - 1}`,
      `bytes=200000-${body.byteLength - 1}`,
    ]);
  });

  it('resumes inside a ranged read and still stops at its end', async () => {
    const { uri, key } = await putObject('ranged.bin');
    proxy.setRules([{ operation: 'get', key: /ranged\.bin$/, nth: [1], fault: { kind: 'short-body', bytes: 5000, reset: true } }]);
    const read = await readAll(viaProxy, uri, { start: 1000, end: 50_000 });
    expect(read.equals(body.subarray(1000, 50_000))).toBe(true);
    expect(gets(key).map((attempt) => attempt.range)).toEqual(['bytes=1000-49999', 'bytes=6000-49999']);
  });

  it('gives up after the configured attempts with an error naming the object, the attempts and the bytes received', async () => {
    const { uri, key } = await putObject('broken.bin');
    proxy.setRules([{ operation: 'get', key: /broken\.bin$/, fault: { kind: 'short-body', bytes: 1000, reset: true } }]);
    const failure = await readAll(viaProxy, uri).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isStorageError(failure, 'unavailable')).toBe(true);
    expect((failure as Error).message).toContain(uri);
    expect((failure as Error).message).toContain(`gave up after 3 attempts (3000 of ${body.byteLength} bytes received)`);
    expect(gets(key)).toHaveLength(3);
  });

  it('fails, naming the object, when it is replaced between attempts instead of splicing two versions', async () => {
    const { uri, key } = await putObject('changing.bin');
    const replacement = randomBytes(body.byteLength);
    proxy.setRules([
      { operation: 'get', key: /changing\.bin$/, nth: [1], fault: { kind: 'short-body', bytes: 2000, reset: true } },
      { operation: 'get', key: /changing\.bin$/, nth: [2], before: () => direct.write(uri, replacement) },
    ]);
    const failure = await readAll(viaProxy, uri).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect((failure as Error | undefined)?.message).toMatch(/changed while it was being read/);
    expect((failure as Error).message).toContain(uri);
    expect(gets(key)).toHaveLength(2);
  });
});
