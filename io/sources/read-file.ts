/**
 * @module sources/read-file
 * Reads one input object through decompression and a framer, checkpointing after every decoded chunk so the
 * runner can apply backpressure. Corrupt or truncated gzip data does not fail the run: the records framed
 * before the damage are kept and the damage becomes one `invalid` entry (file, next record number, zlib's
 * reason). Storage failures (S3 errors, missing files) do fail the split.
 */
import type { S3Settings } from '../storage/s3-settings.js';
import { storeFor } from '../storage/store-for.js';
import { decodedChunks, isDecompressionError } from './decode.js';
import type { FrameReceiver, Framer } from './framing/framer.js';

export interface ReadFileOptions {
  readonly s3?: S3Settings;
  readonly signal: AbortSignal;
  /** Called after each decoded chunk was framed; awaited when it returns a promise. */
  readonly checkpoint: () => Promise<void> | undefined;
  readonly addBytesRead: (bytes: number) => void;
}

/** Frames the object at `uri` into `receiver`, via `framer` (which must have been made with that receiver). */
export async function readFramed(uri: string, framer: Framer, receiver: FrameReceiver, options: ReadFileOptions): Promise<void> {
  const stream = await storeFor(uri, options.s3).openRead(uri, { signal: options.signal });
  try {
    for await (const chunk of decodedChunks(stream, options.addBytesRead)) {
      framer.push(chunk);
      const pending = options.checkpoint();
      if (pending !== undefined) await pending;
    }
  } catch (error) {
    if (!isDecompressionError(error)) throw error;
    framer.end();
    receiver.invalid(framer.recordsFramed + 1, `gzip data is corrupt or truncated after ${framer.recordsFramed} records (${error.message}); the records before it were read`, '');
    return;
  } finally {
    stream.destroy();
  }
  framer.end();
  const pending = options.checkpoint();
  if (pending !== undefined) await pending;
}
