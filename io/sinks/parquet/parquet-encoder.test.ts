import fc from 'fast-check';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { field, type Field, type FieldType } from '../../../core/schema.js';
import { duckdb, sqlString } from '../testing/read-output.js';
import { createRequire } from 'node:module';
import type { ParquetWriterKind } from './choose-parquet-writer.js';
import { parquetWritersUnderTest, useParquetWriter } from '../testing/parquet-writers-under-test.js';
import { createParquetEncoder } from './parquet-encoder.js';

const TYPES: readonly FieldType[] = ['string', 'json', 'int32', 'int64', 'double', 'boolean', 'timestamp'];

function arbitraryOf(type: FieldType): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return fc.string({ unit: 'grapheme', maxLength: 10 });
    case 'json':
      return fc.oneof(fc.integer(), fc.string({ maxLength: 6 }), fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }));
    case 'int32':
      return fc.integer();
    case 'int64':
      return fc.maxSafeInteger();
    case 'timestamp':
      // DuckDB's timestamp range: years 290309 BC to 294247 AD.
      return fc.integer({ min: -(2 ** 52), max: 2 ** 52 });
    case 'double':
      return fc.double({ noNaN: true });
    case 'boolean':
      return fc.boolean();
  }
}

/** What DuckDB must return for a value written to a column of this type (see `selectList`). */
function expected(type: FieldType, value: unknown): unknown {
  if (value === null) return null;
  switch (type) {
    case 'json':
      return JSON.stringify(value);
    case 'int64':
    case 'timestamp':
      return BigInt(value as number);
    case 'double':
      // -0 and 0 are equal doubles; DuckDB may return either for a stored -0 after statistics.
      return value === 0 ? 0 : value;
    default:
      return value;
  }
}

function selectList(fields: readonly Field[]): string {
  return fields
    .map((declared) => {
      const column = `"${declared.name}"`;
      if (declared.type === 'timestamp') return `epoch_us(${column}) AS ${column}`;
      if (declared.type === 'double') return `CASE WHEN ${column} = 0 THEN 0.0 ELSE ${column} END AS ${column}`;
      return column;
    })
    .join(', ');
}

const cases = fc
  .array(fc.record({ type: fc.constantFrom(...TYPES), nullable: fc.boolean() }), { minLength: 1, maxLength: 7 })
  .chain((columns) => {
    const fields = columns.map((column, index) => field(`c${index}`, column.type, { nullable: column.nullable }));
    const row = fc.tuple(
      ...fields.map((declared) =>
        declared.nullable ? fc.option(arbitraryOf(declared.type), { nil: null, freq: 3 }) : arbitraryOf(declared.type),
      ),
    );
    return fc.record({
      fields: fc.constant(fields),
      rows: fc.array(row, { maxLength: 300 }),
      flushEvery: fc.integer({ min: 1, max: 120 }),
      rowGroupRows: fc.integer({ min: 1, max: 200 }),
      dictionary: fc.boolean(),
    });
  });

describe.each(parquetWritersUnderTest())('Parquet encoder (%s writer)', (writer: ParquetWriterKind) => {
  useParquetWriter(writer);
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'parquet-encoder-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('writes files that DuckDB reads back equal to the rows, for every column type with nulls, over several row groups', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(cases, async ({ fields, rows, flushEvery, rowGroupRows, dictionary }) => {
        const chunks: Uint8Array[] = [];
        const encoder = createParquetEncoder<Record<string, unknown>>(
          fields,
          { compression: 'zstd', rowGroupRows, dictionary },
          async (chunk) => {
            chunks.push(Uint8Array.from(chunk));
          },
        );
        rows.forEach((row, index) => {
          encoder.append(Object.fromEntries(fields.map((declared, column) => [declared.name, row[column]])));
          if ((index + 1) % flushEvery === 0) void encoder.flush();
        });
        await encoder.finish();
        const path = join(directory, `case-${run++}.parquet`);
        await writeFile(path, Buffer.concat(chunks));
        const back = await duckdb(
          `SELECT ${selectList(fields)} FROM read_parquet(${sqlString(path)}, file_row_number=true) ORDER BY file_row_number`,
        );
        expect(back).toEqual(
          rows.map((row) => Object.fromEntries(fields.map((declared, column) => [declared.name, expected(declared.type, row[column])]))),
        );
        const groups = await duckdb(`SELECT count(DISTINCT row_group_id)::INTEGER AS n FROM parquet_metadata(${sqlString(path)})`);
        // The writer cuts row groups at rowGroupRows, whatever the flushes (they only hand batches over).
        expect(groups[0]!.n).toBe(Math.ceil(rows.length / rowGroupRows));
      }),
      { numRuns: 40 },
    );
  });

  (writer === 'wasm' ? it : it.skip)('copies one batch at a time into WASM memory however many flushes are queued', async () => {
    const wasm = createRequire(import.meta.url)('parquet-wasm/node') as typeof import('parquet-wasm/node');
    const fields = [field('id', 'int64', { nullable: false }), field('text', 'string', { nullable: false })];
    // About 2 MB of text per batch.
    const batchRows = 2000;
    let seed = 42;
    const text = (row: number): string => {
      let value = '';
      for (let i = 0; i < 128; i++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        value += (seed >>> 8).toString(36);
      }
      return `${row}:${value}`;
    };
    const rows = Array.from({ length: batchRows }, (_, row) => ({ id: row, text: text(row) }));
    let written = 0;
    const encoder = createParquetEncoder<{ id: number; text: string }>(
      fields,
      { compression: 'zstd', rowGroupRows: 2 * batchRows, dictionary: false },
      async (chunk) => {
        written += chunk.byteLength;
      },
    );
    encoder.append(rows[0]!);
    await encoder.flush();
    const before = wasm.wasmMemory().buffer.byteLength;
    // The sink flushes without waiting for the writer; here 40 batches (about 80 MB) are queued at once.
    const flushes: Promise<void>[] = [];
    for (let batch = 0; batch < 40; batch++) {
      for (const row of rows) encoder.append(row);
      flushes.push(encoder.flush());
    }
    await Promise.all(flushes);
    await encoder.finish();
    const grown = wasm.wasmMemory().buffer.byteLength - before;
    expect(written).toBeGreaterThan(1_000_000);
    // One batch in flight (its IPC copy and decoded arrays, about 4 MB) plus the row group being encoded.
    expect(grown).toBeLessThan(40 * 1024 * 1024);
  });
});
