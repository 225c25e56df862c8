/**
 * @module storage/lazy-s3-store
 * An `ObjectStore` for `s3://` URIs that loads the AWS SDK (and builds its client) on first use. Most runs
 * read and write local files, and every worker thread imports the storage layer: loading the SDK eagerly
 * cost about 0.2 s of CPU per process and per worker thread.
 */
import type { Readable } from 'node:stream';
import type { ListOptions, ObjectInfo, ObjectStore, ObjectUpload, ReadOptions } from './object-store.js';
import type { S3ConnectionSettings } from './s3-client.js';

export class LazyS3ObjectStore implements ObjectStore {
  private loaded: Promise<ObjectStore> | undefined;

  constructor(private readonly settings: S3ConnectionSettings) {}

  private store(): Promise<ObjectStore> {
    this.loaded ??= import('./s3-store.js').then(({ S3ObjectStore }) => new S3ObjectStore(this.settings));
    return this.loaded;
  }

  async *list(prefixUri: string, options?: ListOptions): AsyncIterable<ObjectInfo> {
    yield* (await this.store()).list(prefixUri, options);
  }

  async stat(uri: string): Promise<ObjectInfo | undefined> {
    return (await this.store()).stat(uri);
  }

  async exists(uri: string): Promise<boolean> {
    return (await this.store()).exists(uri);
  }

  async openRead(uri: string, options?: ReadOptions): Promise<Readable> {
    return (await this.store()).openRead(uri, options);
  }

  async read(uri: string, options?: { signal?: AbortSignal }): Promise<Buffer> {
    return (await this.store()).read(uri, options);
  }

  async write(uri: string, body: string | Uint8Array): Promise<void> {
    return (await this.store()).write(uri, body);
  }

  async createIfAbsent(uri: string, body: string | Uint8Array): Promise<boolean> {
    return (await this.store()).createIfAbsent(uri, body);
  }

  openWrite(uri: string): ObjectUpload {
    const upload = this.store().then((store) => store.openWrite(uri));
    // Until the first write, a failure to load is only reported by the calls below.
    upload.catch(() => undefined);
    return {
      uri,
      write: async (chunk) => (await upload).write(chunk),
      finish: async () => (await upload).finish(),
      abort: async () => (await upload).abort(),
    };
  }

  async move(fromUri: string, toUri: string): Promise<void> {
    return (await this.store()).move(fromUri, toUri);
  }

  async copy(fromUri: string, toUri: string): Promise<void> {
    return (await this.store()).copy(fromUri, toUri);
  }

  async delete(uri: string): Promise<void> {
    return (await this.store()).delete(uri);
  }

  async deleteMany(uris: readonly string[]): Promise<void> {
    return (await this.store()).deleteMany(uris);
  }
}
