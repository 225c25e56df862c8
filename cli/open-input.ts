/**
 * @module cli/open-input
 * Opens a local file (or stdin for `-`) as a stream of raw bytes; decompression is `frameDecoded`'s job, the
 * same code path `logbeam run` reads through.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { CliError } from './errors.js';

/** The raw bytes of `path` (`-` = stdin). Throws `CliError` when the file is missing or unreadable. */
export async function openInput(path: string): Promise<AsyncIterable<Buffer>> {
  if (path !== '-') {
    const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
      throw new CliError(
        `cannot read ${path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`,
        'check the path, or pass - to read standard input',
      );
    });
    if (info.isDirectory()) throw new CliError(`${path} is a directory`, 'pass one file (logbeam run reads whole directories)');
  }
  return path === '-' ? process.stdin : createReadStream(path);
}
