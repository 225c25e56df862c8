/**
 * @module sinks/csv
 * `writeCsv`: records as RFC 4180 CSV (comma, CRLF line ends, fields quoted when they hold `,`, `"`, CR or LF,
 * quotes doubled), with a header row in every file. Columns come from the schema when given, else from the
 * first record of each file. Nulls are empty fields; `json` values are written as JSON text; partition fields
 * are left out (they are in the path).
 *
 * CSV output is opened in spreadsheets, which run a cell starting with `=`, `+`, `-`, `@`, tab or CR as a
 * formula (CSV injection). By default such text values are escaped as OWASP recommends: a single quote is put
 * in front (`=HYPERLINK(...)` is written `'=HYPERLINK(...)`), so the spreadsheet shows the text. Numbers are
 * not text and are never escaped (`-5` stays `-5`), nor is text that is a plain decimal number (`-5`, `+1.5e3`:
 * a spreadsheet reads it as that number, not as a formula). `escapeFormulas: false` writes every value as is,
 * for CSV read by programs rather than people.
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
  /** Column order and names; default (also for a schema without fields): the keys of each file's first record. */
  readonly schema?: Schema;
  /** Compress each file with gzip (`.csv.gz`). Default false. */
  readonly gzip?: boolean;
  /** Step label (default `WriteCsv`). */
  readonly label?: string;
  /** Prefix text values that a spreadsheet would run as a formula with `'` (default true; see the module comment). */
  readonly escapeFormulas?: boolean;
}

/** Text that a spreadsheet takes as a plain number, not a formula, even though it may start with `+` or `-`. */
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * `true` when a spreadsheet would run `text` as a formula: it starts with `=`, `+`, `-`, `@`, tab or CR and is
 * not a plain number.
 */
export function isFormulaLike(text: string): boolean {
  if (text.length === 0) return false;
  const first = text.charCodeAt(0);
  const trigger = first === 0x3d || first === 0x2b || first === 0x2d || first === 0x40 || first === 0x09 || first === 0x0d;
  return trigger && !PLAIN_NUMBER.test(text);
}

/**
 * One CSV field with formula escaping: text a spreadsheet would run gets a leading `'`.
 * @example csvSafeField('=1+2') // "'=1+2"
 * @example csvSafeField(-5) // '-5'
 */
export function csvSafeField(value: unknown): string {
  return typeof value === 'string' && isFormulaLike(value) ? csvField(`'${value}`) : csvField(value);
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

function csvFormat<T>(
  columns: readonly string[] | undefined,
  partitionFields: readonly string[],
  gzip: boolean,
  escapeFormulas: boolean,
): FileFormat<T> {
  const field = escapeFormulas ? csvSafeField : csvField;
  return {
    extension: gzip ? 'csv.gz' : 'csv',
    open(output, keep) {
      const left = keep.length === 0 ? partitionFields : partitionFields.filter((name) => !keep.includes(name));
      let fileColumns = columns === undefined || keep.length === 0 ? columns : [...columns, ...keep];
      const header = (first: T): string => {
        fileColumns ??= Object.keys(first as object).filter((name) => !left.includes(name));
        return fileColumns.map(field).join(',');
      };
      const formatLine = (record: T): string => {
        const row = record as Record<string, unknown>;
        let line = '';
        for (let i = 0; i < fileColumns!.length; i++) line += (i === 0 ? '' : ',') + field(row[fileColumns![i]!]);
        return line;
      };
      return createTextEncoder(output, formatLine, { header, lineEnd: '\r\n', gzip });
    },
  };
}

/** The sink behind writeCsv. */
export function csvSink<T>(options: CsvOptions): FileSink<T> {
  const partitioner = createPartitioner(options, options.schema, 'writeCsv');
  // A schema without fields (generic CSV before its header is read) says nothing about columns: take them from the records.
  const declared = options.schema === undefined || options.schema.fields.length === 0 ? undefined : options.schema;
  const columns = declared?.fields.map((field) => field.name).filter((name) => !partitioner.partitionFields.includes(name));
  if (options.escapeFormulas !== undefined && typeof options.escapeFormulas !== 'boolean')
    throw new Error(`writeCsv: escapeFormulas must be true or false, not ${JSON.stringify(options.escapeFormulas)}`);
  return new FileSink<T>(
    csvFormat<T>(columns, partitioner.partitionFields, options.gzip ?? false, options.escapeFormulas ?? true),
    options,
    'writeCsv',
    partitioner,
  );
}

/**
 * Writes records as CSV files under `options.output`.
 * @example records.apply(writeCsv({ output: 'out/csv', schema: albSchema, partitionBy: ['elb'] }))
 */
export function writeCsv<T>(options: CsvOptions): PTransform<PCollection<T>, PCollection<never>> {
  return write(csvSink<T>(options), { label: options.label ?? 'WriteCsv' });
}
