/**
 * @module storage/s3-errors
 * Turns AWS SDK errors into StorageErrors that name the object and say what to check.
 */
import { StorageError } from './errors.js';

/** The HTTP status of an SDK error, when the server answered. */
export function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

/** The SDK error's name (`NoSuchKey`, `AbortError`, ...), or ''. */
export function nameOf(error: unknown): string {
  return (error as { name?: string } | undefined)?.name ?? '';
}

/** A StorageError for `error` raised by `action` on `uri`; abort errors pass through unchanged. */
export function translateS3Error(error: unknown, uri: string, action: string): Error {
  if (error instanceof StorageError) return error;
  const status = statusOf(error);
  const name = nameOf(error);
  const detail = (error as Error | undefined)?.message ?? String(error);
  if (name === 'AbortError') return error as Error;
  if (status === 404 || name === 'NoSuchKey' || name === 'NotFound')
    return new StorageError('not-found', uri, `${action}: no such object`, { cause: error });
  if (name === 'NoSuchBucket') return new StorageError('not-found', uri, `${action}: the bucket does not exist`, { cause: error });
  if (status === 412 || status === 409) return new StorageError('already-exists', uri, `${action}: already exists`, { cause: error });
  if (status === 403)
    return new StorageError('access-denied', uri, `${action}: access denied (check the AWS credentials and the bucket policy)`, {
      cause: error,
    });
  if (status !== undefined && status >= 500)
    return new StorageError('unavailable', uri, `${action}: S3 answered ${status} after retries: ${detail}`, { cause: error });
  return new StorageError('failed', uri, `${action} failed: ${detail}`, { cause: error });
}
