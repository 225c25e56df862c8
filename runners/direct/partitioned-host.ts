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
import { hashBytes } from '../../core/fnv-hash.js';
import { partitionOf, partitionOfKeyHash } from './key-partition.js';
import { KeyedInputsBatch } from './exchange-batch.js';
import type { PeerExchange } from './peer-exchange.js';
import type { PhaseHost } from './phase-executor.js';
import type { ShuffleHub } from './shuffle-hub.js';
import { ShuffleStore } from './shuffle-store.js';

/** Entries per batch sent to a peer (each entry is four items). */
const BATCH_ENTRIES = 2048;

/** Per-owner batches of one shuffle step, one of each kind (see exchange-batch). */
class Outboxes {
  private readonly inputs: unknown[][];
  private readonly partials: unknown[][];
  private readonly keyedInputs: KeyedInputsBatch[];

  constructor(
    private readonly exchange: PeerExchange,
    private readonly store: string,
  ) {
    this.inputs = Array.from({ length: exchange.workers }, () => []);
    this.partials = Array.from({ length: exchange.workers }, () => []);
    this.keyedInputs = Array.from({ length: exchange.workers }, () => new KeyedInputsBatch());
  }

  addKeyedInput(owner: number, key: Uint8Array, length: number, keyHash: number, window: Window, value: unknown): void {
    const batch = this.keyedInputs[owner]!;
    batch.add(key, length, keyHash, window, value);
    if (batch.size >= BATCH_ENTRIES) this.exchange.send(owner, this.store, 'keyed-inputs', batch.take());
  }

  add(owner: number, kind: 'inputs' | 'partials', key: unknown, window: Window, payload: unknown): void {
    const batch = (kind === 'inputs' ? this.inputs : this.partials)[owner]!;
    batch.push(key, window.start, window.end, payload);
    if (batch.length >= BATCH_ENTRIES * 4) this.send(owner, kind);
  }

  flush(): void {
    for (let owner = 0; owner < this.inputs.length; owner++) {
      const keyed = this.keyedInputs[owner]!;
      if (keyed.size > 0) this.exchange.send(owner, this.store, 'keyed-inputs', keyed.take());
      if (this.inputs[owner]!.length > 0) this.send(owner, 'inputs');
      if (this.partials[owner]!.length > 0) this.send(owner, 'partials');
    }
  }

  private send(owner: number, kind: 'inputs' | 'partials'): void {
    const boxes = kind === 'inputs' ? this.inputs : this.partials;
    this.exchange.send(owner, this.store, kind, boxes[owner]!);
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
    // One hash of the key's bytes finds its owner and, passed on, its group in the owner's table.
    const keyHash = hashBytes(bytes, 0, length);
    const owner = partitionOfKeyHash(keyHash, window, this.merging, this.workers);
    if (owner === this.self) {
      this.local.addValueBytes(bytes, length, value, window, keyHash);
      return;
    }
    const precombine = this.precombine;
    if (precombine === undefined || this.sampler.state === 'skip') {
      this.outboxes.addKeyedInput(owner, bytes, length, keyHash, window, value);
      return;
    }
    precombine.addValueBytes(bytes, length, value, window, keyHash);
    this.afterPrecombine(precombine);
  }

  /** Input for another worker's range: into the map-side table, or straight to its outbox. */
  private routeToPeer(owner: number, pair: KV<unknown, unknown>, window: Window): void {
    const precombine = this.precombine;
    if (precombine === undefined || this.sampler.state === 'skip') {
      this.outboxes.add(owner, 'inputs', pair.key, window, pair.value);
      return;
    }
    precombine.addInput(pair, window);
    this.afterPrecombine(precombine);
  }

  /** Sends the map-side table's partials once the sample shows no repeats, or it is over its budget. */
  private afterPrecombine(precombine: ShuffleStore): void {
    if (this.sampler.state === 'undecided' && this.sampler.observe(precombine.openedGroup) === 'skip') this.flush();
    else if (precombine.overBudget) this.flush();
  }

  flush(): void {
    if (this.precombine !== undefined)
      for (const entry of this.precombine.drainPartials()) {
        const window = { start: entry.start, end: entry.end };
        this.outboxes.add(partitionOf(entry.key, window, this.merging, this.workers), 'partials', entry.key, window, entry.payload);
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
