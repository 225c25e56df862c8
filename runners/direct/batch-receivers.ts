/**
 * @module direct/batch-receivers
 * The receivers of the edges `planBatchEdges` chose: a collection that counts a batch as its rows, a ParDo
 * that hands batches to `processBatch`, and a write that hands them to `writeBatch`. Records may still arrive
 * on these edges (a line the columnar parser leaves to the record path is emitted as a record), so each tells
 * the two apart per element.
 */
import type { BatchCapableDoFn, BatchOutput, BatchSinkWriter } from '../../core/batch-capability.js';
import { isColumnBatch, type ColumnBatch } from '../../core/column-batch.js';
import type { Micros } from '../../core/time.js';
import { GLOBAL_WINDOW, type Window } from '../../core/window.js';
import { Fanout, ParDoReceiver, type Receiver } from './receivers.js';

/** A collection that carries batches: a batch counts as its rows. */
export class BatchFanout extends Fanout {
  override receive(value: unknown, timestamp: Micros, window: Window): void {
    this.count += isColumnBatch(value) ? value.length : 1;
    const targets = this.targets;
    for (let i = 0; i < targets.length; i++) targets[i]!.receive(value, timestamp, window);
  }
}

/** Runs a batch-capable DoFn: batches go to `processBatch`, records to `process`. */
export class BatchParDoReceiver extends ParDoReceiver implements BatchOutput {
  constructor(
    label: string,
    private readonly batchDoFn: BatchCapableDoFn<unknown, unknown>,
    private readonly mainOutput: Fanout,
    tagged: ReadonlyMap<string, Fanout>,
  ) {
    super(label, batchDoFn, mainOutput, tagged);
  }

  override receive(value: unknown, timestamp: Micros, window: Window): void {
    if (isColumnBatch(value)) this.batchDoFn.processBatch(value, this);
    else super.receive(value, timestamp, window);
  }

  outputBatch(batch: ColumnBatch): void {
    // Each row keeps its own event time (`batch.timestamps`); batches travel in the global window.
    this.mainOutput.receive(batch, 0, GLOBAL_WINDOW);
  }
}

/** Hands batches to `writeBatch` and records to `write`. */
export class BatchWriteReceiver implements Receiver {
  constructor(readonly writer: BatchSinkWriter<unknown>) {}

  receive(value: unknown, timestamp: Micros, window: Window): void {
    if (isColumnBatch(value)) this.writer.writeBatch(value);
    else this.writer.write(value, timestamp, window);
  }
}
