/**
 * @module sinks/testing/parquet-writers-under-test
 * For tests: the Parquet writers to run a suite against (parquet-wasm always; the native addon when it is built,
 * and always where `LOGBEAM_REQUIRE_NATIVE_PARQUET=1`, as in CI, so that a missing build fails instead of
 * quietly testing one writer), and a jest hook that selects one for a describe block.
 */
import type { ParquetWriterKind } from '../parquet/choose-parquet-writer.js';
import { NATIVE_ADDON_PATH, nativeParquetAddon } from '../parquet/native-parquet-writer.js';

export function parquetWritersUnderTest(): ParquetWriterKind[] {
  if (nativeParquetAddon() !== undefined) return ['wasm', 'native'];
  if (process.env.LOGBEAM_REQUIRE_NATIVE_PARQUET === '1')
    throw new Error(`LOGBEAM_REQUIRE_NATIVE_PARQUET=1 but ${NATIVE_ADDON_PATH} is not built: run \`npm run build:native\``);
  return ['wasm'];
}

/** Sets LOGBEAM_PARQUET_WRITER to `writer` for the tests of the enclosing describe block. */
export function useParquetWriter(writer: ParquetWriterKind): void {
  let before: string | undefined;
  beforeAll(() => {
    before = process.env.LOGBEAM_PARQUET_WRITER;
    process.env.LOGBEAM_PARQUET_WRITER = writer;
  });
  afterAll(() => {
    if (before === undefined) delete process.env.LOGBEAM_PARQUET_WRITER;
    else process.env.LOGBEAM_PARQUET_WRITER = before;
  });
}
