import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startS3Server, type S3TestServer } from '../../test/servers/s3-server.js';
import { isStorageError } from './errors.js';
import type { ObjectStore } from './object-store.js';
import { storeFor } from './store-for.js';
import { createS3Client } from './s3-client.js';
import { parseStorageUri } from './uri.js';

let s3: S3TestServer;
let localRoot: string;

beforeAll(async () => {
  s3 = await startS3Server();
  localRoot = await mkdtemp(join(tmpdir(), 'logbeam-store-'));
}, 180_000);

afterAll(async () => {
  await s3?.stop();
  if (localRoot !== undefined) await rm(localRoot, { recursive: true, force: true });
});

async function text(store: ObjectStore, uri: string, range?: { start?: number; end?: number }): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await store.openRead(uri, range)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function listed(store: ObjectStore, prefix: string, recursive = true): Promise<string[]> {
  const uris: string[] = [];
  for await (const info of store.list(prefix, { recursive })) uris.push(info.uri.slice(prefix.length));
  return uris;
}

/** The keys (as URIs) of the multipart uploads in progress under an `s3://` prefix, from ListMultipartUploads. */
async function multipartUploads(prefix: string): Promise<string[]> {
  const location = parseStorageUri(prefix);
  if (location.kind !== 's3') throw new Error(`not an s3:// prefix: ${prefix}`);
  const { bucket, key } = location;
  const response = await createS3Client(s3.settings).send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: key }));
  return (response.Uploads ?? []).map((upload) => `s3://${bucket}/${upload.Key ?? ''}`);
}

/** Polls `multipartUploads` (up to 10 s) until `done` holds; returns the last answer. */
async function waitForMultipartUploads(prefix: string, done: (uploads: string[]) => boolean): Promise<string[]> {
  const deadline = Date.now() + 10_000;
  let uploads = await multipartUploads(prefix);
  while (!done(uploads) && Date.now() < deadline) {
    await new Promise((resolveWait) => setTimeout(resolveWait, 50));
    uploads = await multipartUploads(prefix);
  }
  return uploads;
}

const backends: readonly [string, () => string][] = [
  ['local', () => join(localRoot, `case-${Math.random().toString(36).slice(2)}`) + '/'],
  ['s3', () => s3.prefix('store') + '/'],
];

describe.each(backends)('ObjectStore (%s)', (_name, base) => {
  it('writes, stats, reads and deletes a small object', async () => {
    const root = base();
    const store = storeFor(root, s3.settings);
    await store.write(`${root}a/b.txt`, 'hello');
    expect((await store.stat(`${root}a/b.txt`))?.size).toBe(5);
    expect(await store.exists(`${root}a/b.txt`)).toBe(true);
    expect((await store.read(`${root}a/b.txt`)).toString()).toBe('hello');
    await store.delete(`${root}a/b.txt`);
    expect(await store.stat(`${root}a/b.txt`)).toBeUndefined();
    await store.delete(`${root}a/b.txt`);
  });

  it('lists a prefix as a directory, recursively or one level deep', async () => {
    const root = base();
    const store = storeFor(root, s3.settings);
    for (const name of ['x/1.txt', 'x/sub/2.txt', 'xyz/3.txt', 'x/0.txt']) await store.write(`${root}${name}`, name);
    expect(await listed(store, `${root}x/`)).toEqual(['x/0.txt', 'x/1.txt', 'x/sub/2.txt'].map((name) => name.slice(2)));
    expect(await listed(store, `${root}x/`, false)).toEqual(['0.txt', '1.txt']);
    expect(await listed(store, `${root}missing/`)).toEqual([]);
  });

  it('streams byte ranges', async () => {
    const root = base();
    const store = storeFor(root, s3.settings);
    await store.write(`${root}r.txt`, '0123456789');
    expect(await text(store, `${root}r.txt`, { start: 2, end: 5 })).toBe('234');
    expect(await text(store, `${root}r.txt`, { start: 7 })).toBe('789');
  });

  it('rejects a read of a missing object with a not-found StorageError', async () => {
    const root = base();
    const store = storeFor(root, s3.settings);
    const failure = await store.openRead(`${root}nothing.txt`).catch((error: unknown) => error);
    expect(isStorageError(failure, 'not-found')).toBe(true);
  });

  it('creates an object only when absent, so only one of two racing creators wins', async () => {
    const root = base();
    const store = storeFor(root, s3.settings);
    const outcomes = await Promise.all([store.createIfAbsent(`${root}lock`, 'one'), store.createIfAbsent(`${root}lock`, 'two')]);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect(await store.createIfAbsent(`${root}lock`, 'three')).toBe(false);
    expect(['one', 'two']).toContain((await store.read(`${root}lock`)).toString());
  });

  it('uploads a multi-part stream that becomes visible only when finished', async () => {
    const root = base();
    const store = storeFor(root, s3.settings);
    const upload = store.openWrite(`${root}big.bin`);
    const chunk = new Uint8Array(1024 * 1024).fill(7);
    for (let i = 0; i < 10; i++) await upload.write(chunk);
    expect(await store.exists(`${root}big.bin`)).toBe(false);
    const info = await upload.finish();
    expect(info.size).toBe(10 * 1024 * 1024);
    expect((await store.stat(`${root}big.bin`))?.size).toBe(10 * 1024 * 1024);
  });

  it('leaves nothing behind, not even multipart parts, when an upload past two parts is aborted', async () => {
    const root = base();
    const store = storeFor(root, s3.settings);
    const upload = store.openWrite(`${root}gone.bin`);
    const chunk = new Uint8Array(1024 * 1024).fill(3);
    // 17 MiB: past two 8 MiB parts, so the S3 store has started a multipart upload and sent parts.
    for (let i = 0; i < 17; i++) await upload.write(chunk);
    if (root.startsWith('s3://')) expect(await waitForMultipartUploads(root, (uploads) => uploads.length > 0)).toEqual([`${root}gone.bin`]);
    await upload.abort();
    expect(await listed(store, root)).toEqual([]);
    if (root.startsWith('s3://')) expect(await multipartUploads(root)).toEqual([]);
    else expect(await readdir(root).catch(() => [])).toEqual([]);
  });

  it('moves, copies and deletes many objects', async () => {
    const root = base();
    const store = storeFor(root, s3.settings);
    await store.write(`${root}from/a b+ü.txt`, 'A');
    await store.move(`${root}from/a b+ü.txt`, `${root}to/deep/a b+ü.txt`);
    await store.copy(`${root}to/deep/a b+ü.txt`, `${root}copy.txt`);
    expect(await listed(store, root)).toEqual(['copy.txt', 'to/deep/a b+ü.txt']);
    await store.deleteMany([`${root}copy.txt`, `${root}to/deep/a b+ü.txt`]);
    expect(await listed(store, root)).toEqual([]);
  });
});
