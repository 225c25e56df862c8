/**
 * @module core/collect-sink
 * Gathers a collection's elements into the driver's memory: what `collect()` in tests uses. Writers on worker
 * threads return their elements as their result; `commit` concatenates them on the driver.
 */
import type { CommitSummary, Sink, SinkWriter } from './sink.js';
import type { Micros } from './time.js';
import type { Window } from './window.js';

/** An element with its event time and window, as collected. */
export interface TimestampedValue<T> {
  readonly value: T;
  readonly timestamp: Micros;
  readonly window: Window;
}

export class CollectSink<T> implements Sink<T> {
  readonly description = 'memory';
  private collected: TimestampedValue<T>[] | undefined;

  /** The collected elements; throws before the pipeline ran. */
  get elements(): readonly TimestampedValue<T>[] {
    if (this.collected === undefined) throw new Error('collect: the pipeline has not run yet; await run(pipeline) first');
    return this.collected;
  }

  async prepare(): Promise<void> {
    this.collected = undefined;
  }

  createWriter(): SinkWriter<T> {
    const buffer: TimestampedValue<T>[] = [];
    return {
      write: (value, timestamp, window) => {
        buffer.push({ value, timestamp, window: { start: window.start, end: window.end } });
      },
      drain: () => undefined,
      close: async () => buffer,
      abort: async () => {
        buffer.length = 0;
      },
    };
  }

  async commit(results: readonly unknown[]): Promise<CommitSummary> {
    this.collected = (results as TimestampedValue<T>[][]).flat();
    return { filesWritten: 0, bytesWritten: 0, rowsWritten: this.collected.length, partitions: [], location: 'memory' };
  }

  async abort(): Promise<void> {
    this.collected = undefined;
  }
}
