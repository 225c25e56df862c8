/**
 * @module io/catalog/list-partitions
 * The partitions present under a table's location: the `key=value/...` directories (in the order of the
 * partition keys) that hold at least one published Parquet file. Bookkeeping paths (a segment starting with
 * `_` or `.`: staging, manifests, dead letters) are not partitions.
 */
import type { S3Settings } from '../storage/s3-settings.js';
import { storeFor } from '../storage/store-for.js';

/**
 * Partition paths relative to `location`, sorted.
 * @example await listPartitions('s3://lake/alb', ['year', 'month', 'day']) // ['year=2024/month=06/day=01', ...]
 */
export async function listPartitions(location: string, keys: readonly string[], s3?: S3Settings): Promise<string[]> {
  const base = `${location.replace(/\/+$/, '')}/`;
  const found = new Set<string>();
  for await (const info of storeFor(base, s3).list(base)) {
    if (!info.uri.startsWith(base) || !info.uri.endsWith('.parquet')) continue;
    const segments = info.uri.slice(base.length).split('/');
    if (segments.some((segment) => segment.startsWith('_') || segment.startsWith('.'))) continue;
    const directories = segments.slice(0, -1);
    if (directories.length !== keys.length) continue;
    if (directories.every((segment, index) => segment.startsWith(`${keys[index]}=`))) found.add(directories.join('/'));
  }
  return [...found].sort();
}
