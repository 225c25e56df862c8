/**
 * @module declarative/steps/write
 * `write`: records to Parquet, JSON lines or CSV under `config.path` (default `<--output>/<step name>`).
 * Time partitioning defaults to `day` when element timestamps are event times (records straight from a read,
 * or windowed aggregates), else none. CSV output escapes spreadsheet formulas unless `escape_formulas: false`
 * (or `--no-escape-formulas` on the command line).
 */
import type { PCollection } from '../../../core/pcollection.js';
import { writeCsv } from '../../../io/sinks/csv/index.js';
import { writeJsonLines } from '../../../io/sinks/json-lines/index.js';
import { writeParquet } from '../../../io/sinks/parquet/index.js';
import type { CommonPipelineOptions } from '../../options.js';
import type { Built } from '../shape.js';
import type { StepSpec } from '../spec.js';

type WriteStep = Extract<StepSpec, { type: 'write' }>;

/** `<output>/<name>` without doubled slashes. */
function joinOutput(output: string, name: string): string {
  return `${output.replace(/\/+$/, '')}/${name}`;
}

export function buildWrite(input: Built, step: WriteStep, options: Partial<CommonPipelineOptions>): PCollection<never> {
  const path = step.config.path ?? (options.output === undefined ? undefined : joinOutput(options.output, step.name));
  if (path === undefined) throw new Error(`step "${step.name}": nowhere to write; set config.path in the pipeline file or pass --output`);
  const granularity = step.config.time_partitioning ?? (input.shape.timed ? 'day' : 'none');
  const common = {
    output: path,
    label: step.name,
    ...(options.s3 === undefined ? {} : { s3: options.s3 }),
    ...(options.writeMode === undefined ? {} : { writeMode: options.writeMode }),
    ...(granularity === 'none' ? {} : { timePartitioning: granularity }),
    ...(step.config.partition_by === undefined ? {} : { partitionBy: step.config.partition_by }),
  };
  switch (step.config.format) {
    case 'parquet':
      return input.collection.apply(writeParquet({ ...common, schema: input.shape.schema }));
    case 'jsonl':
      return input.collection.apply(writeJsonLines({ ...common, schema: input.shape.schema, gzip: step.config.gzip === true }));
    case 'csv':
      return input.collection.apply(
        writeCsv({
          ...common,
          schema: input.shape.schema,
          gzip: step.config.gzip === true,
          escapeFormulas: step.config.escape_formulas ?? options.escapeCsvFormulas ?? true,
        }),
      );
  }
}
