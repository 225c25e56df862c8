/**
 * @module direct/phase-executor
 * Wires the receivers of one phase's steps together (fusion) and runs their DoFn lifecycles. Elements that
 * leave the phase (into a shuffle or a step of a later phase) go to receivers supplied by the host: the main
 * thread's stores when running in-process, message buffers when running in a worker thread.
 */
import { isBatchSinkWriter, type BatchCapableSource } from '../../core/batch-capability.js';
import type { GraphNode } from '../../core/graph.js';
import type { PCollection } from '../../core/pcollection.js';
import type { SinkWriter } from '../../core/sink.js';
import type { ExecutionPlan } from './plan.js';
import { isShuffle } from './plan.js';
import { phaseGraphOf, planBatchEdges, type BatchEdges, type PhaseGraph } from './batch-edges.js';
import { BatchFanout, BatchParDoReceiver, BatchWriteReceiver } from './batch-receivers.js';
import { Fanout, ForwardReceiver, ParDoReceiver, WindowReceiver, WriteReceiver, type Receiver } from './receivers.js';

/** Where a phase sends what leaves it, and how it gets sink writers. */
export interface PhaseHost {
  /** Receives elements entering shuffle step `node` (of a later phase). */
  shuffleInput(node: GraphNode): Receiver;
  /** Receives elements of `collection` for non-shuffle step `consumer` of a later phase. */
  materialize(collection: PCollection<unknown>, consumer: GraphNode): Receiver;
  /** A writer for write step `node`. */
  createWriter(node: GraphNode): SinkWriter<unknown>;
}

/** `label|tag` -> elements emitted. */
export type OutputCounts = Map<string, number>;

export class PhaseExecutor {
  private readonly receivers = new Map<GraphNode, Receiver>();
  private readonly fanouts = new Map<PCollection<unknown>, Fanout>();
  private readonly parDos: ParDoReceiver[] = [];
  private readonly writers = new Map<GraphNode, SinkWriter<unknown>>();
  /** Which edges of this phase carry `ColumnBatch`es (planned once, before the receivers are made). */
  private readonly batchEdges: BatchEdges;

  constructor(
    plan: ExecutionPlan,
    readonly phase: number,
    host: PhaseHost,
  ) {
    const graph = phaseGraphOf(plan, phase);
    const nodes = graph.nodes;
    this.batchEdges = planBatchEdges(graph);
    for (const node of nodes) {
      for (const output of node.outputs.values())
        this.fanouts.set(output, this.batchEdges.collections.has(output) ? new BatchFanout() : new Fanout());
    }
    for (const node of nodes) this.receivers.set(node, this.makeReceiver(node, host, graph));
    for (const [collection, fanout] of this.fanouts) {
      for (const consumer of plan.consumers.get(collection) ?? []) {
        const consumerPhase = plan.phaseOf.get(consumer)!;
        if (consumerPhase === phase && !isShuffle(consumer)) fanout.targets.push(this.receivers.get(consumer)!);
        else if (isShuffle(consumer)) fanout.targets.push(host.shuffleInput(consumer));
        else fanout.targets.push(host.materialize(collection, consumer));
      }
    }
  }

  /** The batch-capable source of read step `node` when its read emits batches (`readSplitAsBatches`), else `undefined`. */
  batchSourceOf(node: GraphNode): BatchCapableSource<unknown> | undefined {
    return this.batchEdges.reads.get(node);
  }

  /** The steps of this phase. */
  get nodes(): GraphNode[] {
    return [...this.receivers.keys()];
  }

  /** Where a read step of this phase emits. */
  outputOf(node: GraphNode): Fanout {
    const fanout = this.fanouts.get(node.outputs.get('main')!);
    if (fanout === undefined) throw new Error(`step "${node.label}" does not run in phase ${this.phase}`);
    return fanout;
  }

  /** The receiver of a step of this phase (for elements materialised by an earlier phase). */
  receiverOf(node: GraphNode): Receiver {
    const receiver = this.receivers.get(node);
    if (receiver === undefined) throw new Error(`step "${node.label}" does not run in phase ${this.phase}`);
    return receiver;
  }

  async setup(): Promise<void> {
    for (const parDo of this.parDos) await parDo.doFn.setup?.();
  }

  startBundle(): void {
    for (const parDo of this.parDos) parDo.startBundle();
  }

  /** In graph order, so outputs of one step's finishBundle reach later steps still inside the bundle. */
  finishBundle(): void {
    for (const parDo of this.parDos) parDo.finishBundle();
  }

  async teardown(): Promise<void> {
    for (const parDo of this.parDos) await parDo.doFn.teardown?.();
  }

  /** A promise when some sink writer must flush before more input is pushed. */
  drain(): Promise<void> | undefined {
    let pending: Promise<void>[] | undefined;
    for (const writer of this.writers.values()) {
      const drained = writer.drain();
      if (drained !== undefined) {
        pending ??= [];
        pending.push(drained);
      }
    }
    return pending === undefined ? undefined : Promise.all(pending).then(() => undefined);
  }

  /** Closes every writer; returns their results by write-step label. */
  async closeWriters(): Promise<Map<string, unknown>> {
    const results = new Map<string, unknown>();
    for (const [node, writer] of this.writers) results.set(node.label, await writer.close());
    this.writers.clear();
    return results;
  }

  async abortWriters(): Promise<void> {
    for (const writer of this.writers.values()) await writer.abort().catch(() => undefined);
    this.writers.clear();
  }

  /** Elements emitted per `label|tag` by the steps of this phase. */
  outputCounts(): OutputCounts {
    const counts: OutputCounts = new Map();
    for (const [collection, fanout] of this.fanouts) counts.set(`${collection.producer!.label}|${collection.tag}`, fanout.count);
    return counts;
  }

  private makeReceiver(node: GraphNode, host: PhaseHost, graph: PhaseGraph): Receiver {
    const main = this.fanouts.get(node.outputs.get('main')!)!;
    const spec = node.spec;
    switch (spec.kind) {
      case 'pardo': {
        const tagged = new Map<string, Fanout>();
        for (const tag of spec.sideTags) tagged.set(tag, this.fanouts.get(node.outputs.get(tag)!)!);
        const batchDoFn = this.batchEdges.steps.get(node);
        const receiver =
          batchDoFn === undefined
            ? new ParDoReceiver(node.label, graph.doFnOf(node), main, tagged)
            : new BatchParDoReceiver(node.label, batchDoFn, main, tagged);
        this.parDos.push(receiver);
        return receiver;
      }
      case 'window':
        return new WindowReceiver(spec.windowSpec, main);
      case 'flatten':
        return new ForwardReceiver(main);
      case 'write': {
        const writer = host.createWriter(node);
        this.writers.set(node, writer);
        if (!this.batchEdges.writes.has(node)) return new WriteReceiver(writer);
        if (!isBatchSinkWriter(writer))
          throw new Error(`step "${node.label}": its sink accepts record batches, but its writer has no writeBatch`);
        return new BatchWriteReceiver(writer);
      }
      case 'read':
      case 'groupByKey':
      case 'combinePerKey':
        // Fed by the host: a source emits into `outputOf(node)`, a shuffle's store emits into it.
        return {
          receive: () => {
            throw new Error(`step "${node.label}" (${spec.kind}) takes no pushed input`);
          },
        };
    }
  }
}
