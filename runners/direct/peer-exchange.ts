/**
 * @module direct/peer-exchange
 * A worker thread's links to the other workers for the partitioned shuffle: one MessagePort per peer. Batches
 * travel as serialised ArrayBuffers (see exchange-codec), copied rather than transferred (see `send`); each is acknowledged once the receiver has added it
 * to its stores, and a sender holds at most `MAX_IN_FLIGHT` unacknowledged batches per peer (its reads pause
 * meanwhile), so a slow peer bounds what waits in its queue. After a phase, a worker sends `end` for the next
 * phase to every peer; port messages arrive in order, so once every peer's `end` for phase p has come, every
 * group of phase p's stores is in.
 */
import type { MessagePort } from 'node:worker_threads';
import type { BatchKind } from './exchange-batch.js';
import { decodeBatch, encodeBatch } from './exchange-codec.js';

const MAX_IN_FLIGHT = 4;

/** Messages between two workers; a batch's layout is given by its kind (see exchange-batch). */
export type PeerMessage =
  | { readonly type: 'batch'; readonly store: string; readonly kind: BatchKind; readonly bytes: ArrayBuffer }
  | { readonly type: 'end'; readonly phase: number }
  | { readonly type: 'ack' };

/** Adds a decoded batch of `kind` to the local store `store`. */
export type BatchAbsorber = (store: string, kind: BatchKind, items: unknown[]) => void;

export class PeerExchange {
  private readonly inFlight: number[];
  private readonly ends = new Map<number, number>();
  private waiters: Array<() => void> = [];
  private phaseWaiters: Array<{ phase: number; resolve: () => void; reject: (error: Error) => void }> = [];
  private failure: Error | undefined;
  /** Bytes sent to peers (for the run's metrics). */
  bytesSent = 0;

  /** `ports[i]` links to worker i; `undefined` at this worker's own index. */
  constructor(
    private readonly ports: ReadonlyArray<MessagePort | undefined>,
    private readonly absorb: BatchAbsorber,
    private readonly onError: (error: Error) => void,
  ) {
    this.inFlight = ports.map(() => 0);
    for (const port of ports) port?.on('message', (message: PeerMessage) => this.receive(port, message));
  }

  /** How many workers take part (this one included). */
  get workers(): number {
    return this.ports.length;
  }

  send(to: number, store: string, kind: BatchKind, items: readonly unknown[]): void {
    const port = this.ports[to];
    if (port === undefined) throw new Error(`worker ${to} is this worker: its groups are not sent`);
    const bytes = encodeBatch(items);
    this.bytesSent += bytes.byteLength;
    this.inFlight[to]!++;
    // Copied, not transferred: the first ArrayBuffer a thread detaches (a transfer does) invalidates V8's
    // "no buffer was ever detached" assumption in that isolate, and every optimised function that reads a typed
    // array (the tokenizers, parsers, column builders) was thrown away and compiled again with detach checks.
    // VPC egress on two workers: 390 optimised compiles instead of 324, and 5% more CPU. A copy of the batch costs
    // a memcpy (~30 MB per worker for 256 MB of flow logs).
    port.postMessage({ type: 'batch', store, kind, bytes } satisfies PeerMessage);
  }

  /** Tells every peer that this worker sent all it had for the stores of `phase`. */
  endPhase(phase: number): void {
    for (const port of this.ports) port?.postMessage({ type: 'end', phase } satisfies PeerMessage);
  }

  /** Resolves once every peer sent `end` for `phase`. */
  allSentFor(phase: number): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if ((this.ends.get(phase) ?? 0) === this.ports.length - 1) return Promise.resolve();
    return new Promise((resolve, reject) => this.phaseWaiters.push({ phase, resolve, reject }));
  }

  /** Resolves once no peer holds too many unacknowledged batches; `undefined` when no wait is needed. */
  backpressure(): Promise<void> | undefined {
    if (this.inFlight.every((count) => count < MAX_IN_FLIGHT)) return undefined;
    return new Promise<void>((resolve) => this.waiters.push(resolve)).then(() => this.backpressure());
  }

  /** Stops waiting (the run failed). */
  fail(error: Error): void {
    this.failure ??= error;
    const waiting = this.phaseWaiters;
    this.phaseWaiters = [];
    for (const waiter of waiting) waiter.reject(error);
  }

  close(): void {
    for (const port of this.ports) port?.close();
  }

  private receive(port: MessagePort, message: PeerMessage): void {
    try {
      switch (message.type) {
        case 'batch':
          this.absorb(message.store, message.kind, decodeBatch(message.bytes));
          port.postMessage({ type: 'ack' } satisfies PeerMessage);
          return;
        case 'ack': {
          const index = this.ports.indexOf(port);
          this.inFlight[index]!--;
          const waiters = this.waiters;
          this.waiters = [];
          for (const wake of waiters) wake();
          return;
        }
        case 'end': {
          const count = (this.ends.get(message.phase) ?? 0) + 1;
          this.ends.set(message.phase, count);
          if (count < this.ports.length - 1) return;
          const ready = this.phaseWaiters.filter((waiter) => waiter.phase === message.phase);
          this.phaseWaiters = this.phaseWaiters.filter((waiter) => waiter.phase !== message.phase);
          for (const waiter of ready) waiter.resolve();
          return;
        }
      }
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      this.fail(failure);
      this.onError(failure);
    }
  }
}
