/**
 * @module direct/group-batch
 * A combine's groups as a `ColumnBatch`: the key as text, then the numbers of the flat accumulator's output
 * (`FlatOutput`), every row with the window's max timestamp. The batch's fields are `groupBatchFields` of the
 * step (execution/batch-edges.ts), which the planner checked its consumers take. One builder is reused for a
 * store's batches: a batch is valid while it is delivered, as every batch is.
 */
import type { FlatOutput } from '../../core/combine-fn.js';
import type { ColumnBatch } from '../../core/column-batch.js';
import { ColumnBatchBuilder } from '../../core/column-batch-builder.js';
import type { Field } from '../../core/schema.js';
import type { Micros } from '../../core/time.js';

/** Rows per batch: large enough that the per-batch work is negligible, small enough to stay in cache. */
export const GROUP_BATCH_ROWS = 4096;

export class GroupBatchBuilder {
  private readonly builder: ColumnBatchBuilder;
  private readonly values: Float64Array;

  constructor(
    fields: readonly Field[],
    private readonly output: FlatOutput,
  ) {
    if (fields.length !== 1 + output.fields.length)
      throw new Error(`a group batch has the key and ${output.fields.length} output fields, not ${fields.length - 1}`);
    this.builder = new ColumnBatchBuilder(fields);
    this.values = new Float64Array(output.fields.length);
  }

  get length(): number {
    return this.builder.length;
  }

  /** Adds the group whose key is the ASCII text `key[start, end)` and whose accumulator is at `slots[at, ...)`. */
  add(key: Uint8Array, start: number, end: number, slots: Float64Array, at: number, timestamp: Micros): void {
    const builder = this.builder;
    const values = this.values;
    builder.appendBytes(0, key, start, end);
    this.output.write(slots, at, values);
    for (let i = 0; i < values.length; i++) builder.appendNumber(1 + i, values[i]!);
    builder.endRow(timestamp);
  }

  /** The rows added since the last `take`, as a batch valid until the next `add`; starts the next batch. */
  take(): ColumnBatch {
    const batch = this.builder.view();
    this.builder.clear();
    return batch;
  }
}
