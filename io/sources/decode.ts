/**
 * @module sources/decode
 * Decompression chosen from the content, not the file name: a stream that starts with the gzip magic bytes
 * (1f 8b) is gunzipped, including multi-member files (concatenated gzip members, as written by appending
 * tools and some AWS deliveries: Node's gunzip reads every member); anything else is passed through as is.
 * AWS names are unreliable here: CloudFront and S3 objects may be gzip without `.gz`, and a `.gz` file
 * re-saved by a tool may be plain text.
 */
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** Size of the decompressed chunks handed to framers (bytes). */
const GUNZIP_CHUNK_BYTES = 256 * 1024;

/** `true` when an error came from zlib (corrupt or truncated gzip data), not from storage. */
export function isDecompressionError(error: unknown): error is Error {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

/**
 * The decoded bytes of `raw`. `onRawBytes` is called with the size of each raw (compressed) chunk as it is
 * consumed, for `bytesRead` metrics.
 * @example for await (const chunk of decodedChunks(createReadStream('a.log.gz'), (n) => total += n)) framer.push(chunk);
 */
export async function* decodedChunks(raw: AsyncIterable<Buffer>, onRawBytes: (bytes: number) => void): AsyncGenerator<Buffer> {
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
  const compressed = Readable.from(
    (async function* rest(): AsyncGenerator<Buffer> {
      yield head;
      if (exhausted) return;
      for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
        onRawBytes(next.value.length);
        yield next.value;
      }
    })(),
    { objectMode: false },
  );
  const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES });
  compressed.on('error', (error) => gunzip.destroy(error));
  compressed.pipe(gunzip);
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } finally {
    compressed.destroy();
  }
}
