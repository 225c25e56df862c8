/**
 * @module portable/harness/data-channel
 * The Fn API data plane of one SDK harness: one bidirectional `BeamFnData.Data` stream per data endpoint.
 * Incoming chunks are queued per (instruction, transform) in arrival order, whether they arrive before or
 * after the bundle starts, and are consumed strictly in order until `is_last`; elements may span chunks (the
 * reader keeps the remainder). Outgoing data is sent in chunks below `OUTBOUND_CHUNK_BYTES`.
 *
 * Backpressure is advisory: a bundle waits for the stream to drain at most `OUTBOUND_STALL_MS`, then goes on and
 * gRPC buffers its output in memory until the runner reads it. Waiting longer can deadlock: Beam's Java runners
 * (Flink) queue at most 100 data messages per bundle and read that queue only after the harness has answered
 * `process_bundle`, and the one gRPC thread that fills the queue blocks the whole data stream while it is full.
 */
import * as grpc from '@grpc/grpc-js';
import { GRPC_OPTIONS, type BeamProtos } from '../beam-protos.js';
import { positiveSetting } from './positive-setting.js';

/**
 * Outgoing data is flushed in chunks of about this size (well below any gRPC limit). `LOGBEAM_HARNESS_CHUNK_BYTES`
 * overrides it (tests use tiny chunks to put many messages on the wire with little data).
 */
export const OUTBOUND_CHUNK_BYTES = chunkBytes(process.env['LOGBEAM_HARNESS_CHUNK_BYTES']);

/** How long a write waits for the runner to take data before the channel stops waiting (until the next drain). */
export const OUTBOUND_STALL_MS = 1000;

function chunkBytes(setting: string | undefined): number {
  return positiveSetting('LOGBEAM_HARNESS_CHUNK_BYTES', setting, 1 << 20, 'bytes');
}

interface DataEntry {
  instruction_id: string;
  transform_id: string;
  data: Buffer;
  is_last: boolean;
}

/** The chunks of one input of one bundle. */
export class InboundQueue {
  private readonly chunks: Buffer[] = [];
  private finishedInput = false;
  /** Chunks received so far (a watchdog's measure of progress). */
  received = 0;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  push(data: Buffer, isLast: boolean): void {
    this.received++;
    if (data.length > 0) this.chunks.push(data);
    if (isLast) this.finishedInput = true;
    this.wake?.();
  }

  /** Whether the runner sent `is_last`. */
  get finished(): boolean {
    return this.finishedInput;
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
      if (this.finishedInput) return undefined;
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
  /** Set when a wait for the stream to drain timed out; cleared by the next drain. */
  private stalled = false;
  private waiting: Promise<void> | undefined;
  /** Data messages written, and waits for a drain that timed out (for the watchdog and tests). */
  sent = 0;
  stalls = 0;

  constructor(
    readonly url: string,
    workerId: string,
    protos: BeamProtos,
  ) {
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
    this.stream.on('drain', () => {
      this.stalled = false;
    });
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

  /**
   * Sends one chunk; returns a promise when the stream pushes back, which resolves when it drains or after
   * `OUTBOUND_STALL_MS` (then later writes do not wait until the stream drains again).
   */
  send(instructionId: string, transformId: string, data: Buffer, isLast: boolean): Promise<void> | undefined {
    if (this.closed !== undefined) throw this.closed;
    const ok = this.stream.write({ data: [{ instruction_id: instructionId, transform_id: transformId, data, is_last: isLast }] });
    this.sent++;
    if (ok || this.stalled) return undefined;
    this.waiting ??= new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.stream.off('drain', done);
        this.waiting = undefined;
        resolve();
      };
      const timer = setTimeout(() => {
        this.stalled = true;
        this.stalls++;
        done();
      }, OUTBOUND_STALL_MS);
      this.stream.on('drain', done);
    });
    return this.waiting;
  }

  /** Whether a write waits for the runner to read (until it does, or for at most `OUTBOUND_STALL_MS`). */
  get writeWaiting(): boolean {
    return this.waiting !== undefined;
  }

  /** What the channel holds back: messages gRPC buffers because the runner is not reading. */
  describe(): string {
    const buffered = this.stream.writableLength;
    const state =
      this.waiting !== undefined ? ', a write waits for the runner to read' : this.stalled ? ' (the runner is not reading them)' : '';
    return `data channel ${this.url}: ${this.sent} message(s) sent, ${buffered} buffered${state}`;
  }

  close(): void {
    this.stream.end();
    this.client.close();
  }
}
