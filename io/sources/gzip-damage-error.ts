/**
 * @module sources/gzip-damage-error
 * The error that ends the decoding of damaged gzip data (see decode.ts), naming where the damage was found.
 */

/** Gunzip failed on damaged gzip data; everything decompressed before was yielded. */
export class GzipDamageError extends Error {
  constructor(
    /** Offset in the compressed file of the slice zlib failed on. */
    readonly compressedOffset: number,
    /** End (exclusive) of that slice. */
    readonly compressedEnd: number,
    /** Decompressed bytes yielded before the damage. */
    readonly decompressedBytes: number,
    readonly zlibMessage: string,
  ) {
    super(
      `gzip data is damaged ${compressedEnd - compressedOffset <= 1 ? `at compressed byte ${compressedOffset}` : `in compressed bytes ${compressedOffset}-${compressedEnd - 1}`} (zlib: ${zlibMessage}), after ${decompressedBytes} decompressed bytes`,
    );
    this.name = 'GzipDamageError';
  }
}
