/**
 * @module storage/s3-resumable-read
 * A GetObject whose body survives a broken connection. The SDK retries a request that fails before the
 * response starts, but not a body cut short by a reset or a closed connection; here such a break is resumed
 * from the last byte received with a ranged GET (`Range: bytes=N-`) that also carries `If-Match: <ETag>`, so
 * the bytes after the break come from the same version of the object. Waits between attempts back off
 * exponentially with jitter. When the attempts run out, or the object changed, the error names the object,
 * the attempts and the bytes received.
 */
import { GetObjectCommand, type GetObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { backoffDelayMs, sleep, type RetryPolicy } from './backoff.js';
import { StorageError } from './errors.js';
import { nameOf, statusOf, translateS3Error } from './s3-errors.js';

/** Default resume policy: 8 attempts (the store uses the client's attempts), waits from 100 ms doubling up to 5 s. */
export const DEFAULT_READ_RETRY: RetryPolicy = { attempts: 8, baseDelayMs: 100, maxDelayMs: 5000 };

/** The object to read and the byte range: `start` inclusive, `end` exclusive (absent: to the end). */
export interface ResumableReadRequest {
  readonly client: S3Client;
  readonly bucket: string;
  readonly key: string;
  /** The object's `s3://` URI, for messages. */
  readonly uri: string;
  readonly start: number;
  readonly end: number | undefined;
  readonly signal: AbortSignal | undefined;
  readonly policy: RetryPolicy;
}

function rangeHeader(start: number, end: number | undefined): string {
  return `bytes=${start}-${end === undefined ? '' : end - 1}`;
}

/** The run was cancelled: never retried. */
function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || nameOf(error) === 'AbortError';
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = (error as Error | undefined)?.message ?? String(error);
  return code === undefined || message.includes(code) ? message : `${message} (${code})`;
}

/**
 * Starts the download (so a missing object rejects here, as `openRead` promises) and returns its bytes as a
 * stream that resumes after breaks.
 */
export async function openResumableRead(request: ResumableReadRequest): Promise<Readable> {
  const { client, bucket, key, uri, signal, policy } = request;
  const ranged = request.start !== 0 || request.end !== undefined;
  let first: GetObjectCommandOutput;
  try {
    first = await client.send(
      new GetObjectCommand({ Bucket: bucket, Key: key, Range: ranged ? rangeHeader(request.start, request.end) : undefined }),
      { abortSignal: signal },
    );
  } catch (error) {
    throw translateS3Error(error, uri, 'read');
  }
  const etag = first.ETag;
  const expectedEnd = first.ContentLength === undefined ? undefined : request.start + first.ContentLength;

  async function* bytes(): AsyncGenerator<Buffer> {
    let body = first.Body as Readable | undefined;
    let position = request.start;
    let attempt = 1;
    const failures: string[] = [];
    try {
      for (;;) {
        try {
          if (body !== undefined) {
            for await (const chunk of body) {
              const buffer = chunk as Buffer;
              position += buffer.byteLength;
              yield buffer;
            }
          }
          if (expectedEnd === undefined || position >= expectedEnd) return;
          throw new Error(`the response ended after ${position - request.start} of ${expectedEnd - request.start} bytes`);
        } catch (error) {
          if (isAbort(error, signal)) throw error;
          if (error instanceof StorageError) throw error;
          failures.push(describe(error));
        }
        // The body broke: resume from `position` on the same version, after a wait.
        for (;;) {
          if (attempt >= policy.attempts) {
            const received =
              expectedEnd === undefined
                ? `${position - request.start} bytes`
                : `${position - request.start} of ${expectedEnd - request.start} bytes`;
            throw new StorageError(
              'unavailable',
              uri,
              `read: gave up after ${attempt} attempts (${received} received); errors: ${failures.join('; ')}`,
            );
          }
          await sleep(backoffDelayMs(policy, attempt), signal);
          attempt += 1;
          body?.destroy();
          body = undefined;
          try {
            const resumed = await client.send(
              new GetObjectCommand({ Bucket: bucket, Key: key, Range: rangeHeader(position, expectedEnd), IfMatch: etag }),
              { abortSignal: signal },
            );
            body = resumed.Body as Readable | undefined;
            break;
          } catch (error) {
            if (isAbort(error, signal)) throw error;
            if (statusOf(error) === 412) {
              throw new StorageError(
                'failed',
                uri,
                `read: the object changed while it was being read (ETag ${etag ?? 'unknown'} no longer matches after ${position - request.start} bytes); run again to read the new version`,
                { cause: error },
              );
            }
            const translated = translateS3Error(error, uri, 'read');
            if (translated instanceof StorageError && (translated.code === 'not-found' || translated.code === 'access-denied'))
              throw translated;
            failures.push(describe(error));
          }
        }
      }
    } finally {
      body?.destroy();
    }
  }

  return Readable.from(bytes(), { objectMode: false });
}
