import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { startFaultProxy, type FaultProxy } from '../../test/servers/fault-proxy.js';
import { startS3Server, type S3TestServer } from '../../test/servers/s3-server.js';
import { isStorageError } from './errors.js';
import { S3ObjectStore } from './s3-store.js';

const describeWithProxy = process.env['LOGBEAM_TEST_S3_BUCKET'] ? describe.skip : describe;

let s3: S3TestServer;
let proxy: FaultProxy;
let direct: S3ObjectStore;
let viaProxy: S3ObjectStore;
/** Above the 8 MiB part size: a three-part multipart upload. */
const body = randomBytes(17 * 1024 * 1024);

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

async function upload(uri: string): Promise<unknown> {
  const writer = viaProxy.openWrite(uri);
  try {
    for (let offset = 0; offset < body.byteLength; offset += 1024 * 1024) await writer.write(body.subarray(offset, offset + 1024 * 1024));
    await writer.finish();
    return undefined;
  } catch (error) {
    await writer.abort();
    return error;
  }
}

async function openUploads(prefix: string): Promise<number> {
  const key = prefix.slice(`s3://${s3.bucket}/`.length);
  const listed = await direct.client.send(new ListMultipartUploadsCommand({ Bucket: s3.bucket, Prefix: key }));
  return listed.Uploads?.length ?? 0;
}

describeWithProxy('multipart uploads through a faulty connection', () => {
  it('retries a part answered 500, a part whose connection was reset and 503 SlowDown on the completion', async () => {
    const prefix = s3.prefix('multipart-retry');
    const uri = `${prefix}/file.bin`;
    proxy.setRules([
      { operation: 'upload-part', nth: [1], fault: { kind: 'status', status: 500 } },
      { operation: 'upload-part', nth: [3], fault: { kind: 'reset' } },
      { operation: 'complete-multipart', nth: [1], fault: { kind: 'status', status: 503 } },
    ]);
    expect(await upload(uri)).toBeUndefined();
    expect(proxy.log.filter((request) => request.fault !== undefined)).toHaveLength(3);
    expect((await direct.read(uri)).equals(body)).toBe(true);
    expect(await openUploads(prefix)).toBe(0);
  });

  it('fails naming the object when a part keeps failing, leaves no object and no open multipart upload', async () => {
    const prefix = s3.prefix('multipart-500');
    const uri = `${prefix}/file.bin`;
    proxy.setRules([{ operation: 'upload-part', nth: [2, 3, 4, 5, 6, 7, 8, 9], fault: { kind: 'status', status: 500 } }]);
    const failure = await upload(uri);
    expect(isStorageError(failure, 'unavailable')).toBe(true);
    expect((failure as Error).message).toMatch(/^upload: S3 answered 500 after retries/);
    expect((failure as Error).message).toContain(uri);
    expect(await direct.exists(uri)).toBe(false);
    expect(await openUploads(prefix)).toBe(0);
  });

  it('a lost completion response: the retried completion either finds the object whole or fails, never a partial object', async () => {
    const prefix = s3.prefix('multipart-lost');
    const uri = `${prefix}/file.bin`;
    proxy.setRules([{ operation: 'complete-multipart', nth: [1], fault: { kind: 'lose-response' } }]);
    const failure = await upload(uri);
    const stored = await direct.stat(uri);
    if (failure === undefined) expect((await direct.read(uri)).equals(body)).toBe(true);
    else expect(stored === undefined || stored.size === body.byteLength).toBe(true);
    expect(await openUploads(prefix)).toBe(0);
  });
});
