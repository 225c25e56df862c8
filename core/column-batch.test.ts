import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ColumnBatchBuilder } from './column-batch-builder.js';
import { isColumnBatch } from './column-batch.js';
import { field } from './schema.js';

describe('ColumnBatch', () => {
  const fields = [
    field('name', 'string'),
    field('count', 'int32'),
    field('at', 'timestamp'),
    field('ok', 'boolean'),
    field('tags', 'json'),
  ];

  it('reads back the rows appended from bytes, numbers, nulls and record values', () => {
    const builder = new ColumnBatchBuilder(fields);
    const line = Buffer.from('xx alpha yy');
    builder.appendBytes(0, line, 3, 8);
    builder.appendNumber(1, 7);
    builder.appendValue(2, '2024-01-02T03:04:05.123456Z');
    builder.appendValue(3, true);
    builder.appendValue(4, ['a', 1]);
    builder.endRow(1);
    builder.appendValue(0, 'Ünïcödé');
    builder.appendNull(1);
    builder.appendNull(2);
    builder.appendNumber(3, 0);
    builder.appendNull(4);
    builder.endRow(2);
    const batch = builder.view();
    expect(batch.length).toBe(2);
    expect([...batch.timestamps]).toEqual([1, 2]);
    expect(batch.record(0)).toEqual({ name: 'alpha', count: 7, at: '2024-01-02T03:04:05.123456Z', ok: true, tags: ['a', 1] });
    expect(batch.record(1)).toEqual({ name: 'Ünïcödé', count: null, at: null, ok: false, tags: null });
  });

  it('keeps its buffers after clear, and grows past its first capacity', () => {
    const builder = new ColumnBatchBuilder([field('n', 'int64'), field('s', 'string')]);
    for (let row = 0; row < 3000; row++) {
      builder.appendNumber(0, row);
      builder.appendValue(1, `v${row}`);
      builder.endRow(row);
    }
    expect(builder.view().record(2999)).toEqual({ n: 2999, s: 'v2999' });
    builder.clear();
    builder.appendNumber(0, 5);
    builder.appendValue(1, 'again');
    builder.endRow(5);
    expect(builder.view().length).toBe(1);
    expect(builder.view().record(0)).toEqual({ n: 5, s: 'again' });
  });

  it('reads a column not appended for a row as null there, whatever rows are skipped, across growth and clear (property)', () => {
    const schema = [field('s', 'string'), field('n', 'int64'), field('t', 'string')];
    // Each cell: a value to append, an explicit null, or nothing (left out).
    const cell = fc.oneof(fc.constant<'skip'>('skip'), fc.constant(null), fc.string({ maxLength: 6 }));
    const row = fc.tuple(cell, fc.oneof(fc.constant<'skip'>('skip'), fc.constant(null), fc.integer({ min: -1000, max: 1000 })), cell);
    fc.assert(
      fc.property(fc.array(fc.array(row, { maxLength: 2500 }), { minLength: 1, maxLength: 3 }), (batches) => {
        const builder = new ColumnBatchBuilder(schema);
        for (const rows of batches) {
          builder.clear();
          for (const [index, values] of rows.entries()) {
            values.forEach((value, column) => {
              if (value === 'skip') return;
              if (value === null) builder.appendNull(column);
              else builder.appendValue(column, value);
            });
            builder.endRow(index);
          }
          const batch = builder.view();
          const expected = rows.map(([s, n, t]) => ({
            s: s === 'skip' ? null : s,
            n: n === 'skip' ? null : n,
            t: t === 'skip' ? null : t,
          }));
          expect(Array.from({ length: batch.length }, (_, index) => batch.record(index))).toEqual(expected);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('reads a text column left out of 3,000 rows in a row as null in each of them', () => {
    const builder = new ColumnBatchBuilder([field('n', 'int64'), field('s', 'string')]);
    builder.appendValue(1, 'first');
    builder.endRow(0);
    for (let row = 1; row < 3000; row++) {
      builder.appendNumber(0, row);
      builder.endRow(row);
    }
    builder.appendNumber(0, 3000);
    builder.appendValue(1, 'last');
    builder.endRow(3000);
    const batch = builder.view();
    const records = Array.from({ length: batch.length }, (_, index) => batch.record(index));
    expect(records[0]).toEqual({ n: null, s: 'first' });
    expect(records.slice(1, 3000).every((record, index) => record['n'] === index + 1 && record['s'] === null)).toBe(true);
    expect(records[3000]).toEqual({ n: 3000, s: 'last' });
  });

  it('appends a rewritten value in place, and keeps nothing of one the rewrite gives up on', () => {
    const builder = new ColumnBatchBuilder(fields);
    // Upper-cases, or gives up (after writing) on a value holding `!`.
    const shout = (source: Uint8Array, start: number, end: number, target: Uint8Array, at: number): number => {
      for (let i = start; i < end; i++) {
        if (source[i] === 33) return -1;
        target[at++] = source[i]! & ~0x20;
      }
      return at;
    };
    const source = Buffer.from('abc!de');
    expect(builder.appendRewritten(0, source, 0, 3, shout)).toBe(true);
    builder.endRow(1);
    expect(builder.appendRewritten(0, source, 1, 5, shout)).toBe(false);
    builder.endRow(2);
    expect(builder.appendRewritten(0, source, 1, 5, shout)).toBe(false);
    builder.appendBytes(0, source, 4, 6);
    builder.endRow(3);
    expect(builder.appendRewritten(0, source, 4, 6, shout)).toBe(true);
    builder.endRow(4);
    const batch = builder.view();
    expect([0, 1, 2, 3].map((row) => batch.record(row).name)).toEqual(['ABC', null, 'de', 'DE']);
    expect(batch.columns[0]!.nullCount).toBe(1);
  });

  it('is recognised by brand, so a batch from another copy of the module still counts as one', () => {
    const builder = new ColumnBatchBuilder(fields);
    expect(isColumnBatch(builder.view())).toBe(true);
    expect(isColumnBatch({ length: 3, columns: [] })).toBe(false);
    expect(isColumnBatch({ ...builder.view(), [Symbol.for('logbeam.ColumnBatch')]: true })).toBe(true);
    expect(isColumnBatch(null)).toBe(false);
  });
});
