import { mkdir, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openBookmark } from '../bookmarks/bookmark-session.js';
import { albFormat } from '../formats/alb/index.js';
import { EmptyInputError } from './list-inputs.js';
import { LogFileSource } from './log-file-source.js';

const SAMPLES = fileURLToPath(new URL('../../samples/alb/', import.meta.url));
const signal = new AbortController().signal;

describe('a read whose input matches no file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'logbeam-empty-'));
    await mkdir(join(dir, 'empty'));
  });

  it.each([
    ['an empty directory', (): string => join(dir, 'empty')],
    ['a glob that matches nothing', (): string => join(SAMPLES, '**', '*.no-such-extension')],
  ])('fails with EmptyInputError naming %s', async (_what, input) => {
    const source = new LogFileSource(albFormat, { input: input() }, 'ReadLogs(alb)');
    const error = await source.listSplits({ signal }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EmptyInputError);
    expect((error as EmptyInputError).message).toBe(`input ${JSON.stringify(input())} matched no files`);
  });

  it('reads nothing with allowEmpty', async () => {
    expect(
      await new LogFileSource(albFormat, { input: join(dir, 'empty'), allowEmpty: true }, 'ReadLogs(alb)').listSplits({ signal }),
    ).toEqual([]);
  });

  it('lists with a bookmark in a dry run without taking its lock', async () => {
    const bookmarkUri = join(dir, 'bookmark.json');
    const peek = await new LogFileSource(albFormat, { input: SAMPLES, bookmark: openBookmark(bookmarkUri) }, 'ReadLogs(alb)').listSplits({
      signal,
      dryRun: true,
    });
    expect(peek).toHaveLength(3);
    expect(await readdir(dir)).not.toContain('bookmark.json.lock');
  });
});
