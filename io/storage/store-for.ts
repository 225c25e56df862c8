/**
 * @module storage/store-for
 * Picks the object store for a URI: the local file system for paths, S3 (one cached client per connection
 * settings, the SDK loaded on first use) for `s3://`. Kept apart from the ObjectStore contract so the backends
 * depend on the contract and only this module depends on the backends.
 */
import { LazyS3ObjectStore } from './lazy-s3-store.js';
import { LocalObjectStore } from './local-store.js';
import type { ObjectStore } from './object-store.js';
import type { S3ConnectionSettings } from './s3-client.js';
import type { S3Settings } from './s3-settings.js';
import { parseStorageUri } from './uri.js';

const local = new LocalObjectStore();
const s3Stores = new Map<string, LazyS3ObjectStore>();

/**
 * The store for `uri`: the local store for paths, an S3 store (one cached client per settings) for `s3://`.
 * `s3` may carry explicit `credentials` (see S3ConnectionSettings) for S3-compatible test servers.
 * @example const store = storeFor('s3://logs/alb/', options.s3); for await (const o of store.list('s3://logs/alb/')) ...
 */
export function storeFor(uri: string, s3?: S3Settings | S3ConnectionSettings): ObjectStore {
  const location = parseStorageUri(uri);
  if (location.kind === 'local') return local;
  const cacheKey = JSON.stringify(s3 ?? {});
  let store = s3Stores.get(cacheKey);
  if (store === undefined) {
    store = new LazyS3ObjectStore(s3 ?? {});
    s3Stores.set(cacheKey, store);
  }
  return store;
}
