import { describe, expect, it } from '@jest/globals';
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

  it('is recognised by brand, so a batch from another copy of the module still counts as one', () => {
    const builder = new ColumnBatchBuilder(fields);
    expect(isColumnBatch(builder.view())).toBe(true);
    expect(isColumnBatch({ length: 3, columns: [] })).toBe(false);
    expect(isColumnBatch({ ...builder.view(), [Symbol.for('logbeam.ColumnBatch')]: true })).toBe(true);
    expect(isColumnBatch(null)).toBe(false);
  });
});
