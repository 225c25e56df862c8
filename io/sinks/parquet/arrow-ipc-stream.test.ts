import {
  Bool,
  type Data,
  Field as ArrowField,
  Float64,
  Int32,
  Int64,
  makeData,
  RecordBatch,
  Schema as ArrowSchema,
  Struct,
  Table,
  tableFromIPC,
  tableToIPC,
  TimestampMicrosecond,
  Utf8,
} from 'apache-arrow';
import fc from 'fast-check';
import { createRequire } from 'node:module';
import { field, type Field, type FieldType } from '../../../core/schema.js';
import { recordBatchStream, schemaMessage } from './arrow-ipc-stream.js';
import { type ColumnChunk, columnBuilder } from './column-builders.js';

const TYPES: readonly FieldType[] = ['string', 'json', 'int32', 'int64', 'double', 'boolean', 'timestamp'];

function arbitraryOf(type: FieldType): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return fc.string({ unit: 'grapheme', maxLength: 12 });
    case 'json':
      return fc.oneof(fc.integer(), fc.string({ maxLength: 6 }), fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }));
    case 'int32':
      return fc.integer();
    case 'int64':
    case 'timestamp':
      return fc.maxSafeInteger();
    case 'double':
      return fc.double();
    case 'boolean':
      return fc.boolean();
  }
}

interface Case {
  readonly fields: Field[];
  readonly rows: unknown[][];
}

const cases: fc.Arbitrary<Case> = fc
  .array(fc.record({ type: fc.constantFrom(...TYPES), nullable: fc.boolean() }), { minLength: 1, maxLength: 7 })
  .chain((columns) => {
    const fields = columns.map((column, index) => field(`c${index}_${column.type}`, column.type, { nullable: column.nullable }));
    const row = fc.tuple(
      ...fields.map((declared) =>
        declared.nullable ? fc.option(arbitraryOf(declared.type), { nil: null, freq: 3 }) : arbitraryOf(declared.type),
      ),
    );
    return fc.record({ fields: fc.constant(fields), rows: fc.array(row, { maxLength: 70 }) });
  });

/** The column chunks the sink's builders produce for these rows. */
function chunksOf(fields: readonly Field[], rows: readonly unknown[][]): ColumnChunk[] {
  const builders = fields.map(columnBuilder);
  for (const row of rows)
    builders.forEach((builder, index) => {
      builder.append(row[index]);
    });
  return builders.map((builder) => builder.finish());
}

function packed(bytes: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array((length + 7) >> 3);
  for (let i = 0; i < length; i++) if (bytes[i] !== 0) out[i >> 3]! |= 1 << (i & 7);
  return out;
}

function int64Words(values: Float64Array, length: number): BigInt64Array {
  return BigInt64Array.from(Array.from(values.subarray(0, length), (value) => BigInt(value)));
}

/** apache-arrow Data over a chunk's buffers, as the previous encoder built it. */
function arrowData(declared: Field, chunk: ColumnChunk): Data {
  const nullBitmap = chunk.nullCount === 0 ? new Uint8Array(0) : packed(chunk.valid, chunk.length);
  const base = { length: chunk.length, nullCount: chunk.nullCount, nullBitmap };
  switch (chunk.layout) {
    case 'utf8':
      return makeData({ ...base, type: new Utf8(), valueOffsets: chunk.offsets, data: chunk.bytes });
    case 'int32':
      return makeData({ ...base, type: new Int32(), data: chunk.values });
    case 'float64':
      return makeData({ ...base, type: new Float64(), data: chunk.values });
    case 'bool':
      return makeData({ ...base, type: new Bool(), data: packed(chunk.values, chunk.length) });
    case 'int64':
      return declared.type === 'timestamp'
        ? makeData({ ...base, type: new TimestampMicrosecond('UTC'), data: int64Words(chunk.values, chunk.length) })
        : makeData({ ...base, type: new Int64(), data: int64Words(chunk.values, chunk.length) });
  }
}

/** The previous encoder's path: apache-arrow Data over the same buffers, serialised by `tableToIPC`. */
function apacheArrowStream(fields: readonly Field[], chunks: readonly ColumnChunk[], length: number): Uint8Array {
  const children = chunks.map((chunk, index) => arrowData(fields[index]!, chunk));
  const schema = new ArrowSchema(children.map((data, index) => new ArrowField(fields[index]!.name, data.type, fields[index]!.nullable)));
  const batch = new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length, nullCount: 0, children }));
  return tableToIPC(new Table([batch]), 'stream');
}

/** Every cell as a comparable value: int64 columns as BigInt words, the rest as apache-arrow returns them. */
function cells(table: Table): unknown[][] {
  return table.schema.fields.map((_field, column) => {
    const vector = table.getChildAt(column)!;
    return Array.from({ length: table.numRows }, (_, row) => {
      if (!vector.isValid(row)) return null;
      const type = vector.type as { bitWidth?: number; unit?: number };
      if (type.bitWidth === 64 || type.unit !== undefined) return (vector.data[0]!.values as BigInt64Array)[row];
      return vector.get(row);
    });
  });
}

/** What a reader must see for a declared value (independent of the encoder). */
function expected(declared: Field, value: unknown): unknown {
  if (value === null) return null;
  switch (declared.type) {
    case 'json':
      return JSON.stringify(value);
    case 'int64':
    case 'timestamp':
      return BigInt(value as number);
    default:
      return value;
  }
}

describe('Arrow IPC stream from column buffers', () => {
  it('reads back (apache-arrow reader) equal to the input rows and to apache-arrow`s own writer, for every column type with nulls', () => {
    fc.assert(
      fc.property(cases, ({ fields, rows }) => {
        const chunks = chunksOf(fields, rows);
        const ours = tableFromIPC(recordBatchStream(schemaMessage(fields), chunks, rows.length));
        const theirs = tableFromIPC(apacheArrowStream(fields, chunks, rows.length));
        expect(ours.numRows).toBe(rows.length);
        expect(ours.schema.fields.map((f) => [f.name, String(f.type), f.nullable])).toEqual(
          theirs.schema.fields.map((f) => [f.name, String(f.type), f.nullable]),
        );
        const read = cells(ours);
        expect(read).toEqual(cells(theirs));
        fields.forEach((declared, column) => {
          expect(read[column]).toEqual(rows.map((row) => expected(declared, row[column])));
        });
      }),
      { numRuns: 300 },
    );
  });

  it('is accepted by parquet-wasm, batch after batch with the same schema message', () => {
    const wasm = createRequire(import.meta.url)('parquet-wasm/node') as typeof import('parquet-wasm/node');
    const fields = [field('name', 'string'), field('n', 'int64', { nullable: false }), field('t', 'timestamp'), field('ok', 'boolean')];
    const schema = schemaMessage(fields);
    for (const length of [0, 1, 9, 1000]) {
      const rows = Array.from({ length }, (_, i) => [
        i % 3 === 0 ? null : `v${i}`,
        2 ** 40 + i,
        i % 4 === 0 ? null : i * 1000,
        i % 2 === 0,
      ]);
      const table = wasm.Table.fromIPCStream(recordBatchStream(schema, chunksOf(fields, rows), length));
      expect(table.numBatches).toBe(1);
      const back = tableFromIPC(table.intoIPCStream());
      expect(cells(back)).toEqual(fields.map((declared, column) => rows.map((row) => expected(declared, row[column]))));
    }
  });
});
