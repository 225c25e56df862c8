/**
 * @module execution/write-operator
 * Hands elements to a sink writer (`BatchWriteOperator` on a batch edge). The runner opens the writer: the
 * direct runner one per phase and thread, the portable harness one per bundle.
 */
import type { SinkWriter } from '../core/sink.js';
import type { Micros } from '../core/time.js';
import type { Window } from '../core/window.js';
import type { Receiver } from './receiver.js';

export class WriteOperator implements Receiver {
  private current: SinkWriter<unknown> | undefined;

  constructor(readonly label: string) {}

  /** The open writer, if any. */
  get writer(): SinkWriter<unknown> | undefined {
    return this.current;
  }

  open(writer: SinkWriter<unknown>): void {
    if (this.current !== undefined) throw new Error(`step "${this.label}" already has an open writer`);
    this.current = writer;
  }

  receive(value: unknown, timestamp: Micros, window: Window): void {
    const writer = this.current;
    if (writer === undefined) throw new Error(`step "${this.label}" received an element with no open writer`);
    writer.write(value, timestamp, window);
  }

  /** A promise when the writer must flush before more input is pushed. */
  drain(): Promise<void> | undefined {
    return this.current?.drain();
  }

  /** Closes the writer and returns its result (for the sink's commit). */
  async close(): Promise<unknown> {
    const writer = this.current;
    if (writer === undefined) throw new Error(`step "${this.label}" has no open writer to close`);
    this.current = undefined;
    return writer.close();
  }

  /** Discards what the writer staged; never throws. */
  async abort(): Promise<void> {
    const writer = this.current;
    this.current = undefined;
    await writer?.abort().catch(() => undefined);
  }
}
