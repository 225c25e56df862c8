/**
 * @module logbeam/parquet
 * The Parquet sink, kept apart from the main entry point because its writer loads about 27 MB of WebAssembly.
 */
export { writeParquet, parquetSink } from './io/sinks/parquet/index.js';
export type { ParquetOptions } from './io/sinks/parquet/index.js';
