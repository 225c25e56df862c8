/**
 * @module direct/shuffle-hub
 * The driver's side of every phase boundary: one ShuffleStore per shuffle step and one buffer per
 * materialised edge. Phase executors in the driver push into it directly; worker threads send batches.
 */
import type { GraphNode } from '../../core/graph.js';
import type { PCollection } from '../../core/pcollection.js';
import type { Micros } from '../../core/time.js';
import type { Window } from '../../core/window.js';
import type { Receiver } from '../../execution/receiver.js';
import { type ExecutionPlan, isShuffle } from '../../execution/stage-plan.js';
import { ShuffleStore } from './shuffle-store.js';

export interface ShuffleHubOptions {
  readonly memoryBudgetBytes: number;
  readonly spillDirectory?: string;
}

/**
 * Elements kept for a step of a later phase (in memory: such edges are rare and small in log pipelines; a
 * flatten feeding only shuffles takes its earlier input straight into them, see `flattensIntoShuffles`).
 */
export class MaterializedBuffer implements Receiver {
  readonly values: unknown[] = [];
  readonly timestamps: Micros[] = [];
  readonly windows: Window[] = [];

  receive(value: unknown, timestamp: Micros, window: Window): void {
    this.values.push(value);
    this.timestamps.push(timestamp);
    this.windows.push(window);
  }

  replay(into: Receiver): void {
    for (let i = 0; i < this.values.length; i++) into.receive(this.values[i], this.timestamps[i]!, this.windows[i]!);
  }
}

export class ShuffleHub {
  readonly stores = new Map<string, ShuffleStore>();
  readonly buffers = new Map<string, MaterializedBuffer>();

  constructor(plan: ExecutionPlan, options: ShuffleHubOptions) {
    for (const node of plan.nodes) {
      if (!isShuffle(node)) {
        for (const input of node.inputs) if (plan.phaseOf.get(input.producer!)! < plan.phaseOf.get(node)!) this.buffer(input, node);
        continue;
      }
      const spec = node.spec;
      const mode = spec.kind === 'combinePerKey' ? ({ kind: 'combine', combineFn: spec.combineFn } as const) : ({ kind: 'group' } as const);
      const windowSpec = node.inputs[0]!.windowSpec;
      const storeOptions = { mode, windowSpec, memoryBudgetBytes: options.memoryBudgetBytes };
      this.stores.set(
        node.label,
        new ShuffleStore(options.spillDirectory === undefined ? storeOptions : { ...storeOptions, spillDirectory: options.spillDirectory }),
      );
    }
  }

  store(node: GraphNode | string): ShuffleStore {
    const label = typeof node === 'string' ? node : node.label;
    const store = this.stores.get(label);
    if (store === undefined) throw new Error(`no shuffle store for step "${label}"`);
    return store;
  }

  /** A receiver that adds elements into the store of `node`. */
  inputOf(node: GraphNode): Receiver {
    const store = this.store(node);
    return {
      receive: (value, _timestamp, window) => store.addInput(value as { key: unknown; value: unknown }, window),
      receiveKeyedBytes: (bytes, length, value, _timestamp, window) => store.addValueBytes(bytes, length, value, window),
    };
  }

  buffer(collection: PCollection<unknown>, consumer: GraphNode): MaterializedBuffer {
    const id = edgeId(collection, consumer);
    let buffer = this.buffers.get(id);
    if (buffer === undefined) {
      buffer = new MaterializedBuffer();
      this.buffers.set(id, buffer);
    }
    return buffer;
  }

  get spilledBytes(): number {
    let total = 0;
    for (const store of this.stores.values()) total += store.spilledBytes;
    return total;
  }

  dispose(): void {
    for (const store of this.stores.values()) store.dispose();
  }
}

export function edgeId(collection: PCollection<unknown>, consumer: GraphNode): string {
  return `${collection.producer!.label}|${collection.tag}->${consumer.label}`;
}
