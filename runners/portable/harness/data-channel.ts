/**
 * @module portable/harness/data-channel
 * The Fn API data plane of one SDK harness: one bidirectional `BeamFnData.Data` stream per data endpoint.
 * Incoming chunks are queued per (instruction, transform) in arrival order, whether they arrive before or
 * after the bundle starts, and are consumed strictly in order until `is_last`; elements may span chunks (the
 * reader keeps the remainder). Outgoing data is sent in chunks below `OUTBOUND_CHUNK_BYTES`.
 */
import * as grpc from '@grpc/grpc-js';
import { GRPC_OPTIONS, type BeamProtos } from '../beam-protos.js';

/** Outgoing data is flushed in chunks of about this size (well below any gRPC limit). */
export const OUTBOUND_CHUNK_BYTES = 1 << 20;

interface DataEntry {
  instruction_id: string;
  transform_id: string;
  data: Buffer;
  is_last: boolean;
}

/** The chunks of one input of one bundle. */
export class InboundQueue {
  private readonly chunks: Buffer[] = [];
  private finished = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  push(data: Buffer, isLast: boolean): void {
    if (data.length > 0) this.chunks.push(data);
    if (isLast) this.finished = true;
    this.wake?.();
  }

  fail(error: Error): void {
    this.failure = error;
    this.wake?.();
  }

  /** The next chunk, or `undefined` after the last one. */
  async next(): Promise<Buffer | undefined> {
    for (;;) {
      if (this.failure !== undefined) throw this.failure;
      const chunk = this.chunks.shift();
      if (chunk !== undefined) return chunk;
      if (this.finished) return undefined;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
  }
}

export class DataChannel {
  private readonly stream: grpc.ClientDuplexStream<Record<string, unknown>, Record<string, unknown>>;
  private readonly client: grpc.Client;
  private readonly queues = new Map<string, InboundQueue>();
  private closed: Error | undefined;

  constructor(url: string, workerId: string, protos: BeamProtos) {
    const Client = protos.client('fn_execution.v1.BeamFnData');
    this.client = new Client(url, grpc.credentials.createInsecure(), GRPC_OPTIONS);
    const metadata = new grpc.Metadata();
    metadata.set('worker_id', workerId);
    this.stream = (
      this.client as unknown as { Data(metadata: grpc.Metadata): grpc.ClientDuplexStream<Record<string, unknown>, Record<string, unknown>> }
    ).Data(metadata);
    this.stream.on('data', (message: { data?: DataEntry[] }) => {
      for (const entry of message.data ?? []) this.queue(entry.instruction_id, entry.transform_id).push(entry.data, entry.is_last);
    });
    const end = (error: Error): void => {
      this.closed = error;
      for (const queue of this.queues.values()) queue.fail(error);
    };
    this.stream.on('error', (error: Error) => end(new Error(`the data channel to ${url} failed: ${error.message}`)));
    this.stream.on('end', () => end(new Error(`the runner closed the data channel to ${url}`)));
  }

  /** The queue of one bundle input (created on first use by either side). */
  queue(instructionId: string, transformId: string): InboundQueue {
    const key = `${instructionId}\u0000${transformId}`;
    let queue = this.queues.get(key);
    if (queue === undefined) {
      queue = new InboundQueue();
      if (this.closed !== undefined) queue.fail(this.closed);
      this.queues.set(key, queue);
    }
    return queue;
  }

  /** Forgets a bundle's queues. */
  release(instructionId: string): void {
    for (const key of this.queues.keys()) if (key.startsWith(`${instructionId}\u0000`)) this.queues.delete(key);
  }

  /** Sends one chunk; resolves when the stream can take more (backpressure). */
  send(instructionId: string, transformId: string, data: Buffer, isLast: boolean): Promise<void> | undefined {
    if (this.closed !== undefined) throw this.closed;
    const ok = this.stream.write({ data: [{ instruction_id: instructionId, transform_id: transformId, data, is_last: isLast }] });
    return ok ? undefined : new Promise((resolve) => this.stream.once('drain', () => resolve()));
  }

  close(): void {
    this.stream.end();
    this.client.close();
  }
}
