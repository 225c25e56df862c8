/**
 * @module storage/local-store
 * ObjectStore over the local file system. Whole-object writes go to a temp file beside the target and are
 * renamed into place (rename is atomic within a file system), so readers never see a partial file. Every
 * write is complete or fails (a short write, e.g. on a full disk, is continued until the kernel reports the
 * error), and data is durable before it becomes visible: the file is fsynced before the rename and its
 * directory after it, so a power loss cannot leave a renamed but empty or short file.
 */
import { createReadStream } from 'node:fs';
import { copyFile, link, mkdir, open, opendir, readFile, rename, rm, stat, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { StorageError } from './errors.js';
import type { ListOptions, ObjectInfo, ObjectStore, ObjectUpload, ReadOptions } from './object-store.js';
import { parseStorageUri } from './uri.js';

let tempCounter = 0;

function pathOf(uri: string): string {
  const location = parseStorageUri(uri);
  if (location.kind !== 'local') throw new Error(`local store given a non-local URI: ${uri}`);
  return location.path;
}

function tempPathFor(path: string): string {
  tempCounter += 1;
  return `${path}.tmp-${process.pid}-${Date.now().toString(36)}-${tempCounter}`;
}

function translate(error: unknown, uri: string, action: string): Error {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new StorageError('not-found', uri, `${action}: no such file`, { cause: error });
  if (code === 'EEXIST') return new StorageError('already-exists', uri, `${action}: already exists`, { cause: error });
  if (code === 'EACCES' || code === 'EPERM')
    return new StorageError('access-denied', uri, `${action}: permission denied`, { cause: error });
  return new StorageError('failed', uri, `${action} failed: ${(error as Error).message}`, { cause: error });
}

/** Writes all of `bytes` at the file's position: `FileHandle.write` may accept only part of a buffer. */
async function writeAll(file: FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.byteLength) {
    const { bytesWritten } = await file.write(bytes, offset, bytes.byteLength - offset);
    // A zero-byte write would loop for ever; the kernel reports ENOSPC on the next call, so this is defensive.
    if (bytesWritten === 0)
      throw Object.assign(new Error(`no space left: wrote 0 of ${bytes.byteLength - offset} bytes`), { code: 'ENOSPC' });
    offset += bytesWritten;
  }
}

/** Makes a rename or link in `directory` durable. */
async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `body` to a new file at `path` and fsyncs it. */
async function writeDurably(path: string, body: string | Uint8Array): Promise<void> {
  const file = await open(path, 'wx');
  try {
    await writeAll(file, typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
    await file.sync();
  } finally {
    await file.close();
  }
}

export class LocalObjectStore implements ObjectStore {
  async *list(prefixUri: string, options: ListOptions = {}): AsyncIterable<ObjectInfo> {
    const root = pathOf(prefixUri);
    const recursive = options.recursive ?? true;
    const rootInfo = await stat(root).catch(() => undefined);
    if (rootInfo === undefined || !rootInfo.isDirectory()) return;
    yield* this.walk(root, recursive, options.signal);
  }

  private async *walk(directory: string, recursive: boolean, signal: AbortSignal | undefined): AsyncIterable<ObjectInfo> {
    signal?.throwIfAborted();
    const names: { name: string; isDirectory: boolean }[] = [];
    const handle = await opendir(directory).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw translate(error, directory, 'list');
    });
    if (handle === undefined) return;
    for await (const entry of handle) names.push({ name: entry.name, isDirectory: entry.isDirectory() });
    names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of names) {
      const path = join(directory, entry.name);
      if (entry.isDirectory) {
        if (recursive) yield* this.walk(path, recursive, signal);
        continue;
      }
      const info = await stat(path).catch(() => undefined);
      // A file deleted between readdir and stat is simply gone; symlinks to directories are not followed.
      if (info === undefined || !info.isFile()) continue;
      yield { uri: path, size: info.size, mtimeMs: info.mtimeMs };
    }
  }

  async stat(uri: string): Promise<ObjectInfo | undefined> {
    const path = pathOf(uri);
    const info = await stat(path).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw translate(error, uri, 'stat');
    });
    if (info === undefined || !info.isFile()) return undefined;
    return { uri: path, size: info.size, mtimeMs: info.mtimeMs };
  }

  async exists(uri: string): Promise<boolean> {
    return (await this.stat(uri)) !== undefined;
  }

  async openRead(uri: string, options: ReadOptions = {}): Promise<Readable> {
    const path = pathOf(uri);
    // Open first so a missing file rejects here rather than as a stream error later.
    const handle = await open(path, 'r').catch((error: unknown) => {
      throw translate(error, uri, 'open');
    });
    const end = options.end === undefined ? undefined : options.end - 1;
    if (end !== undefined && end < (options.start ?? 0)) {
      await handle.close();
      const { Readable: ReadableClass } = await import('node:stream');
      return ReadableClass.from([]);
    }
    return createReadStream('', { fd: handle, start: options.start, end, signal: options.signal, highWaterMark: 1 << 20 });
  }

  async read(uri: string, options: { signal?: AbortSignal } = {}): Promise<Buffer> {
    return readFile(pathOf(uri), { signal: options.signal }).catch((error: unknown) => {
      throw translate(error, uri, 'read');
    });
  }

  async write(uri: string, body: string | Uint8Array): Promise<void> {
    const path = pathOf(uri);
    await mkdir(dirname(path), { recursive: true });
    const temp = tempPathFor(path);
    try {
      await writeDurably(temp, body);
      await rename(temp, path);
      await syncDirectory(dirname(path));
    } catch (error) {
      await rm(temp, { force: true });
      throw translate(error, uri, 'write');
    }
  }

  async createIfAbsent(uri: string, body: string | Uint8Array): Promise<boolean> {
    const path = pathOf(uri);
    await mkdir(dirname(path), { recursive: true });
    // Write a temp file, then hard-link it into place: link fails with EEXIST if the target exists, and the
    // target never appears half-written (a plain `wx` open would expose an empty file until written).
    const temp = tempPathFor(path);
    try {
      await writeDurably(temp, body);
      await link(temp, path);
      await syncDirectory(dirname(path));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw translate(error, uri, 'create');
    } finally {
      await rm(temp, { force: true });
    }
  }

  openWrite(uri: string): ObjectUpload {
    const path = pathOf(uri);
    const temp = tempPathFor(path);
    let handle: Promise<FileHandle> | undefined;
    let size = 0;
    const opened = (): Promise<FileHandle> => {
      handle ??= mkdir(dirname(path), { recursive: true }).then(() => open(temp, 'w'));
      return handle;
    };
    return {
      uri: path,
      write: async (chunk) => {
        const file = await opened();
        await writeAll(file, chunk);
        size += chunk.byteLength;
      },
      finish: async () => {
        const file = await opened();
        try {
          await file.sync();
          await file.close();
          const written = (await stat(temp)).size;
          if (written !== size) throw new Error(`${temp} holds ${written} bytes, ${size} were written`);
          await rename(temp, path);
          await syncDirectory(dirname(path));
        } catch (error) {
          await file.close().catch(() => undefined);
          await rm(temp, { force: true });
          throw translate(error, uri, 'write');
        }
        return { uri: path, size, mtimeMs: Date.now() };
      },
      abort: async () => {
        if (handle !== undefined) await (await handle.catch(() => undefined))?.close().catch(() => undefined);
        await rm(temp, { force: true });
      },
    };
  }

  async move(fromUri: string, toUri: string): Promise<void> {
    const to = pathOf(toUri);
    await mkdir(dirname(to), { recursive: true });
    const moved = await rename(pathOf(fromUri), to).then(
      () => true,
      (error: unknown) => {
        // Another file system (an output that is itself a mount point, its staging beside it on the parent's):
        // copy whole into place, then remove the source.
        if ((error as NodeJS.ErrnoException).code === 'EXDEV') return false;
        throw translate(error, fromUri, `move to ${to}`);
      },
    );
    if (!moved) {
      await this.copy(fromUri, toUri);
      await this.delete(fromUri);
      return;
    }
    await syncDirectory(dirname(to));
  }

  async copy(fromUri: string, toUri: string): Promise<void> {
    const to = pathOf(toUri);
    await mkdir(dirname(to), { recursive: true });
    const temp = tempPathFor(to);
    try {
      await copyFile(pathOf(fromUri), temp);
      const copied = await open(temp, 'r+');
      try {
        await copied.sync();
      } finally {
        await copied.close();
      }
      await rename(temp, to);
      await syncDirectory(dirname(to));
    } catch (error) {
      await rm(temp, { force: true });
      throw translate(error, fromUri, `copy to ${to}`);
    }
  }

  async delete(uri: string): Promise<void> {
    await unlink(pathOf(uri)).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw translate(error, uri, 'delete');
    });
  }

  async deleteMany(uris: readonly string[]): Promise<void> {
    for (const uri of uris) await this.delete(uri);
  }
}
