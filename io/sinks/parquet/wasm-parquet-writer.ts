/**
 * @module sinks/parquet/wasm-parquet-writer
 * The Parquet writer compiled to WebAssembly (parquet-wasm 0.8, the Rust `parquet` crate): always installed,
 * no native build. Its streaming writer pulls record batches from a ReadableStream and emits a row group as
 * each fills. About 4x slower than the same crate built natively (bench/RESULTS.md), and WASM memory never
 * shrinks: the largest row group a worker has built stays allocated until the thread ends.
 */
import { createRequire } from 'node:module';
import type { ByteOutput } from '../file-format.js';
import type { IpcParquetWriter, ParquetEncoding } from './ipc-parquet-writer.js';

type ParquetWasm = typeof import('parquet-wasm/node');
// parquet-wasm's Node build is CommonJS that compiles and instantiates its 5 MB of WASM synchronously on load:
// loaded when the first file is encoded, not by every process and thread that imports the sink.
let loaded: ParquetWasm | undefined;
function wasm(): ParquetWasm {
  loaded ??= createRequire(import.meta.url)('parquet-wasm/node') as ParquetWasm;
  return loaded;
}

function writerProperties(
  encoding: ParquetEncoding,
  plainColumns: readonly string[],
): ReturnType<InstanceType<ParquetWasm['WriterPropertiesBuilder']>['build']> {
  const parquetWasm = wasm();
  const codec = {
    zstd: parquetWasm.Compression.ZSTD,
    snappy: parquetWasm.Compression.SNAPPY,
    gzip: parquetWasm.Compression.GZIP,
    none: parquetWasm.Compression.UNCOMPRESSED,
  }[encoding.compression];
  let builder = new parquetWasm.WriterPropertiesBuilder()
    .setCompression(codec)
    .setDictionaryEnabled(encoding.dictionary)
    .setMaxRowGroupSize(encoding.rowGroupRows)
    .setWriterVersion(parquetWasm.WriterVersion.V1)
    .setCreatedBy('logbeam');
  for (const column of plainColumns) builder = builder.setColumnDictionaryEnabled(column, false);
  return builder.build();
}

class WasmParquetWriter implements IpcParquetWriter {
  private readonly controller: ReadableStreamDefaultController<unknown>;
  private readonly pump: Promise<void>;
  private failed: unknown;
  /** Batches the writer has asked for and not yet received. */
  private wanted = 0;
  private waiting: (() => void) | undefined;

  constructor(encoding: ParquetEncoding, plainColumns: readonly string[], output: ByteOutput) {
    let controller: ReadableStreamDefaultController<unknown> | undefined;
    // highWaterMark 0: `pull` runs only when the writer asks for its next batch, so batches are copied into
    // WASM memory one at a time, never queued there while the writer is still encoding (see `whenWanted`).
    const input = new ReadableStream(
      {
        start: (started) => {
          controller = started;
        },
        pull: () => {
          this.wanted += 1;
          this.wake();
        },
      },
      { highWaterMark: 0 },
    );
    this.controller = controller!;
    const encoded = wasm().transformParquetStream(input, writerProperties(encoding, plainColumns));
    this.pump = (async () => {
      const reader = (await encoded).getReader();
      for (;;) {
        const next = await reader.read();
        if (next.done) return;
        await output(next.value as Uint8Array);
      }
    })();
    this.pump.catch((error: unknown) => {
      this.failed ??= error;
      this.wake();
    });
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }

  /** Resolves once the writer wants another batch (or has failed). */
  private async whenWanted(): Promise<void> {
    while (this.wanted === 0 && this.failed === undefined)
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
      });
    if (this.failed !== undefined) throw this.failed;
    this.wanted -= 1;
  }

  async write(ipc: Uint8Array): Promise<void> {
    await this.whenWanted();
    const table = wasm().Table.fromIPCStream(ipc);
    for (const batch of table.recordBatches()) this.controller.enqueue(batch);
    table.free();
  }

  async finish(): Promise<void> {
    this.controller.close();
    await this.pump;
  }

  abort(): void {
    try {
      this.controller.error(new Error('aborted'));
    } catch {
      // already closed
    }
  }
}

/** A parquet-wasm writer streaming into `output`. */
export function wasmParquetWriter(encoding: ParquetEncoding, plainColumns: readonly string[], output: ByteOutput): IpcParquetWriter {
  return new WasmParquetWriter(encoding, plainColumns, output);
}
