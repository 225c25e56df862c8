/**
 * @module direct/worker-host
 * A worker thread's side of phase boundaries: batches shuffle input and materialised elements into messages
 * to the driver, and combines map-side (combiner lifting) so only one accumulator per key and window leaves
 * the worker. At most `MAX_IN_FLIGHT` batches wait for the driver's ack: the worker's reads pause meanwhile.
 */
import type { MessagePort } from 'node:worker_threads';
import type { GraphNode } from '../../core/graph.js';
import type { PCollection } from '../../core/pcollection.js';
import type { SinkWriter } from '../../core/sink.js';
import type { Micros } from '../../core/time.js';
import type { Window } from '../../core/window.js';
import type { Receiver } from '../../execution/receiver.js';
import type { PhaseHost } from './phase-executor.js';
import { edgeId } from './shuffle-hub.js';
import { ShuffleStore } from './shuffle-store.js';
import type { WorkerMessage } from './worker-protocol.js';

const BATCH_ITEMS = 4 * 2048;
const MAX_IN_FLIGHT = 8;

class BatchingReceiver implements Receiver {
  items: unknown[] = [];

  constructor(
    private readonly host: WorkerHost,
    private readonly make: (items: unknown[]) => WorkerMessage,
  ) {}

  receive(value: unknown, timestamp: Micros, window: Window): void {
    this.items.push(value, timestamp, window.start, window.end);
    if (this.items.length >= BATCH_ITEMS) this.flush();
  }

  flush(): void {
    if (this.items.length === 0) return;
    this.host.post(this.make(this.items));
    this.items = [];
  }
}

class GroupInputReceiver implements Receiver {
  items: unknown[] = [];

  constructor(
    private readonly host: WorkerHost,
    private readonly store: string,
  ) {}

  receive(value: unknown, _timestamp: Micros, window: Window): void {
    const pair = value as { key: unknown; value: unknown };
    this.items.push(pair.key, window.start, window.end, [pair.value]);
    if (this.items.length >= BATCH_ITEMS) this.flush();
  }

  flush(): void {
    if (this.items.length === 0) return;
    this.host.post({ type: 'shuffle', store: this.store, partial: true, items: this.items });
    this.items = [];
  }
}

class CombineInputReceiver implements Receiver {
  constructor(
    private readonly host: WorkerHost,
    private readonly label: string,
    private readonly store: ShuffleStore,
  ) {}

  receive(value: unknown, _timestamp: Micros, window: Window): void {
    this.store.addInput(value as { key: unknown; value: unknown }, window);
    if (this.store.overBudget) this.flush();
  }

  flush(): void {
    const entries = this.store.drainPartials();
    const items: unknown[] = [];
    for (const entry of entries) items.push(entry.key, entry.start, entry.end, entry.payload);
    for (let i = 0; i < items.length; i += BATCH_ITEMS)
      this.host.post({ type: 'shuffle', store: this.label, partial: true, items: items.slice(i, i + BATCH_ITEMS) });
  }
}

export class WorkerHost implements PhaseHost {
  private readonly flushers: Array<{ flush(): void }> = [];
  private inFlight = 0;
  private waiters: Array<() => void> = [];

  constructor(
    private readonly port: MessagePort,
    private readonly runId: string,
    private readonly workerIndex: number,
    private readonly memoryBudgetBytes: number,
  ) {}

  shuffleInput(node: GraphNode): Receiver {
    if (node.spec.kind === 'combinePerKey') {
      const store = new ShuffleStore({
        mode: { kind: 'combine', combineFn: node.spec.combineFn },
        windowSpec: node.inputs[0]!.windowSpec,
        memoryBudgetBytes: Math.max(1, Math.floor(this.memoryBudgetBytes / 4)),
        spillEnabled: false,
      });
      const receiver = new CombineInputReceiver(this, node.label, store);
      this.flushers.push(receiver);
      return receiver;
    }
    const receiver = new GroupInputReceiver(this, node.label);
    this.flushers.push(receiver);
    return receiver;
  }

  laterPhaseInput(collection: PCollection<unknown>, consumer: GraphNode): Receiver {
    const edge = edgeId(collection, consumer);
    const receiver = new BatchingReceiver(this, (items) => ({ type: 'materialize', edge, items }));
    this.flushers.push(receiver);
    return receiver;
  }

  createWriter(node: GraphNode): SinkWriter<unknown> {
    if (node.spec.kind !== 'write') throw new Error(`step "${node.label}" is not a write`);
    return node.spec.sink.createWriter({ runId: this.runId, stepLabel: node.label }, `w${this.workerIndex}-${node.index}`);
  }

  /** Sends everything buffered (at the end of the worker's work). */
  flushAll(): void {
    for (const flusher of this.flushers) flusher.flush();
  }

  post(message: WorkerMessage): void {
    this.inFlight++;
    this.port.postMessage(message);
  }

  acknowledge(): void {
    this.inFlight--;
    if (this.inFlight < MAX_IN_FLIGHT) {
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
    }
  }

  /** Resolves once few enough batches are unacknowledged; `undefined` when no wait is needed. */
  backpressure(): Promise<void> | undefined {
    if (this.inFlight < MAX_IN_FLIGHT) return undefined;
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
