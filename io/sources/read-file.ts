/**
 * @module sources/read-file
 * Reads one input object through decompression and a framer, checkpointing after every decoded chunk so the
 * runner can apply backpressure. Damaged gzip data does not fail the run: every record decompressed before
 * the damage is kept, the record the damage cut (if any) goes to `invalid` instead of being parsed, and the
 * reason names the compressed byte range zlib failed on. `logbeam parse` frames through `frameDecoded` too,
 * so both keep and reject exactly the same records. Storage failures (S3 errors, missing files) do fail the
 * split.
 */
import type { S3Settings } from '../storage/s3-settings.js';
import { storeFor } from '../storage/store-for.js';
import { decodedChunks, GzipDamageError, isDecompressionError, type Reopen } from './decode.js';
import type { Framer } from './framing/framer.js';

export interface FrameOptions {
  /** Opens the same bytes again from the start: lets damaged gzip data be recovered exactly (see `decodedChunks`). */
  readonly reopen?: Reopen;
  /** Called after each decoded chunk was framed; awaited when it returns a promise. */
  readonly checkpoint: () => Promise<void> | undefined;
  readonly addBytesRead: (bytes: number) => void;
}

export interface ReadFileOptions extends FrameOptions {
  readonly s3?: S3Settings;
  readonly signal: AbortSignal;
}

/** Frames the object at `uri` through `framer` (see `frameDecoded`). */
export async function readFramed(uri: string, framer: Framer, options: ReadFileOptions): Promise<void> {
  const store = storeFor(uri, options.s3);
  const stream = await store.openRead(uri, { signal: options.signal });
  const reopened: Array<{ destroy(): void }> = [];
  const reopen: Reopen = async () => {
    const again = await store.openRead(uri, { signal: options.signal });
    reopened.push(again);
    return again;
  };
  try {
    await frameDecoded(stream, framer, { ...options, reopen });
  } finally {
    stream.destroy();
    for (const again of reopened) again.destroy();
  }
}

/** Decodes `raw` (gzip or plain) into `framer`, ending it, or cutting it where gzip data is damaged. */
export async function frameDecoded(raw: AsyncIterable<Buffer>, framer: Framer, options: FrameOptions): Promise<void> {
  try {
    for await (const chunk of decodedChunks(raw, options.addBytesRead, options.reopen)) {
      framer.push(chunk);
      const pending = options.checkpoint();
      if (pending !== undefined) await pending;
    }
  } catch (error) {
    if (!isDecompressionError(error)) throw error;
    const where = error instanceof GzipDamageError ? error.message : `gzip data is corrupt or truncated (${error.message})`;
    framer.cut(`${where}; every record before it was kept, nothing after it can be read`);
    const pending = options.checkpoint();
    if (pending !== undefined) await pending;
    return;
  }
  framer.end();
  const pending = options.checkpoint();
  if (pending !== undefined) await pending;
}
