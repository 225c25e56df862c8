/**
 * @module sinks/parquet/choose-parquet-writer
 * Which Parquet writer encodes the files: `LOGBEAM_PARQUET_WRITER=native` (the Rust addon; fails when it is not
 * built), `wasm` (parquet-wasm), or unset for the native writer when it has been built and parquet-wasm
 * otherwise. Both write the same data (checked by `native-parquet-writer.test.ts`); the native one is faster.
 */
import type { ByteOutput } from '../file-format.js';
import type { IpcParquetWriter, ParquetEncoding } from './ipc-parquet-writer.js';
import { NATIVE_ADDON_PATH, nativeParquetAddon, nativeParquetWriter } from './native-parquet-writer.js';
import { wasmParquetWriter } from './wasm-parquet-writer.js';

export type ParquetWriterKind = 'native' | 'wasm';

const VARIABLE = 'LOGBEAM_PARQUET_WRITER';

/** The writer the environment asks for; throws with what to do when it cannot be had. */
export function chosenParquetWriter(): ParquetWriterKind {
  const asked = process.env[VARIABLE];
  if (asked === undefined || asked === '') return nativeParquetAddon() === undefined ? 'wasm' : 'native';
  if (asked === 'wasm') return 'wasm';
  if (asked === 'native') {
    if (nativeParquetAddon() === undefined)
      throw new Error(
        `${VARIABLE}=native, but the native Parquet writer is not built (${NATIVE_ADDON_PATH}): run \`npm run build:native\` (needs Rust's cargo), or unset ${VARIABLE} to use parquet-wasm`,
      );
    return 'native';
  }
  throw new Error(`${VARIABLE} must be "native" or "wasm" (or unset to use the native writer when built), not "${asked}"`);
}

/** Opens the chosen writer for one file. */
export function openParquetWriter(encoding: ParquetEncoding, plainColumns: readonly string[], output: ByteOutput): IpcParquetWriter {
  if (chosenParquetWriter() === 'native') return nativeParquetWriter(nativeParquetAddon()!, encoding, plainColumns, output);
  return wasmParquetWriter(encoding, plainColumns, output);
}
