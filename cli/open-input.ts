/**
 * @module cli/open-input
 * Opens a local file (or stdin for `-`) as a stream of decoded bytes, gunzipping when the data starts with
 * the gzip magic bytes (whatever the file is called: AWS writes `.gz`, users rename).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { CliError } from './errors.js';

async function* prepend(first: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield first;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

/** The decoded bytes of `path` (`-` = stdin). Throws `CliError` when the file is missing or unreadable. */
export async function openInput(path: string): Promise<AsyncIterable<Buffer>> {
  if (path !== '-') {
    const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
      throw new CliError(`cannot read ${path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`, 'check the path, or pass - to read standard input');
    });
    if (info.isDirectory()) throw new CliError(`${path} is a directory`, 'pass one file (logbeam run reads whole directories)');
  }
  const raw = (path === '-' ? process.stdin : createReadStream(path))[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await raw.next();
  if (first.done) return (async function* empty() {})();
  const chunk = Buffer.isBuffer(first.value) ? first.value : Buffer.from(first.value);
  const all = prepend(chunk, raw);
  if (chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b) return Readable.from(all).pipe(createGunzip());
  return all;
}
