/**
 * @module cli/query/stage-s3
 * Brings the data files under an S3 prefix into a local folder for `logbeam query`. DuckDB reads S3 only
 * through its httpfs extension, which it downloads from the internet on first use; logbeam does not depend on
 * that, so it downloads the objects itself, through the same S3 client (endpoint, region, credentials) as every
 * other command. The total is bounded (`maxBytes`): a prefix larger than that is refused before anything is
 * downloaded, with the size and what to do.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { S3Settings } from '../../io/storage/s3-settings.js';
import { storeFor } from '../../io/storage/store-for.js';
import { relativeUri } from '../../io/storage/uri.js';
import { formatOfFile } from './discover-tables.js';

/** Why a prefix is not downloaded: it is larger than the bound. */
export class DownloadTooLargeError extends Error {
  override readonly name = 'DownloadTooLargeError';
}

/** What was staged: object count and bytes. */
export interface StagedPrefix {
  readonly objects: number;
  readonly bytes: number;
}

/** The relative key as local path segments; a key that would leave the target folder is refused. */
function safeSegments(relative: string, uri: string): string[] {
  const segments = relative.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment === '..' || segment === '.' || segment.includes('\0')))
    throw new Error(`S3 key ${uri} has a "." or ".." segment; logbeam query does not copy it to a local path`);
  return segments;
}

/**
 * Downloads the data files (Parquet, JSON lines, CSV; nothing under `_` or `.` folders) under `prefix` into
 * `target`, keeping their relative paths, so Hive partition folders survive. Refuses, before downloading, a
 * prefix whose data files add up to more than `maxBytes`.
 */
export async function stageS3Prefix(prefix: string, target: string, s3: S3Settings, maxBytes: number): Promise<StagedPrefix> {
  const store = storeFor(prefix, s3);
  const wanted: Array<{ uri: string; path: string; size: number }> = [];
  let bytes = 0;
  for await (const object of store.list(prefix)) {
    const relative = relativeUri(prefix, object.uri);
    if (relative === undefined) continue;
    const segments = safeSegments(relative, object.uri);
    if (segments.some((segment) => segment.startsWith('_') || segment.startsWith('.'))) continue;
    if (formatOfFile(segments[segments.length - 1] ?? '') === undefined) continue;
    bytes += object.size;
    if (bytes > maxBytes)
      throw new DownloadTooLargeError(
        `the data files under ${prefix} add up to more than ${maxBytes} bytes, the download limit of logbeam query`,
      );
    wanted.push({ uri: object.uri, path: join(target, ...segments), size: object.size });
  }
  for (const object of wanted) {
    await mkdir(dirname(object.path), { recursive: true });
    await pipeline(await store.openRead(object.uri), createWriteStream(object.path));
  }
  return { objects: wanted.length, bytes };
}
