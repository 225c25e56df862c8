/**
 * @module direct/partitioned-host
 * A worker thread's side of phase boundaries in the partitioned shuffle. Each worker owns one hash range of
 * keys (key-partition): input for its own range goes straight into its own shuffle stores (which spill past
 * the worker's share of the memory budget), input for another range is batched per owner and sent through the
 * peer exchange. For a combine, other ranges' input is first combined map-side, unless a sample of it shows
 * (almost) no repeated keys, in which case it is sent as it is. Elements kept for a later phase's steps stay
 * in this worker: those steps are element-wise, so any worker may run them.
 */
import type { GraphNode } from '../../core/graph.js';
import type { KV } from '../../core/kv.js';
import type { PCollection } from '../../core/pcollection.js';
import type { SinkWriter } from '../../core/sink.js';
import type { Micros } from '../../core/time.js';
import type { Window } from '../../core/window.js';
import type { Receiver } from '../../execution/receiver.js';
import { RepeatSampler } from '../../execution/repeat-sampler.js';
import { partitionOf, partitionOfLatin1Key } from './key-partition.js';
import type { PeerExchange } from './peer-exchange.js';
import type { PhaseHost } from './phase-executor.js';
import type { ShuffleHub } from './shuffle-hub.js';
import { ShuffleStore } from './shuffle-store.js';

/** Entries per batch sent to a peer (each entry is four items). */
const BATCH_ENTRIES = 2048;

/** Raw inputs whose keys are Latin-1 bytes, for one owner: the keys in one buffer, then (start, end, value) per entry. */
class KeyedBox {
  bytes = new Uint8Array(64 * 1024);
  used = 0;
  ends: number[] = [];
  items: unknown[] = [];

  add(key: Uint8Array, length: number, window: Window, value: unknown): void {
    if (this.used + length > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.used + length));
      grown.set(this.bytes.subarray(0, this.used));
      this.bytes = grown;
    }
    this.bytes.set(key.subarray(0, length), this.used);
    this.used += length;
    this.ends.push(this.used);
    this.items.push(window.start, window.end, value);
  }

  /** The batch to send: [key bytes, key ends, start, end, value, ...]; empties the box. */
  take(): unknown[] {
    const batch = [this.bytes.slice(0, this.used), Int32Array.from(this.ends), ...this.items];
    this.used = 0;
    this.ends = [];
    this.items = [];
    return batch;
  }
}

/** Per-owner batches of one shuffle step, raw inputs and partial groups apart. */
class Outboxes {
  private readonly raw: unknown[][];
  private readonly partial: unknown[][];
  private readonly keyed: KeyedBox[];

  constructor(
    private readonly exchange: PeerExchange,
    private readonly store: string,
  ) {
    this.raw = Array.from({ length: exchange.workers }, () => []);
    this.partial = Array.from({ length: exchange.workers }, () => []);
    this.keyed = Array.from({ length: exchange.workers }, () => new KeyedBox());
  }

  addKeyed(owner: number, key: Uint8Array, length: number, window: Window, value: unknown): void {
    const box = this.keyed[owner]!;
    box.add(key, length, window, value);
    if (box.ends.length >= BATCH_ENTRIES) this.exchange.send(owner, this.store, true, box.take());
  }

  add(owner: number, raw: boolean, key: unknown, window: Window, payload: unknown): void {
    const batch = (raw ? this.raw : this.partial)[owner]!;
    batch.push(key, window.start, window.end, payload);
    if (batch.length >= BATCH_ENTRIES * 4) this.send(owner, raw);
  }

  flush(): void {
    for (let owner = 0; owner < this.raw.length; owner++) {
      if (this.keyed[owner]!.ends.length > 0) this.exchange.send(owner, this.store, true, this.keyed[owner]!.take());
      if (this.raw[owner]!.length > 0) this.send(owner, true);
      if (this.partial[owner]!.length > 0) this.send(owner, false);
    }
  }

  private send(owner: number, raw: boolean): void {
    const boxes = raw ? this.raw : this.partial;
    this.exchange.send(owner, this.store, raw, boxes[owner]!);
    boxes[owner] = [];
  }
}

/** Routes a shuffle step's input by key range: own range into the local store, others to their owners. */
class RoutingReceiver implements Receiver {
  private readonly outboxes: Outboxes;
  private readonly merging: boolean;
  private readonly sampler = new RepeatSampler();

  constructor(
    node: GraphNode,
    private readonly self: number,
    private readonly workers: number,
    private readonly local: ShuffleStore,
    exchange: PeerExchange,
    /** The map-side table for other ranges' input (combine steps only). */
    private readonly precombine: ShuffleStore | undefined,
  ) {
    this.outboxes = new Outboxes(exchange, node.label);
    this.merging = node.inputs[0]!.windowSpec.kind === 'sessions';
  }

  receive(value: unknown, _timestamp: Micros, window: Window): void {
    const pair = value as KV<unknown, unknown>;
    if (pair === null || typeof pair !== 'object' || !('key' in pair)) {
      this.local.addInput(pair, window); // throws the store's error, which names the fix
      return;
    }
    const owner = partitionOf(pair.key, window, this.merging, this.workers);
    if (owner === this.self) {
      this.local.addInput(pair, window);
      return;
    }
    this.routeToPeer(owner, pair, window);
  }

  receiveKeyedBytes(bytes: Uint8Array, length: number, value: unknown, _timestamp: Micros, window: Window): void {
    const owner = partitionOfLatin1Key(bytes, length, window, this.merging, this.workers);
    if (owner === this.self) {
      this.local.addValueBytes(bytes, length, value, window);
      return;
    }
    if (this.precombine === undefined || this.sampler.state === 'skip') {
      this.outboxes.addKeyed(owner, bytes, length, window, value);
      return;
    }
    this.routeToPeer(owner, { key: Buffer.from(bytes.buffer, bytes.byteOffset, length).toString('latin1'), value }, window);
  }

  /** Input for another worker's range: into the map-side table, or straight to its outbox. */
  private routeToPeer(owner: number, pair: KV<unknown, unknown>, window: Window): void {
    const precombine = this.precombine;
    if (precombine === undefined || this.sampler.state === 'skip') {
      this.outboxes.add(owner, true, pair.key, window, pair.value);
      return;
    }
    precombine.addInput(pair, window);
    if (this.sampler.state === 'undecided' && this.sampler.observe(precombine.openedGroup) === 'skip') this.flush();
    else if (precombine.overBudget) this.flush();
  }

  flush(): void {
    if (this.precombine !== undefined)
      for (const entry of this.precombine.drainPartials()) {
        const window = { start: entry.start, end: entry.end };
        this.outboxes.add(partitionOf(entry.key, window, this.merging, this.workers), false, entry.key, window, entry.payload);
      }
    this.outboxes.flush();
  }
}

export interface PartitionedHostOptions {
  readonly runId: string;
  readonly workerIndex: number;
  /** This worker's stores and materialised edges. */
  readonly hub: ShuffleHub;
  readonly exchange: PeerExchange;
  /** Bytes the map-side tables of this worker may hold before sending their partials. */
  readonly precombineBudgetBytes: number;
}

export class PartitionedHost implements PhaseHost {
  private readonly routers: RoutingReceiver[] = [];

  constructor(private readonly options: PartitionedHostOptions) {}

  shuffleInput(node: GraphNode): Receiver {
    const { hub, exchange, workerIndex, precombineBudgetBytes } = this.options;
    const precombine =
      node.spec.kind === 'combinePerKey' && exchange.workers > 1
        ? new ShuffleStore({
            mode: { kind: 'combine', combineFn: node.spec.combineFn },
            windowSpec: node.inputs[0]!.windowSpec,
            memoryBudgetBytes: precombineBudgetBytes,
            spillEnabled: false,
          })
        : undefined;
    const router = new RoutingReceiver(node, workerIndex, exchange.workers, hub.store(node), exchange, precombine);
    this.routers.push(router);
    return router;
  }

  laterPhaseInput(collection: PCollection<unknown>, consumer: GraphNode): Receiver {
    return this.options.hub.buffer(collection, consumer);
  }

  createWriter(node: GraphNode): SinkWriter<unknown> {
    if (node.spec.kind !== 'write') throw new Error(`step "${node.label}" is not a write`);
    return node.spec.sink.createWriter({ runId: this.options.runId, stepLabel: node.label }, `w${this.options.workerIndex}-${node.index}`);
  }

  /** Sends everything still held for other workers (at the end of a phase). */
  flushAll(): void {
    for (const router of this.routers) router.flush();
  }
}
