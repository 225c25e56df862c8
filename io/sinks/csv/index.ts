/**
 * @module sinks/csv
 * `writeCsv`: records as RFC 4180 CSV (comma, CRLF line ends, fields quoted when they hold `,`, `"`, CR or LF,
 * quotes doubled), with a header row in every file. Columns come from the schema when given, else from the
 * first record of each file. Nulls are empty fields; `json` values are written as JSON text; partition fields
 * are left out (they are in the path).
 */
import type { PCollection } from '../../../core/pcollection.js';
import type { PTransform } from '../../../core/ptransform.js';
import type { Schema } from '../../../core/schema.js';
import { write } from '../../../transforms/write.js';
import { FileSink, type FileSinkOptions } from '../file-sink.js';
import type { FileFormat } from '../file-format.js';
import { createPartitioner } from '../partitioning/partitioner.js';
import { createTextEncoder } from '../text-encoder.js';

export interface CsvOptions extends FileSinkOptions {
  /** Column order and names; default: the keys of each file's first record. */
  readonly schema?: Schema;
  /** Compress each file with gzip (`.csv.gz`). Default false. */
  readonly gzip?: boolean;
  /** Step label (default `WriteCsv`). */
  readonly label?: string;
}

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV field per RFC 4180.
 * @example csvField('a,"b"') // '"a,""b"""'
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvFormat<T>(columns: readonly string[] | undefined, partitionFields: readonly string[], gzip: boolean): FileFormat<T> {
  return {
    extension: gzip ? 'csv.gz' : 'csv',
    open(output, keep) {
      const left = keep.length === 0 ? partitionFields : partitionFields.filter((name) => !keep.includes(name));
      let fileColumns = columns === undefined || keep.length === 0 ? columns : [...columns, ...keep];
      const header = (first: T): string => {
        fileColumns ??= Object.keys(first as object).filter((name) => !left.includes(name));
        return fileColumns.map(csvField).join(',');
      };
      const formatLine = (record: T): string => {
        const row = record as Record<string, unknown>;
        let line = '';
        for (let i = 0; i < fileColumns!.length; i++) line += (i === 0 ? '' : ',') + csvField(row[fileColumns![i]!]);
        return line;
      };
      return createTextEncoder(output, formatLine, { header, lineEnd: '\r\n', gzip });
    },
  };
}

/** The sink behind writeCsv. */
export function csvSink<T>(options: CsvOptions): FileSink<T> {
  const partitioner = createPartitioner(options, options.schema, 'writeCsv');
  const columns = options.schema?.fields.map((field) => field.name).filter((name) => !partitioner.partitionFields.includes(name));
  return new FileSink<T>(csvFormat<T>(columns, partitioner.partitionFields, options.gzip ?? false), options, 'writeCsv', partitioner);
}

/**
 * Writes records as CSV files under `options.output`.
 * @example records.apply(writeCsv({ output: 'out/csv', schema: albSchema, partitionBy: ['elb'] }))
 */
export function writeCsv<T>(options: CsvOptions): PTransform<PCollection<T>, PCollection<never>> {
  return write(csvSink<T>(options), { label: options.label ?? 'WriteCsv' });
}
