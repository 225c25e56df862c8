/**
 * @module storage/s3-store
 * ObjectStore over S3. Streaming uploads use @aws-sdk/lib-storage `Upload` (multipart above 8 MiB, a single
 * PutObject below), aborted on failure or abort so no incomplete multipart parts are left behind (`abort`
 * returns only after S3 dropped the parts). `move` is CopyObject then DeleteObject: S3 has no rename (objects
 * up to 5 GiB; sink files roll well below that). Downloads resume after a broken connection
 * (storage/s3-resumable-read).
 */
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { PassThrough, Readable } from 'node:stream';
import { StorageError } from './errors.js';
import { nameOf, statusOf, translateS3Error } from './s3-errors.js';
import type { ListOptions, ObjectInfo, ObjectStore, ObjectUpload, ReadOptions } from './object-store.js';
import type { RetryPolicy } from './backoff.js';
import { DEFAULT_READ_RETRY, openResumableRead } from './s3-resumable-read.js';
import { createS3Client, resolveMaxAttempts, type S3ConnectionSettings } from './s3-client.js';
import { parseStorageUri } from './uri.js';

const PART_SIZE_BYTES = 8 * 1024 * 1024;

function locate(uri: string): { bucket: string; key: string } {
  const location = parseStorageUri(uri);
  if (location.kind !== 's3') throw new Error(`S3 store given a non-S3 URI: ${uri}`);
  return location;
}

/** The size of a small object's body; given to PutObject so the SDK need not treat the body as a stream. */
function byteLength(body: string | Uint8Array): number {
  return typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
}

export class S3ObjectStore implements ObjectStore {
  readonly client: S3Client;
  private readonly readRetry: RetryPolicy;

  constructor(settings: S3ConnectionSettings) {
    this.client = createS3Client(settings);
    this.readRetry = { ...DEFAULT_READ_RETRY, attempts: resolveMaxAttempts(settings) };
  }

  async *list(prefixUri: string, options: ListOptions = {}): AsyncIterable<ObjectInfo> {
    const { bucket, key } = locate(prefixUri);
    const prefix = key === '' || key.endsWith('/') ? key : `${key}/`;
    const recursive = options.recursive ?? true;
    let token: string | undefined;
    do {
      const page = await this.client
        .send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token, Delimiter: recursive ? undefined : '/' }),
          { abortSignal: options.signal },
        )
        .catch((error: unknown) => {
          throw translateS3Error(error, prefixUri, 'list');
        });
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined || object.Key.endsWith('/')) continue;
        const info: { uri: string; size: number; mtimeMs?: number; etag?: string } = {
          uri: `s3://${bucket}/${object.Key}`,
          size: object.Size ?? 0,
        };
        if (object.LastModified !== undefined) info.mtimeMs = object.LastModified.getTime();
        if (object.ETag !== undefined) info.etag = object.ETag;
        yield info;
      }
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }

  async stat(uri: string): Promise<ObjectInfo | undefined> {
    const { bucket, key } = locate(uri);
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      const info: { uri: string; size: number; mtimeMs?: number; etag?: string } = { uri, size: head.ContentLength ?? 0 };
      if (head.LastModified !== undefined) info.mtimeMs = head.LastModified.getTime();
      if (head.ETag !== undefined) info.etag = head.ETag;
      return info;
    } catch (error) {
      const translated = translateS3Error(error, uri, 'stat');
      if (translated instanceof StorageError && translated.code === 'not-found' && nameOf(error) !== 'NoSuchBucket') return undefined;
      throw translated;
    }
  }

  async exists(uri: string): Promise<boolean> {
    return (await this.stat(uri)) !== undefined;
  }

  async openRead(uri: string, options: ReadOptions = {}): Promise<Readable> {
    const { bucket, key } = locate(uri);
    const start = options.start ?? 0;
    if (options.end !== undefined && options.end <= start) return Readable.from([]);
    return openResumableRead({
      client: this.client,
      bucket,
      key,
      uri,
      start,
      end: options.end,
      signal: options.signal,
      policy: this.readRetry,
    });
  }

  async read(uri: string, options: { signal?: AbortSignal } = {}): Promise<Buffer> {
    const stream = await this.openRead(uri, options);
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of stream) chunks.push(chunk as Buffer);
    } catch (error) {
      throw translateS3Error(error, uri, 'read');
    }
    return Buffer.concat(chunks);
  }

  async write(uri: string, body: string | Uint8Array): Promise<void> {
    const { bucket, key } = locate(uri);
    await this.client
      .send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: byteLength(body) }))
      .catch((error: unknown) => {
        throw translateS3Error(error, uri, 'write');
      });
  }

  async createIfAbsent(uri: string, body: string | Uint8Array): Promise<boolean> {
    const { bucket, key } = locate(uri);
    try {
      await this.client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: byteLength(body), IfNoneMatch: '*' }),
      );
      return true;
    } catch (error) {
      // 412 Precondition Failed: the object exists; 409 ConditionalRequestConflict: a concurrent create won.
      const status = statusOf(error);
      if (status === 412 || status === 409) return false;
      throw translateS3Error(error, uri, 'create');
    }
  }

  openWrite(uri: string): ObjectUpload {
    const { bucket, key } = locate(uri);
    const body = new PassThrough({ highWaterMark: PART_SIZE_BYTES });
    const upload = new Upload({
      client: this.client,
      params: { Bucket: bucket, Key: key, Body: body },
      partSize: PART_SIZE_BYTES,
      queueSize: 2,
      leavePartsOnError: false,
    });
    let size = 0;
    let failure: unknown;
    const done = upload.done().catch((error: unknown) => {
      failure = error;
      body.destroy();
      throw error;
    });
    done.catch(() => undefined);
    return {
      uri,
      write: async (chunk) => {
        if (failure !== undefined) throw translateS3Error(failure, uri, 'upload');
        size += chunk.byteLength;
        if (!body.write(chunk)) {
          await new Promise<void>((resolve, reject) => {
            const onDrain = (): void => {
              body.off('close', onClose);
              resolve();
            };
            const onClose = (): void => {
              body.off('drain', onDrain);
              reject(translateS3Error(failure ?? new Error('upload stream closed'), uri, 'upload'));
            };
            body.once('drain', onDrain);
            body.once('close', onClose);
          });
        }
      },
      finish: async () => {
        body.end();
        try {
          const result = await done;
          const info: { uri: string; size: number; mtimeMs?: number; etag?: string } = { uri, size, mtimeMs: Date.now() };
          if (result.ETag !== undefined) info.etag = result.ETag;
          return info;
        } catch (error) {
          throw translateS3Error(error, uri, 'upload');
        }
      },
      abort: async () => {
        // Failing the body (not Upload.abort, whose promise settles before the parts are dropped) makes the
        // upload end by sending AbortMultipartUpload, and `done` settles only after that answer: when abort
        // returns, S3 holds no parts of this upload.
        body.destroy(new Error('upload aborted'));
        await done.catch(() => undefined);
      },
    };
  }

  async copy(fromUri: string, toUri: string): Promise<void> {
    const from = locate(fromUri);
    const to = locate(toUri);
    const source = `${from.bucket}/${from.key.split('/').map(encodeURIComponent).join('/')}`;
    await this.client.send(new CopyObjectCommand({ Bucket: to.bucket, Key: to.key, CopySource: source })).catch((error: unknown) => {
      throw translateS3Error(error, fromUri, `copy to ${toUri}`);
    });
  }

  async move(fromUri: string, toUri: string): Promise<void> {
    await this.copy(fromUri, toUri);
    await this.delete(fromUri);
  }

  async delete(uri: string): Promise<void> {
    const { bucket, key } = locate(uri);
    await this.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })).catch((error: unknown) => {
      const translated = translateS3Error(error, uri, 'delete');
      if (!(translated instanceof StorageError && translated.code === 'not-found' && nameOf(error) !== 'NoSuchBucket')) throw translated;
    });
  }

  async deleteMany(uris: readonly string[]): Promise<void> {
    const byBucket = new Map<string, string[]>();
    for (const uri of uris) {
      const { bucket, key } = locate(uri);
      let keys = byBucket.get(bucket);
      if (keys === undefined) {
        keys = [];
        byBucket.set(bucket, keys);
      }
      keys.push(key);
    }
    for (const [bucket, keys] of byBucket) {
      for (let start = 0; start < keys.length; start += 1000) {
        const batch = keys.slice(start, start + 1000);
        const result = await this.client
          .send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }))
          .catch((error: unknown) => {
            throw translateS3Error(error, `s3://${bucket}/${batch[0]}`, 'delete');
          });
        const failed = result.Errors?.[0];
        if (failed !== undefined)
          throw new StorageError('failed', `s3://${bucket}/${failed.Key}`, `delete failed: ${failed.Code} ${failed.Message}`);
      }
    }
  }
}
