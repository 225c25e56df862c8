/**
 * @module storage/uri
 * Storage locations: `s3://bucket/key` for S3 (and S3-compatible stores), anything without a scheme (or a
 * `file://` URL) for the local file system. Every other scheme is rejected with a message that names the
 * accepted forms, so a typo such as `s3:/bucket` or `gs://bucket` fails before any work starts.
 */
import { resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A parsed location. S3 keys never start with `/`; local paths are absolute. */
export type StorageLocation =
  | { readonly kind: 's3'; readonly bucket: string; readonly key: string }
  | { readonly kind: 'local'; readonly path: string };

/** Thrown for a URI that is neither `s3://bucket/key` nor a local path. */
export class InvalidStorageUriError extends Error {
  constructor(
    readonly uri: string,
    reason: string,
  ) {
    super(`invalid storage location "${uri}": ${reason}. Use a local path (out/, /data/logs) or s3://bucket/prefix`);
    this.name = 'InvalidStorageUriError';
  }
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
// S3 bucket names: 3-63 chars of lowercase letters, digits, dots and hyphens (legacy buckets may have
// underscores and capitals, which the SDK still accepts, so only reject what can never be a bucket).
const BUCKET = /^[A-Za-z0-9._-]{1,255}$/;

/**
 * Parses a location.
 * @example parseStorageUri('s3://logs/alb/2024/') // { kind: 's3', bucket: 'logs', key: 'alb/2024/' }
 * @example parseStorageUri('out/alb') // { kind: 'local', path: '/current/dir/out/alb' }
 */
export function parseStorageUri(uri: string): StorageLocation {
  if (uri.length === 0) throw new InvalidStorageUriError(uri, 'it is empty');
  const scheme = SCHEME.exec(uri)?.[1]?.toLowerCase();
  // A single letter followed by ':' is a Windows drive, not a scheme.
  if (scheme === undefined || (scheme.length === 1 && process.platform === 'win32')) return { kind: 'local', path: resolve(uri) };
  if (scheme === 'file') return { kind: 'local', path: fileURLToPath(uri) };
  if (scheme === 's3' || scheme === 's3a' || scheme === 's3n') {
    if (!uri.slice(scheme.length + 1).startsWith('//')) throw new InvalidStorageUriError(uri, 'an S3 URI needs two slashes after "s3:"');
    const rest = uri.slice(scheme.length + 3);
    const slash = rest.indexOf('/');
    const bucket = slash < 0 ? rest : rest.slice(0, slash);
    const key = slash < 0 ? '' : rest.slice(slash + 1);
    if (!BUCKET.test(bucket)) throw new InvalidStorageUriError(uri, `"${bucket}" is not a bucket name`);
    if (key.startsWith('/')) throw new InvalidStorageUriError(uri, 'the key starts with "/" (a double slash after the bucket)');
    return { kind: 's3', bucket, key };
  }
  throw new InvalidStorageUriError(uri, `the scheme "${scheme}:" is not supported`);
}

/** `true` for `s3://` (and `s3a://`, `s3n://`) URIs. */
export function isS3Uri(uri: string): boolean {
  return /^s3[an]?:\/\//i.test(uri);
}

/**
 * Joins path segments onto a base location with `/` (the local separator on local paths). Segments must
 * already be safe (see `partitionPath` in the sinks); empty segments are skipped.
 * @example joinUri('s3://b/out/', 'year=2024', 'part-0.parquet') // 's3://b/out/year=2024/part-0.parquet'
 */
export function joinUri(base: string, ...segments: readonly string[]): string {
  const separator = isS3Uri(base) ? '/' : sep;
  let joined = base;
  for (const segment of segments) {
    if (segment.length === 0) continue;
    const trimmed = segment.replace(/^[\\/]+/, '');
    joined = joined.endsWith('/') || joined.endsWith(separator) ? joined + trimmed : joined + separator + trimmed;
  }
  return joined;
}

/**
 * The part of `uri` below `base` (with `/` separators), or `undefined` when `uri` is not inside `base`.
 * @example relativeUri('s3://b/out', 's3://b/out/year=2024/a.parquet') // 'year=2024/a.parquet'
 */
export function relativeUri(base: string, uri: string): string | undefined {
  const baseLocation = parseStorageUri(base);
  const location = parseStorageUri(uri);
  if (baseLocation.kind === 's3' && location.kind === 's3') {
    if (baseLocation.bucket !== location.bucket) return undefined;
    const prefix = baseLocation.key === '' || baseLocation.key.endsWith('/') ? baseLocation.key : `${baseLocation.key}/`;
    return location.key.startsWith(prefix) ? location.key.slice(prefix.length) : undefined;
  }
  if (baseLocation.kind === 'local' && location.kind === 'local') {
    const prefix = baseLocation.path.endsWith(sep) ? baseLocation.path : baseLocation.path + sep;
    return location.path.startsWith(prefix) ? location.path.slice(prefix.length).split(sep).join('/') : undefined;
  }
  return undefined;
}
