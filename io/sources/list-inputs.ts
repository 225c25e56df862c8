/**
 * @module sources/list-inputs
 * Turns the `input` option (local files, directories, globs, `s3://bucket/prefix` URIs and S3 globs) into a
 * sorted, de-duplicated list of objects to read, one split each. Skipped while listing, never read:
 * zero-byte objects (directory markers, empty deliveries), CloudTrail digest files (`CloudTrail-Digest/`:
 * signatures, not events; reported to `onSkipped` with the reason, so a run counts them as skipped files) and, with `since`/`until`, objects whose key layout puts them on days outside the
 * range (see `key-date.ts`; keys in no known layout are kept). Under a listed directory or prefix, paths with a
 * segment starting with `_` or `.` are hidden, as in Hadoop and Spark: they hold logbeam's own bookkeeping
 * (`_logbeam/` staging, `_manifests/`, `_lock`, `_dead_letter/`), so an output written inside an input folder is
 * never read back as input. Name such a file explicitly to read it.
 */
import { sep } from 'node:path';
import type { S3Settings } from '../storage/s3-settings.js';
import { storeFor } from '../storage/store-for.js';
import { isS3Uri, parseStorageUri } from '../storage/uri.js';
import { globBase, globToRegExp, isGlob } from './glob.js';
import { keyDays } from './key-date.js';
import { daysMayOverlap, resolveTimeRange, type TimeRange } from './time-range.js';

/** One object to read. */
export interface InputFile {
  /** `s3://bucket/key` or an absolute local path. */
  readonly uri: string;
  readonly sizeBytes: number;
  /** S3 ETag (identifies the content). */
  readonly etag?: string;
  /** Last modification, epoch ms (local files; S3 too). */
  readonly mtimeMs?: number;
}

export interface ListInputsOptions {
  /** Prune objects whose key says they hold only days before this ISO instant. */
  readonly since?: string;
  /** Prune objects whose key says they hold only days at or after this ISO instant. */
  readonly until?: string;
  readonly s3?: S3Settings;
  readonly signal?: AbortSignal;
  /** Told of each file left out on purpose (a CloudTrail digest file), with the reason; never read. */
  readonly onSkipped?: (file: InputFile, reason: string) => void;
}

/** Why CloudTrail digest files are not read. */
export const DIGEST_SKIP_REASON = 'CloudTrail digest file (under CloudTrail-Digest/: integrity signatures, not events)';

/** Thrown when a local input does not exist (an S3 prefix with no objects is an empty input, not an error). */
export class InputNotFoundError extends Error {
  constructor(readonly input: string) {
    super(`input "${input}" does not exist; pass an existing file, directory, glob or s3://bucket/prefix`);
    this.name = 'InputNotFoundError';
  }
}

/**
 * Thrown by a read whose inputs match no file at all (a glob that matches nothing, an empty directory, an S3
 * prefix with no objects): a mistyped path must not pass for an empty day. Reads that expect it may allow it
 * (`allowEmpty`); a bookmark that leaves nothing new is not this error.
 */
export class EmptyInputError extends Error {
  constructor(readonly inputs: readonly string[]) {
    super(`input ${inputs.map((input) => JSON.stringify(input)).join(', ')} matched no files`);
    this.name = 'EmptyInputError';
  }
}

/**
 * Lists the inputs, sorted by URI.
 * @example await listInputs(['logs/**\/*.log.gz', 's3://b/AWSLogs/'], { since: '2024-01-01' })
 * // [{ uri: '/abs/logs/a/x.log.gz', sizeBytes: 1234, mtimeMs: ... }, { uri: 's3://b/AWSLogs/...', etag: '"..."', ... }]
 */
export async function listInputs(input: string | readonly string[], options: ListInputsOptions = {}): Promise<InputFile[]> {
  const inputs = typeof input === 'string' ? [input] : input;
  if (inputs.length === 0) throw new InputNotFoundError('(none)');
  const range = resolveTimeRange(options.since, options.until);
  const found = new Map<string, InputFile>();
  const skipped = new Set<string>();
  for (const one of inputs) {
    for (const file of await listOne(one, options)) {
      if (file.sizeBytes > 0 && file.uri.includes('/CloudTrail-Digest/')) {
        if (keep(file, range) && !skipped.has(file.uri)) {
          skipped.add(file.uri);
          options.onSkipped?.(file, DIGEST_SKIP_REASON);
        }
      } else if (keep(file, range)) found.set(file.uri, file);
    }
  }
  return [...found.values()].sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
}

function keep(file: InputFile, range: TimeRange | undefined): boolean {
  if (file.sizeBytes === 0) return false;
  if (range === undefined) return true;
  const span = keyDays(file.uri);
  return span === undefined || daysMayOverlap(range, span);
}

async function listOne(input: string, options: ListInputsOptions): Promise<InputFile[]> {
  if (input.length === 0) throw new InputNotFoundError(input);
  const store = storeFor(input, options.s3);
  const listOptions = options.signal === undefined ? {} : { signal: options.signal };
  const files: InputFile[] = [];
  if (isGlob(stripScheme(input))) {
    const base = globBase(input);
    const baseUri = isS3Uri(input) ? base : toLocal(base === '' ? '.' : base);
    const pattern = globToRegExp(isS3Uri(input) ? input : toSlashes(toLocal(input)));
    for await (const info of store.list(baseUri, listOptions)) {
      if (pattern.test(isS3Uri(info.uri) ? info.uri : toSlashes(info.uri)) && !isHidden(info.uri, baseUri)) files.push(toInputFile(info));
    }
    return files;
  }
  const location = parseStorageUri(input);
  const single = location.kind === 's3' && (location.key === '' || location.key.endsWith('/')) ? undefined : await store.stat(input);
  if (single !== undefined) return [toInputFile(single)];
  for await (const info of store.list(input, listOptions)) if (!isHidden(info.uri, input)) files.push(toInputFile(info));
  if (files.length === 0 && !isS3Uri(input) && !(await isDirectory(input))) throw new InputNotFoundError(input);
  return files;
}

/** Whether a path below `base` has a segment starting with `_` or `.`. */
function isHidden(uri: string, base: string): boolean {
  const normalizedBase = isS3Uri(base) ? base : toSlashes(toLocal(base));
  const path = isS3Uri(uri) ? uri : toSlashes(uri);
  const below = path.startsWith(normalizedBase) ? path.slice(normalizedBase.length) : path;
  return below.split('/').some((segment) => segment.startsWith('_') || segment.startsWith('.'));
}

function toInputFile(info: { uri: string; size: number; etag?: string; mtimeMs?: number }): InputFile {
  return {
    uri: info.uri,
    sizeBytes: info.size,
    ...(info.etag === undefined ? {} : { etag: info.etag }),
    ...(info.mtimeMs === undefined ? {} : { mtimeMs: info.mtimeMs }),
  };
}

function stripScheme(input: string): string {
  return isS3Uri(input) ? input.slice(input.indexOf('//') + 2) : input;
}

function toLocal(path: string): string {
  const location = parseStorageUri(path);
  return location.kind === 'local' ? location.path : path;
}

function toSlashes(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

async function isDirectory(path: string): Promise<boolean> {
  const { stat } = await import('node:fs/promises');
  return (await stat(toLocal(path)).catch(() => undefined))?.isDirectory() ?? false;
}
