import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mountTmpfs, type Tmpfs } from '../../test/tmpfs.js';
import { LocalObjectStore } from './local-store.js';

const mounted = mountTmpfs(256 * 1024);
const tmpfs: Tmpfs | undefined = 'path' in mounted ? mounted : undefined;
if (tmpfs === undefined) console.warn(`skipping local-store disk-full tests: ${(mounted as { reason: string }).reason}`);
const withTmpfs = tmpfs === undefined ? it.skip : it;

afterAll(() => tmpfs?.unmount());

describe('LocalObjectStore on a full disk (a 256 KiB tmpfs)', () => {
  const store = new LocalObjectStore();

  withTmpfs('a streaming write larger than the free space fails and leaves no file, never a short one', async () => {
    const target = join(tmpfs!.path, 'stream.bin');
    const upload = store.openWrite(target);
    const chunk = Buffer.alloc(100 * 1024, 7);
    const written = (async () => {
      for (let i = 0; i < 4; i++) await upload.write(chunk);
      return upload.finish();
    })();
    await expect(written).rejects.toThrow(/ENOSPC|no space/i);
    await upload.abort();
    await expect(stat(target)).rejects.toThrow(/ENOENT/);
  });

  withTmpfs('a chunk that fits only in part is not reported as written', async () => {
    const filler = join(tmpfs!.path, 'filler.bin');
    await writeFile(filler, Buffer.alloc(200 * 1024, 1));
    try {
      const target = join(tmpfs!.path, 'partial.bin');
      const upload = store.openWrite(target);
      // One chunk bigger than what is left: the kernel accepts part of it, the rest must not be dropped silently.
      await expect(upload.write(Buffer.alloc(100 * 1024, 9)).then(() => upload.finish())).rejects.toThrow(/ENOSPC|no space/i);
      await upload.abort();
      await expect(stat(target)).rejects.toThrow(/ENOENT/);
    } finally {
      await store.delete(filler);
    }
  });

  withTmpfs('a small whole-object write that does not fit fails and keeps the old object', async () => {
    const target = join(tmpfs!.path, 'small.json');
    await store.write(target, 'old');
    await expect(store.write(target, Buffer.alloc(400 * 1024, 1))).rejects.toThrow(/ENOSPC|no space/i);
    expect((await readFile(target)).toString()).toBe('old');
  });
});
