/**
 * @module formats/common/field-table
 * One table per positional log format (ALB, Classic ELB, NLB, S3 access): every record field once, in record
 * order, with its logical type (which fixes its Parquet/Arrow column type and its Athena DDL type), nullability,
 * how it is read from the line, the AWS documentation's name where it differs, the closed set of values AWS
 * documents for it, and its doc line. The schema, the decoder's column table, the required and enumerated
 * checks, the columnar slot list and the record builder are derived from it here, and the record's TypeScript
 * type is derived from the same `const` table by `RecordOf`, so the type still carries the schema.
 */
import { field, schema, type FieldType, type Schema } from '../../../core/schema.js';
import type { ColumnarLayout } from './positional-columnar-parser.js';
import type { EnumeratedSlot, PositionalLayout, RequiredSlot } from './positional-parser.js';
import {
  KIND_CLF_TIMESTAMP,
  KIND_DOUBLE,
  KIND_INT32,
  KIND_INT64,
  KIND_IP_PORT,
  KIND_ISO_TIMESTAMP,
  KIND_REQUEST_LINE,
  KIND_STRING,
  KIND_STRING_AS_WRITTEN,
  type ColumnSpec,
  type SlotValue,
} from './span-decoder.js';
import type { TokenSpans } from './tokenizer.js';

/**
 * How a record field is read from the line. Most fields are one log field each; two log fields fill several:
 * `ip:port` fills an `ip` field and the `port` field right after it, and a request line `METHOD URL PROTO`
 * fills `verb`, `url` and `proto` fields in that order. `extra` (last, type `json`) holds the tokens after the
 * last documented field.
 */
export type ParseKind =
  | 'string'
  | 'string-as-written'
  | 'int32'
  | 'int64'
  | 'double'
  | 'iso-timestamp'
  | 'clf-timestamp'
  | 'ip'
  | 'port'
  | 'verb'
  | 'url'
  | 'proto'
  | 'extra';

/** One row of a field table. */
export interface TableField {
  /** The record field and column name (snake_case). */
  readonly name: string;
  /** The logical type: Parquet/Arrow, PostgreSQL and Athena column types follow from it (core/schema.ts). */
  readonly type: FieldType;
  /** `false` for fields a line must have (a `-` there rejects the line); nullable otherwise. */
  readonly nullable?: false;
  readonly parse: ParseKind;
  /** The AWS documentation's name of the log field, where it differs from `name`. */
  readonly aws?: string;
  /** The values AWS documents for a text field, when they are a closed set: any other value rejects the line. */
  readonly values?: readonly string[];
  /** One line that says what the field holds, with units. */
  readonly doc: string;
}

/** The TypeScript value of a non-null field. */
type ValueOf<F extends TableField> = F['parse'] extends 'extra'
  ? string[]
  : F['type'] extends 'int32' | 'int64' | 'double'
    ? number
    : F['type'] extends 'boolean'
      ? boolean
      : string;

/** The record type of a `const` field table: one property per row, `| null` unless the row says `nullable: false`. */
export type RecordOf<T extends readonly TableField[]> = {
  [F in T[number] as F['name']]: F extends { readonly nullable: false } ? ValueOf<F> : ValueOf<F> | null;
};

/** The logical type each parse kind produces. */
const TYPE_OF: Readonly<Record<ParseKind, FieldType>> = {
  string: 'string',
  'string-as-written': 'string',
  int32: 'int32',
  int64: 'int64',
  double: 'double',
  'iso-timestamp': 'timestamp',
  'clf-timestamp': 'timestamp',
  ip: 'string',
  port: 'int32',
  verb: 'string',
  url: 'string',
  proto: 'string',
  extra: 'json',
};

/** The decoder kind of the single-field parse kinds. */
const SINGLE_KINDS: Partial<Record<ParseKind, number>> = {
  string: KIND_STRING,
  'string-as-written': KIND_STRING_AS_WRITTEN,
  int32: KIND_INT32,
  int64: KIND_INT64,
  double: KIND_DOUBLE,
  'iso-timestamp': KIND_ISO_TIMESTAMP,
  'clf-timestamp': KIND_CLF_TIMESTAMP,
};

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * Checks a table and returns its decoder columns. A table is wrong (a programming error, thrown at load) when a
 * name is not a snake_case identifier or repeats, a type does not match the parse kind, `port` does not follow
 * `ip`, `url` and `proto` do not follow `verb`, or `extra` is not the single last row.
 */
function checkedColumns(table: readonly TableField[]): ColumnSpec[] {
  const columns: ColumnSpec[] = [];
  const seen = new Set<string>();
  const fail = (index: number, problem: string): never => {
    throw new Error(`field table: row ${index} ("${table[index]?.name}") ${problem}`);
  };
  const expect = (index: number, parse: ParseKind): void => {
    if (table[index]?.parse !== parse) fail(index, `must be a "${parse}" field`);
  };
  for (let index = 0; index < table.length; index++) {
    const row = table[index]!;
    if (!IDENTIFIER.test(row.name)) fail(index, 'is not a snake_case name');
    if (seen.has(row.name)) fail(index, 'is declared twice');
    seen.add(row.name);
    if (TYPE_OF[row.parse] !== row.type) fail(index, `is ${row.type}, but "${row.parse}" fields are ${TYPE_OF[row.parse]}`);
    if (row.values !== undefined && row.type !== 'string') fail(index, 'has values but is not a string');
    const single = SINGLE_KINDS[row.parse];
    if (single !== undefined) columns.push({ name: row.name, kind: single });
    else if (row.parse === 'ip') {
      expect(index + 1, 'port');
      columns.push({ name: table[index + 1]!.name, kind: KIND_IP_PORT });
    } else if (row.parse === 'port') expect(index - 1, 'ip');
    else if (row.parse === 'verb') {
      expect(index + 1, 'url');
      expect(index + 2, 'proto');
      columns.push({ name: row.aws ?? 'request', kind: KIND_REQUEST_LINE });
    } else if (row.parse === 'url') expect(index - 1, 'verb');
    else if (row.parse === 'proto') expect(index - 1, 'url');
    else if (row.parse === 'extra' && index !== table.length - 1) fail(index, 'must be the last row');
  }
  if (table[table.length - 1]?.parse !== 'extra') throw new Error('field table: the last row must be the "extra" field');
  return columns;
}

/** The declared schema of a table's records, in record order. */
export function schemaOf(table: readonly TableField[]): Schema {
  return schema(table.map((row) => field(row.name, row.type, { nullable: row.nullable ?? true, doc: row.doc })));
}

/** The decoder's column table: the documented log fields in log order, with how each is decoded. */
export function columnsOf(table: readonly TableField[]): readonly ColumnSpec[] {
  return checkedColumns(table);
}

/** The record builder signature: decoded slots (slot order = record order, `extra` excluded) and the extra tokens. */
export type RecordBuilder<R> = (slots: readonly SlotValue[], extra: string[] | null) => R;

/**
 * Compiles, once per table, a builder that makes the record with one object literal of the table's fields in
 * order: every record gets the same hidden class (monomorphic property access downstream), and building costs
 * what the hand-written literal did, not a loop over the fields per line. The names are checked identifiers
 * from the table (`checkedColumns`), never values from a log.
 */
export function compileRecordBuilder<const T extends readonly TableField[]>(table: T): RecordBuilder<RecordOf<T>> {
  checkedColumns(table);
  const properties = table.map((row, slot) => (row.parse === 'extra' ? `${row.name}: extra` : `${row.name}: v[${slot}]`));
  // Typed by construction: slot i holds the value of row i, decoded by the kind the table declares for it.
  return new Function('v', 'extra', `return { ${properties.join(', ')} };`) as RecordBuilder<RecordOf<T>>;
}

/** What a positional format adds to its table: its oldest layout's length and its own line rules. */
export interface PositionalOptions {
  /** Fewest fields a line may have (the oldest documented layout). */
  readonly minFields: number;
  /** Non-data lines to skip (ELB's test message); blank lines are always skipped. */
  readonly isSkipped?: (text: string) => boolean;
  /** `isSkipped` on a line's bytes (the byte-level columnar path); required with `isSkipped`. */
  readonly isSkippedBytes?: (bytes: Uint8Array, start: number, end: number) => boolean;
  /** The format's own field splitter, when the generic one does not fit (S3 access logs). */
  readonly tokenize?: (text: string, spans: TokenSpans, end: number) => number;
  /** `tokenize` on a line's bytes (byte spans); required with `tokenize`. */
  readonly tokenizeBytes?: (bytes: Uint8Array, spans: TokenSpans, start: number, end: number) => number;
}

/** The parser layout of a table: columns, required and enumerated checks and the record builder, all derived. */
export function positionalLayout<const T extends readonly TableField[]>(
  table: T,
  options: PositionalOptions,
): PositionalLayout<RecordOf<T>> {
  const required: RequiredSlot[] = [];
  const enumerated: EnumeratedSlot[] = [];
  table.forEach((row, slot) => {
    if (row.nullable === false) required.push({ slot, name: row.name });
    if (row.values !== undefined) enumerated.push({ slot, name: row.name, values: new Set(row.values) });
  });
  return {
    schema: schemaOf(table),
    columns: columnsOf(table),
    minFields: options.minFields,
    required,
    enumerated,
    ...(options.isSkipped === undefined ? {} : { isSkipped: options.isSkipped }),
    ...(options.tokenize === undefined ? {} : { tokenize: options.tokenize }),
    ...(options.isSkippedBytes === undefined ? {} : { isSkippedBytes: options.isSkippedBytes }),
    ...(options.tokenizeBytes === undefined ? {} : { tokenizeBytes: options.tokenizeBytes }),
    build: compileRecordBuilder(table),
  };
}

/** The columnar layout of a table: every field but `extra` fills a slot, in order. */
export function columnarLayout(table: readonly TableField[], eventTimeField: string): ColumnarLayout {
  return { slotFields: table.filter((row) => row.parse !== 'extra').map((row) => row.name), eventTimeField };
}
