/**
 * @module sinks/parquet/ipc-parquet-writer
 * What the Parquet encoder needs from a Parquet writer: take each flush of the column buffers as one Arrow IPC
 * stream, append it to the file (row groups are cut at the encoding's row count), and emit the file's bytes
 * through the encoder's output. Two writers implement it: `native-parquet-writer.ts` (Apache Arrow's Rust
 * `parquet` crate as a Node addon, used when it has been built) and `wasm-parquet-writer.ts` (parquet-wasm, the
 * same crate compiled to WebAssembly, always installed).
 */

/** Parquet compression codecs offered. */
export type ParquetCompression = 'zstd' | 'snappy' | 'gzip' | 'none';

/** Encoding settings, resolved once per sink. */
export interface ParquetEncoding {
  readonly compression: ParquetCompression;
  /** Rows per row group (upper bound; a flush may write fewer). */
  readonly rowGroupRows: number;
  readonly dictionary: boolean;
}

/** Writes one Parquet file from Arrow IPC streams; calls are made one at a time (each awaited). */
export interface IpcParquetWriter {
  /**
   * Appends the record batch of one IPC stream; resolves once the writer can take the next. The writer reads
   * `ipc` only until then: the caller reuses the buffer.
   */
  write(ipc: Uint8Array): Promise<void>;
  /** Writes the last row group and the footer, and resolves once every byte went to the output. */
  finish(): Promise<void>;
  /** Drops the file (after a failure elsewhere); no more calls follow. */
  abort(): void;
}
