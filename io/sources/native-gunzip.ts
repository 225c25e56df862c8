/**
 * @module sources/native-gunzip
 * Gunzip through the native addon's `GzipDecoder` (zlib-rs): synchronous on the reading thread, into one output
 * buffer reused for the whole file. node:zlib allocates a new Buffer per output chunk, which V8 frees only after
 * tens of MB (each worker's external memory swung by 60 MB), and runs on libuv's thread pool, competing with
 * the workers for cores. The decoder hands out everything it decoded before damaged data, so unlike the
 * node:zlib path no second read is needed to recover it. Which gunzip runs: see `chosenGunzip`.
 */
import { NATIVE_ADDON_PATH, nativeAddon } from '../native/native-addon.js';
import { GzipDamageError } from './gzip-damage-error.js';

/** Size of the reused output buffer: the decoded chunks handed out are at most this long. */
export const NATIVE_GUNZIP_OUTPUT_BYTES = 256 * 1024;

interface GzipDecoderHandle {
  /** Decodes from the start of `input` into `output`: bytes written, or -1 once the data proved damaged. */
  decompress(input: Uint8Array, output: Uint8Array): number;
  /** Ends the input; false when the data is damaged or truncated. */
  finish(): boolean;
  /** Input bytes the last `decompress` consumed. */
  readonly consumed: number;
  readonly totalOut: number;
  readonly failure: string | null;
  readonly failedAt: number | null;
}

interface GunzipAddon {
  GzipDecoder: new () => GzipDecoderHandle;
}

/** The addon when it has been built with the gzip decoder, else `undefined`. */
export function nativeGunzipAddon(): GunzipAddon | undefined {
  const addon = nativeAddon() as Partial<GunzipAddon> | undefined;
  return typeof addon?.GzipDecoder === 'function' ? (addon as GunzipAddon) : undefined;
}

export type GunzipKind = 'native' | 'zlib';

const VARIABLE = 'LOGBEAM_GUNZIP';

/**
 * The gunzip the environment asks for: `LOGBEAM_GUNZIP=native` (fails when the addon is not built), `zlib`
 * (node:zlib), or unset for the native one when built and node:zlib otherwise.
 */
export function chosenGunzip(): GunzipKind {
  const asked = process.env[VARIABLE];
  if (asked === undefined || asked === '') return nativeGunzipAddon() === undefined ? 'zlib' : 'native';
  if (asked === 'zlib') return 'zlib';
  if (asked === 'native') {
    if (nativeGunzipAddon() === undefined)
      throw new Error(
        `${VARIABLE}=native, but the native addon with the gzip decoder is not built (${NATIVE_ADDON_PATH}): run \`npm run build:native\` (needs Rust's cargo), or unset ${VARIABLE} to use node:zlib`,
      );
    return 'native';
  }
  throw new Error(`${VARIABLE} must be "native" or "zlib" (or unset to use the native gunzip when built), not "${asked}"`);
}

/**
 * Gunzips `head` and the rest of `rest`. Every chunk yielded is a view of the same reused buffer: it is valid
 * until the next one is asked for. Damaged data ends the iteration with a `GzipDamageError` naming the
 * compressed byte where it was found, after every byte decoded before it was yielded.
 */
export async function* nativeGunzipped(
  head: Buffer,
  rest: AsyncIterator<Buffer> | undefined,
  onRawBytes: (bytes: number) => void,
  addon: GunzipAddon = nativeGunzipAddon()!,
): AsyncGenerator<Buffer> {
  const decoder = new addon.GzipDecoder();
  const output = Buffer.allocUnsafe(NATIVE_GUNZIP_OUTPUT_BYTES);
  for (let input: Buffer | undefined = head; input !== undefined; ) {
    let pending = input;
    for (;;) {
      const written = decoder.decompress(pending, output);
      if (written < 0) throw damage(decoder);
      pending = pending.subarray(decoder.consumed);
      if (written > 0) yield output.subarray(0, written);
      if (pending.length === 0 && written < output.length) break;
    }
    const next = rest === undefined ? undefined : await rest.next();
    if (next === undefined || next.done === true) input = undefined;
    else {
      onRawBytes(next.value.length);
      input = next.value;
    }
  }
  if (!decoder.finish()) throw damage(decoder);
}

function damage(decoder: GzipDecoderHandle): GzipDamageError {
  const at = decoder.failedAt ?? 0;
  return new GzipDamageError(at, at + 1, decoder.totalOut, decoder.failure ?? 'damaged data');
}
