/**
 * @module portable/harness/data-sink
 * A bundle's output to the engine (`beam:runner:sink:v1`): encodes elements into bounded chunks on the data
 * channel, waits (a bounded time, see data-channel) when it pushes back, and ends the stream with `is_last`
 * without waiting: the runner may read a bundle's output only after the bundle's response.
 */
import type { Micros } from '../../../core/time.js';
import type { Window } from '../../../core/window.js';
import { type WindowedValueCodec, Writer } from '../wire-format.js';
import type { BundleContext, BundleOperator } from './bundle-operator.js';
import { type DataChannel, OUTBOUND_CHUNK_BYTES } from './data-channel.js';

export class DataSink implements BundleOperator {
  private readonly writer = new Writer();
  private instructionId = '';
  private pending: Promise<void>[] = [];

  constructor(
    readonly transformId: string,
    private readonly codec: WindowedValueCodec,
    readonly channel: DataChannel,
  ) {}

  startBundle(bundle: BundleContext): void {
    this.instructionId = bundle.instructionId;
  }

  receive(value: unknown, timestamp: Micros, window: Window): void {
    this.codec.write(this.writer, value, timestamp, window);
    if (this.writer.length >= OUTBOUND_CHUNK_BYTES) {
      const sent = this.channel.send(this.instructionId, this.transformId, this.writer.take(), false);
      if (sent !== undefined) this.pending.push(sent);
    }
  }

  /** Backpressure from the gRPC stream. */
  drain(): Promise<void> | undefined {
    if (this.pending.length === 0) return undefined;
    const pending = this.pending;
    this.pending = [];
    return Promise.all(pending).then(() => undefined);
  }

  async close(): Promise<void> {
    await this.drain();
    void this.channel.send(this.instructionId, this.transformId, this.writer.take(), true);
  }
}
