/**
 * @module storage/errors
 * Typed storage failures, so callers branch on `code` rather than on SDK or errno strings.
 */

/** What went wrong, independent of the backend. */
export type StorageErrorCode = 'not-found' | 'already-exists' | 'access-denied' | 'unavailable' | 'failed';

/** A storage operation failed; `uri` names the object, `cause` holds the backend error. */
export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    readonly uri: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${message} (${uri})`, options);
    this.name = 'StorageError';
  }
}

/** `true` when `error` is a StorageError with the given code. */
export function isStorageError(error: unknown, code?: StorageErrorCode): error is StorageError {
  return error instanceof StorageError && (code === undefined || error.code === code);
}
