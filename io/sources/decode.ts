/**
 * @module sources/decode
 * Decompression chosen from the content, not the file name: a stream that starts with the gzip magic bytes
 * (1f 8b) is gunzipped, including multi-member files (concatenated gzip members, as written by appending
 * tools and some AWS deliveries: Node's gunzip reads every member); anything else is passed through as is.
 * AWS names are unreliable here: CloudFront and S3 objects may be gzip without `.gz`, and a `.gz` file
 * re-saved by a tool may be plain text.
 *
 * Damaged gzip data (trailing garbage, truncation, a corrupt block) must not cost the data decompressed before
 * the damage, and what is kept must not depend on how storage happened to chunk the bytes. So the compressed
 * bytes are fed to zlib in fixed slices of `GZIP_SLICE_BYTES` at fixed offsets of the file (whatever the read
 * chunks), every decompressed chunk is taken as zlib emits it (never left in a stream buffer that an error
 * would discard), and the error is rethrown as a `GzipDamageError` after all of them were yielded, naming the
 * compressed byte range where zlib failed. Zlib does not hand out the output of the write it fails on, so the
 * data decoded from that slice (before a corrupt block, or the end of a member followed by garbage; truncation
 * is reported after the last write) would be lost: when the input can be reopened, it is decoded again from the
 * start, feeding the failing range in ever smaller writes (1 KiB, 32 bytes, 1 byte), which recovers everything
 * but what the failing byte itself completes. Only damaged files pay for the extra reads.
 *
 * All of the above is the node:zlib path. When the native addon is built, gzip goes to `nativeGunzipped`
 * instead (see native-gunzip.ts: a reused output buffer on the reading thread, exact output up to the damage).
 */
import { createGunzip, type Gunzip } from 'node:zlib';
import { GzipDamageError } from './gzip-damage-error.js';
import { chosenGunzip, nativeGunzipped } from './native-gunzip.js';

export { GzipDamageError };

/**
 * Compressed bytes handed to zlib per write. It bounds the output held per write (deflate expands at most
 * ~1032x, so 33 MiB for a gzip bomb); smaller slices cost throughput (4 KiB: several times slower).
 */
export const GZIP_SLICE_BYTES = 32 * 1024;

/** Piece sizes of the recovery passes after damage, coarse to fine (see `recover`). */
const RECOVERY_PIECES = [1024, 32, 1] as const;

/**
 * Size of the decompressed chunks zlib emits (bytes). Every full chunk is one more round trip to libuv's
 * thread pool: at 64 KiB a 32 KiB slice of log text took 3-5 of them; 256 KiB cut the gunzip stage's CPU by
 * ~20% (bench/stage-ladder.ts --ab), 1 MiB gained nothing more.
 */
const GUNZIP_CHUNK_BYTES = 256 * 1024;

/** `true` when an error came from zlib (corrupt or truncated gzip data), not from storage. */
export function isDecompressionError(error: unknown): error is Error {
  if (error instanceof GzipDamageError) return true;
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

/**
 * The decoded bytes of `raw`. `onRawBytes` is called with the size of each raw (compressed) chunk as it is
 * consumed, for `bytesRead` metrics. Damaged gzip data ends the iteration with a `GzipDamageError` after every
 * decompressed byte before the damage was yielded; with `reopen`, the output of the write zlib failed on is
 * recovered too, by decoding the input again and the failing slice byte by byte (damaged files only).
 * A chunk is valid only until the next one is asked for (the native gunzip reuses one buffer): copy what you keep.
 * @example for await (const chunk of decodedChunks(createReadStream('a.log.gz'), (n) => total += n)) framer.push(chunk);
 */
export async function* decodedChunks(
  raw: AsyncIterable<Buffer>,
  onRawBytes: (bytes: number) => void,
  reopen?: Reopen,
): AsyncGenerator<Buffer> {
  const iterator = raw[Symbol.asyncIterator]();
  let head: Buffer = Buffer.alloc(0);
  let exhausted = false;
  while (head.length < 2) {
    const next = await iterator.next();
    if (next.done === true) {
      exhausted = true;
      break;
    }
    onRawBytes(next.value.length);
    head = head.length === 0 ? next.value : Buffer.concat([head, next.value]);
  }
  const gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  if (!gzip) {
    if (head.length > 0) yield head;
    if (exhausted) return;
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
      onRawBytes(next.value.length);
      yield next.value;
    }
    return;
  }
  if (chosenGunzip() === 'native') yield* nativeGunzipped(head, exhausted ? undefined : iterator, onRawBytes);
  else yield* gunzipped(head, exhausted ? undefined : iterator, onRawBytes, reopen);
}

/** Reopens the raw input from its first byte, for an exact recovery after damage (see `decodedChunks`). */
export type Reopen = () => Promise<AsyncIterable<Buffer>>;

/** Cuts a stream of raw chunks into slices of `GZIP_SLICE_BYTES` at fixed offsets; the last may be shorter. */
async function* fixedSlices(
  first: Buffer,
  rest: AsyncIterator<Buffer> | undefined,
  onRawBytes: (bytes: number) => void,
): AsyncGenerator<Buffer> {
  let pending = first;
  for (;;) {
    let start = 0;
    while (pending.length - start >= GZIP_SLICE_BYTES) {
      yield pending.subarray(start, start + GZIP_SLICE_BYTES);
      start += GZIP_SLICE_BYTES;
    }
    pending = pending.subarray(start);
    const next = rest === undefined ? undefined : await rest.next();
    if (next === undefined || next.done === true) break;
    onRawBytes(next.value.length);
    pending = pending.length === 0 ? next.value : Buffer.concat([pending, next.value]);
  }
  if (pending.length > 0) yield pending;
}

/** Gunzips `head` and the rest of `iterator` in fixed slices (see the module comment). */
async function* gunzipped(
  head: Buffer,
  iterator: AsyncIterator<Buffer> | undefined,
  onRawBytes: (bytes: number) => void,
  reopen: Reopen | undefined,
): AsyncGenerator<Buffer> {
  const inflater = new SliceInflater();
  let offset = 0;
  let damage: GzipDamageError | undefined;
  try {
    for await (const slice of fixedSlices(head, iterator, onRawBytes)) {
      await inflater.write(slice, offset);
      offset += slice.length;
      yield* inflater.take();
    }
    await inflater.finish(offset);
    yield* inflater.take();
    return;
  } catch (error) {
    if (!(error instanceof GzipDamageError)) throw error;
    // What zlib emitted before failing is kept: hand it out, then report (or first recover) the damage.
    yield* inflater.take();
    damage = error;
  } finally {
    inflater.destroy();
  }
  // A failure on a write (not on the final flush) may have cost that write's output.
  if (reopen === undefined || damage.compressedEnd - damage.compressedOffset <= 1) throw damage;
  for (const piece of RECOVERY_PIECES) {
    try {
      yield* recover(reopen, damage, piece);
    } catch (error) {
      if (!(error instanceof GzipDamageError)) throw error;
      damage = error;
      continue;
    }
    break; // the input changed between the reads: report what is known
  }
  throw damage;
}

/**
 * Decodes the input again from its start up to the range zlib failed on, then that range in writes of `piece`
 * bytes, and yields the output past the `damage.decompressedBytes` already handed out. Throws the damage, now
 * naming a range of at most `piece` bytes, whose output is lost until a finer pass; after the 1-byte pass only
 * what the failing byte itself completes is lost. Returns without throwing only if the input changed.
 */
async function* recover(reopen: Reopen, damage: GzipDamageError, piece: number): AsyncGenerator<Buffer> {
  const raw = (await reopen())[Symbol.asyncIterator]();
  const inflater = new SliceInflater();
  let offset = 0;
  let produced = 0;
  const fresh = function* fresh(): Generator<Buffer> {
    for (const chunk of inflater.take()) {
      const skip = Math.max(0, damage.decompressedBytes - produced);
      produced += chunk.length;
      if (skip < chunk.length) yield skip === 0 ? chunk : chunk.subarray(skip);
    }
  };
  try {
    for await (const slice of fixedSlices(Buffer.alloc(0), raw, () => undefined)) {
      if (offset + slice.length <= damage.compressedOffset) {
        await inflater.write(slice, offset);
        offset += slice.length;
        yield* fresh();
        continue;
      }
      // Up to the damaged range in one write, then the range piece by piece.
      const before = Math.max(0, damage.compressedOffset - offset);
      for (let i = 0; i < slice.length; i = i < before ? before : i + piece) {
        const part = slice.subarray(i, i < before ? before : Math.min(i + piece, slice.length));
        await inflater.write(part, offset);
        offset += part.length;
        yield* fresh();
      }
    }
    await inflater.finish(offset);
  } catch (error) {
    if (!(error instanceof GzipDamageError)) throw error;
    yield* fresh();
    throw new GzipDamageError(error.compressedOffset, error.compressedEnd, Math.max(produced, damage.decompressedBytes), error.zlibMessage);
  } finally {
    inflater.destroy();
    await raw.return?.();
  }
}

/** Drives one Gunzip write by write, collecting its output as it is emitted. */
class SliceInflater {
  private readonly gunzip: Gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES });
  private output: Buffer[] = [];
  private decompressed = 0;
  private failure: Error | undefined;
  private ended = false;
  private readonly waiters = new Set<() => void>();

  constructor() {
    this.gunzip.on('data', (chunk: Buffer) => {
      this.output.push(chunk);
    });
    this.gunzip.on('error', (error: Error) => {
      this.failure = error;
      this.wake();
    });
    this.gunzip.on('end', () => {
      this.ended = true;
      this.wake();
    });
  }

  /** Writes one slice (starting at compressed `offset`) and waits until zlib processed it. */
  async write(slice: Buffer, offset: number): Promise<void> {
    this.check(offset, offset + slice.length);
    await new Promise<void>((resolve) => {
      this.waiters.add(resolve);
      this.gunzip.write(slice, (error) => {
        if (error !== undefined && error !== null) this.failure ??= error;
        this.waiters.delete(resolve);
        resolve();
      });
    });
    this.check(offset, offset + slice.length);
  }

  /** Ends the input (`offset` = its total size) and waits for the last output or the error. */
  async finish(offset: number): Promise<void> {
    this.check(offset, offset);
    await new Promise<void>((resolve) => {
      if (this.ended) return resolve();
      this.waiters.add(resolve);
      this.gunzip.end();
    });
    this.check(Math.max(0, offset - 1), offset);
  }

  /** The output emitted since the last call. */
  *take(): Generator<Buffer> {
    const chunks = this.output;
    this.output = [];
    for (const chunk of chunks) {
      this.decompressed += chunk.length;
      yield chunk;
    }
  }

  destroy(): void {
    this.gunzip.destroy();
  }

  private check(start: number, end: number): void {
    // `errored` is set the moment zlib fails; the 'error' event follows a tick later.
    this.failure ??= this.gunzip.errored ?? undefined;
    if (this.failure === undefined) return;
    const pending = this.output.reduce((sum, chunk) => sum + chunk.length, 0);
    throw new GzipDamageError(start, Math.max(end, start + 1), this.decompressed + pending, this.failure.message);
  }

  private wake(): void {
    for (const waiter of this.waiters) waiter();
    this.waiters.clear();
  }
}
