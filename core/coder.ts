/**
 * @module coder
 * Coders turn elements into bytes and back: the direct runner uses them to spill groups to disk and to move
 * elements between worker threads; the portable runner uses them on the Fn API data plane.
 *
 * The default is `structuredCoder`, V8's structured-clone serialisation: it keeps Dates, Maps, Sets, BigInts
 * and typed arrays, and is native-code fast. `jsonCoder` is portable across languages.
 */
import { deserialize, serialize } from 'node:v8';

/** Encodes values of type T to bytes and back: `decode(encode(v))` is a deep copy of v. */
export interface Coder<T> {
  /** Stable name (e.g. `structured`, `json`, `utf8`), used in explain output and portable translation. */
  readonly name: string;
  encode(value: T): Uint8Array;
  decode(bytes: Uint8Array): T;
}

/** V8 structured clone; the default coder of every PCollection. */
export const structuredCoder: Coder<unknown> = {
  name: 'structured',
  encode: (value) => serialize(value),
  decode: (bytes) => deserialize(bytes),
};

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

/** UTF-8 JSON text. Loses `undefined`, Dates become strings. */
export const jsonCoder: Coder<unknown> = {
  name: 'json',
  encode: (value) => textEncoder.encode(JSON.stringify(value)),
  decode: (bytes) => JSON.parse(textDecoder.decode(bytes)) as unknown,
};

/** UTF-8 strings. */
export const utf8Coder: Coder<string> = {
  name: 'utf8',
  encode: (value) => textEncoder.encode(value),
  decode: (bytes) => textDecoder.decode(bytes),
};

/** Raw bytes, unchanged. */
export const bytesCoder: Coder<Uint8Array> = {
  name: 'bytes',
  encode: (value) => value,
  decode: (bytes) => bytes,
};

/**
 * Length-prefixed framing of many encoded values in one buffer: `[u32 length][bytes]...`. Used for spill
 * files and worker messages so that one write carries a whole batch.
 */
export class FrameWriter {
  private chunks: Uint8Array[] = [];
  private size = 0;

  add(bytes: Uint8Array): void {
    const header = new Uint8Array(4);
    new DataView(header.buffer).setUint32(0, bytes.length, true);
    this.chunks.push(header, bytes);
    this.size += 4 + bytes.length;
  }

  get byteLength(): number {
    return this.size;
  }

  /** Concatenates and resets. */
  take(): Buffer {
    const out = Buffer.concat(this.chunks, this.size);
    this.chunks = [];
    this.size = 0;
    return out;
  }
}

/** Iterates over the frames written by `FrameWriter`. Throws on a truncated buffer (a bug, not bad input). */
export function* readFrames(buffer: Uint8Array): Generator<Uint8Array> {
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  let offset = 0;
  while (offset < buffer.byteLength) {
    if (offset + 4 > buffer.byteLength) throw new Error('readFrames: truncated frame header');
    const length = view.getUint32(offset, true);
    offset += 4;
    if (offset + length > buffer.byteLength) throw new Error('readFrames: truncated frame');
    yield buffer.subarray(offset, offset + length);
    offset += length;
  }
}
