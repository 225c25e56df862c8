/**
 * @module execution/batch-operators
 * The operators of the edges `planBatchEdges` chose: a collection that counts a batch as its rows, a ParDo that
 * hands batches to `processBatch` or `mapBatch`, one that hands them to `processRows`, and a write that hands them
 * to `writeBatch`. Records may still arrive on these edges (a line the columnar parser leaves to the record path
 * is emitted as a record; a group whose key is not ASCII text), so each tells the two apart per element.
 */
import { isBatchSinkWriter, type BatchOutput, type BatchReadingDoFn, type RowOutput } from '../core/batch-capability.js';
import { isColumnBatch, type ColumnBatch } from '../core/column-batch.js';
import type { DoFn } from '../core/dofn.js';
import type { SinkWriter } from '../core/sink.js';
import type { TupleKeyBuilder } from '../core/tuple-key-builder.js';
import type { Micros } from '../core/time.js';
import { GLOBAL_WINDOW, type Window } from '../core/window.js';
import { Fanout } from './fanout.js';
import { ParDoOperator } from './pardo-operator.js';
import { WriteOperator } from './write-operator.js';

/** A collection that carries batches: a batch counts as its rows. */
export class BatchFanout extends Fanout {
  override receive(value: unknown, timestamp: Micros, window: Window): void {
    this.count += isColumnBatch(value) ? value.length : 1;
    const targets = this.targets;
    for (let i = 0; i < targets.length; i++) targets[i]!.receive(value, timestamp, window);
  }
}

/**
 * Runs a DoFn that takes batches and emits batches: batches go to `handleBatch` (the DoFn's `processBatch`, or
 * its `mapBatch` for a batch-mapping DoFn), records to `process`.
 */
export class BatchParDoOperator extends ParDoOperator implements BatchOutput {
  constructor(
    label: string,
    doFn: DoFn<unknown, unknown>,
    private readonly handleBatch: (batch: ColumnBatch, output: BatchOutput) => void,
    private readonly mainOutput: Fanout,
    tagged: ReadonlyMap<string, Fanout>,
  ) {
    super(label, doFn, mainOutput, tagged);
  }

  override receive(value: unknown, timestamp: Micros, window: Window): void {
    if (isColumnBatch(value)) this.handleBatch(value, this);
    else super.receive(value, timestamp, window);
  }

  outputBatch(batch: ColumnBatch): void {
    // Each row keeps its own event time (`batch.timestamps`); batches travel in the global window.
    this.mainOutput.receive(batch, 0, GLOBAL_WINDOW);
  }
}

/** Runs a batch-reading DoFn: batches go to `processRows` (each row's outputs keep its event time), records to `process`. */
export class BatchReadingParDoOperator extends ParDoOperator implements RowOutput<unknown> {
  private timestamps: Float64Array = new Float64Array(0);

  constructor(
    label: string,
    private readonly readingDoFn: BatchReadingDoFn<unknown, unknown>,
    private readonly mainOutput: Fanout,
    tagged: ReadonlyMap<string, Fanout>,
  ) {
    super(label, readingDoFn, mainOutput, tagged);
  }

  override receive(value: unknown, timestamp: Micros, window: Window): void {
    if (!isColumnBatch(value)) {
      super.receive(value, timestamp, window);
      return;
    }
    this.timestamps = value.timestamps;
    this.window = window;
    this.readingDoFn.processRows(value, this);
  }

  outputRow(row: number, value: unknown): void {
    this.mainOutput.receive(value, this.timestamps[row]!, this.window);
  }

  outputKeyedRow(row: number, keys: TupleKeyBuilder, value: unknown): void {
    this.mainOutput.receiveKeyed(keys, value, this.timestamps[row]!, this.window);
  }
}

/** Hands batches to `writeBatch` and records to `write`; its writer must be a `BatchSinkWriter`. */
export class BatchWriteOperator extends WriteOperator {
  override open(writer: SinkWriter<unknown>): void {
    if (!isBatchSinkWriter(writer))
      throw new Error(`step "${this.label}": its sink accepts record batches, but its writer has no writeBatch`);
    super.open(writer);
  }

  override receive(value: unknown, timestamp: Micros, window: Window): void {
    if (!isColumnBatch(value)) {
      super.receive(value, timestamp, window);
      return;
    }
    const writer = this.writer;
    if (writer === undefined || !isBatchSinkWriter(writer))
      throw new Error(`step "${this.label}" received a record batch with no batch writer open`);
    writer.writeBatch(value);
  }
}
