/**
 * @module storage/object-store
 * One small interface over the local file system and S3, used by sources (listing and streaming reads),
 * sinks (staged uploads, commit moves, manifests) and bookmarks (small JSON objects, conditional creates).
 *
 * Semantics shared by both backends:
 * - A prefix passed to `list` is a directory: `out/x` lists `out/x/...`, never `out/xyz`.
 * - `write` and `openWrite(...).finish()` publish an object whole: readers see the old object or the new one,
 *   never a partial one (local: temp file + rename; S3: PutObject / multipart completion).
 * - `move` is an atomic rename on local disk; on S3 it is copy then delete (S3 has no rename), so a reader
 *   may briefly see the object under both keys.
 * - `delete` of a missing object succeeds.
 *
 * The contract only: {@link storeFor} in storage/store-for picks the backend for a URI.
 */
import type { Readable } from 'node:stream';

/** One object (or file) found by `list` or `stat`. */
export interface ObjectInfo {
  /** Full URI: `s3://bucket/key` or an absolute local path. */
  readonly uri: string;
  /** Size in bytes. */
  readonly size: number;
  /** Last modification, epoch milliseconds. */
  readonly mtimeMs?: number;
  /** S3 ETag (quoted, as S3 returns it); absent on local files. */
  readonly etag?: string;
}

export interface ListOptions {
  /** Descend into sub-directories / key prefixes (default `true`). */
  readonly recursive?: boolean;
  readonly signal?: AbortSignal;
}

export interface ReadOptions {
  readonly signal?: AbortSignal;
  /** First byte to read (default 0). */
  readonly start?: number;
  /** One past the last byte to read (default: end of object). */
  readonly end?: number;
}

/** A streaming upload. Call `write` for each chunk (awaiting it gives backpressure), then `finish` or `abort`. */
export interface ObjectUpload {
  readonly uri: string;
  /** Appends bytes; resolves when the chunk is accepted (buffered or sent). */
  write(chunk: Uint8Array): Promise<void>;
  /** Completes the upload: the object becomes visible whole. Resolves with its final info. */
  finish(): Promise<ObjectInfo>;
  /** Discards everything written (S3: aborts the multipart upload). Safe to call after a failure. */
  abort(): Promise<void>;
}

/** Storage backend for one kind of URI. */
export interface ObjectStore {
  /** Objects under `prefixUri` (a directory), in lexicographic key order per directory. */
  list(prefixUri: string, options?: ListOptions): AsyncIterable<ObjectInfo>;
  /** Info of one object, or `undefined` when it does not exist. */
  stat(uri: string): Promise<ObjectInfo | undefined>;
  exists(uri: string): Promise<boolean>;
  /** A byte stream of the object (or a range of it). Rejects with StorageError `not-found` when missing. */
  openRead(uri: string, options?: ReadOptions): Promise<Readable>;
  /** The whole object; for small objects (manifests, bookmarks). */
  read(uri: string, options?: { signal?: AbortSignal }): Promise<Buffer>;
  /** Writes a small object whole, replacing any existing one. */
  write(uri: string, body: string | Uint8Array): Promise<void>;
  /**
   * Writes `body` only when no object exists at `uri` (S3 `If-None-Match: *`; local `wx`). Returns `false`
   * when one already existed, so two runs racing for a lock cannot both win.
   */
  createIfAbsent(uri: string, body: string | Uint8Array): Promise<boolean>;
  /** Starts a streaming upload (S3: multipart, aborted on failure). */
  openWrite(uri: string): ObjectUpload;
  /** Renames (local, atomic) or copies then deletes (S3). Creates parent directories. */
  move(fromUri: string, toUri: string): Promise<void>;
  /** Server-side copy. */
  copy(fromUri: string, toUri: string): Promise<void>;
  /** Deletes an object; succeeds when it is already gone. */
  delete(uri: string): Promise<void>;
  /** Deletes many objects (S3: batches of 1000). */
  deleteMany(uris: readonly string[]): Promise<void>;
}
