/**
 * @module bench/experiments/alb-writer-variants
 * `logbeam run alb` with the Parquet writer's knobs open, to see what the writer costs (scenario 1's gap):
 *   logbeam run bench/experiments/alb-writer-variants.ts --input <dir> --output <dir> --workers 1 \
 *     --param dictionary=false --param compression=snappy --param rowGroupRows=65536 --param discard=true
 * `discard=true` drops every record before the sink (read + gunzip + parse only).
 */
import { definePipeline } from '../../core/define-pipeline.js';
import { albFormat } from '../../io/formats/alb/index.js';
import { writeParquet } from '../../io/sinks/parquet/index.js';
import type { ParquetCompression } from '../../io/sinks/parquet/parquet-encoder.js';
import { readLogs } from '../../io/sources/read-logs.js';
import { filter } from '../../transforms/map.js';

export interface AlbWriterVariantOptions {
  readonly input: string;
  readonly output: string;
  readonly dictionary?: boolean;
  readonly compression?: ParquetCompression;
  readonly rowGroupRows?: number;
  readonly discard?: boolean;
}

export const albWriterVariants = definePipeline(import.meta.url, 'alb-writer-variants', (p, options: AlbWriterVariantOptions) => {
  const { records } = p.apply(readLogs(albFormat, { input: options.input }));
  const kept = options.discard === true ? records.apply(filter(() => false, { label: 'DiscardAll' })) : records;
  kept.apply(
    writeParquet({
      output: options.output,
      schema: albFormat.schema,
      timePartitioning: 'day',
      ...(options.dictionary === undefined ? {} : { dictionary: options.dictionary }),
      ...(options.compression === undefined ? {} : { compression: options.compression }),
      ...(options.rowGroupRows === undefined ? {} : { rowGroupRows: options.rowGroupRows }),
    }),
  );
});
