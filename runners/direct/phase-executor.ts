/**
 * @module direct/phase-executor
 * Wires the execution layer's operators of one phase's steps together (fusion) and runs their DoFn
 * lifecycles. Elements that leave the phase (into a shuffle or a step of a later phase) go to receivers
 * supplied by the host: the main thread's stores when running in-process, message buffers when running in a
 * worker thread.
 */
import type { GraphNode } from '../../core/graph.js';
import type { PCollection } from '../../core/pcollection.js';
import type { Field } from '../../core/schema.js';
import type { SinkWriter } from '../../core/sink.js';
import type { BatchCapableSource } from '../../core/batch-capability.js';
import { phaseGraphOf, planBatchEdges, type BatchEdges } from '../../execution/batch-edges.js';
import { BatchFanout } from '../../execution/batch-operators.js';
import { Fanout } from '../../execution/fanout.js';
import { ParDoOperator } from '../../execution/pardo-operator.js';
import type { Receiver } from '../../execution/receiver.js';
import { type ExecutionPlan, flattensIntoShuffles, isShuffle } from '../../execution/stage-plan.js';
import { countKey, type OutputCounts } from '../../execution/step-counts.js';
import { type OperatorChoices, stepOperator } from '../../execution/step-operator.js';
import { WriteOperator } from '../../execution/write-operator.js';

/** Where a phase sends what leaves it, and how it gets sink writers. */
export interface PhaseHost {
  /** Receives elements entering shuffle step `node` (of a later phase). */
  shuffleInput(node: GraphNode): Receiver;
  /** Receives elements of `collection` for non-shuffle step `consumer` of a later phase. */
  laterPhaseInput(collection: PCollection<unknown>, consumer: GraphNode): Receiver;
  /** A writer for write step `node`. */
  createWriter(node: GraphNode): SinkWriter<unknown>;
}

export class PhaseExecutor {
  private readonly operators = new Map<GraphNode, Receiver | undefined>();
  private readonly fanouts = new Map<PCollection<unknown>, Fanout>();
  private readonly parDos: ParDoOperator[] = [];
  private readonly writes: WriteOperator[] = [];
  /** Which edges of this phase carry `ColumnBatch`es (planned once, before the operators are made). */
  private readonly batchEdges: BatchEdges;

  constructor(
    plan: ExecutionPlan,
    readonly phase: number,
    host: PhaseHost,
  ) {
    const graph = phaseGraphOf(plan, phase);
    const nodes = graph.nodes;
    const batchEdges = planBatchEdges(graph);
    this.batchEdges = batchEdges;
    for (const node of nodes) {
      for (const output of node.outputs.values())
        this.fanouts.set(output, batchEdges.collections.has(output) ? new BatchFanout() : new Fanout());
    }
    for (const node of nodes) this.operators.set(node, this.makeOperator(node, host, { doFnOf: graph.doFnOf, batchEdges }));
    const earlyFlattens = new Map<PCollection<unknown>, Fanout>();
    for (const [collection, fanout] of this.fanouts) {
      for (const consumer of plan.consumers.get(collection) ?? []) {
        if (isShuffle(consumer)) fanout.targets.push(host.shuffleInput(consumer));
        else if (plan.phaseOf.get(consumer) === phase) fanout.targets.push(this.receiverOf(consumer));
        else if (flattensIntoShuffles(plan, consumer)) fanout.targets.push(this.earlyFlatten(plan, consumer, host, earlyFlattens));
        else fanout.targets.push(host.laterPhaseInput(collection, consumer));
      }
    }
    for (const [collection, fanout] of earlyFlattens) this.fanouts.set(collection, fanout);
  }

  /**
   * A later phase's flatten that feeds only shuffles, run in this phase for this phase's input to it: its
   * elements go to the shuffles now (counted as the flatten's output) instead of being kept in memory.
   */
  private earlyFlatten(plan: ExecutionPlan, flatten: GraphNode, host: PhaseHost, made: Map<PCollection<unknown>, Fanout>): Fanout {
    const output = flatten.outputs.get('main')!;
    let fanout = made.get(output);
    if (fanout === undefined) {
      fanout = new Fanout();
      for (const shuffle of plan.consumers.get(output) ?? []) fanout.targets.push(host.shuffleInput(shuffle));
      made.set(output, fanout);
    }
    return fanout;
  }

  /** The batch-capable source of read step `node` when its read emits batches (`readSplitAsBatches`), else `undefined`. */
  batchSourceOf(node: GraphNode): BatchCapableSource<unknown> | undefined {
    return this.batchEdges.reads.get(node);
  }

  /** The fields of the batches shuffle step `node` emits its groups as, when it does (planned), else `undefined`. */
  groupBatchFieldsOf(node: GraphNode): readonly Field[] | undefined {
    return this.batchEdges.groups.get(node);
  }

  /** The steps of this phase. */
  get nodes(): GraphNode[] {
    return [...this.operators.keys()];
  }

  /** Where a read step (or a shuffle's store) of this phase emits. */
  outputOf(node: GraphNode): Fanout {
    const fanout = this.fanouts.get(node.outputs.get('main')!);
    if (fanout === undefined) throw new Error(`step "${node.label}" does not run in phase ${this.phase}`);
    return fanout;
  }

  /** The operator of an element-wise step of this phase (also for elements kept by an earlier phase). */
  receiverOf(node: GraphNode): Receiver {
    const operator = this.operators.get(node);
    if (operator === undefined) throw new Error(`step "${node.label}" (${node.spec.kind}) takes no pushed input in phase ${this.phase}`);
    return operator;
  }

  async setup(): Promise<void> {
    for (const parDo of this.parDos) await parDo.setup();
  }

  startBundle(): void {
    for (const parDo of this.parDos) parDo.startBundle();
  }

  /** In graph order, so outputs of one step's finishBundle reach later steps still inside the bundle. */
  finishBundle(): void {
    for (const parDo of this.parDos) parDo.finishBundle();
  }

  async teardown(): Promise<void> {
    for (const parDo of this.parDos) await parDo.teardown();
  }

  /** A promise when some sink writer must flush before more input is pushed. */
  drain(): Promise<void> | undefined {
    let pending: Promise<void>[] | undefined;
    for (const write of this.writes) {
      const drained = write.drain();
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
    for (const write of this.writes) if (write.writer !== undefined) results.set(write.label, await write.close());
    return results;
  }

  async abortWriters(): Promise<void> {
    for (const write of this.writes) await write.abort();
  }

  /** Elements emitted per `label|tag` by the steps of this phase. */
  outputCounts(): OutputCounts {
    const counts: OutputCounts = new Map();
    for (const [collection, fanout] of this.fanouts) counts.set(countKey(collection.producer!.label, collection.tag), fanout.count);
    return counts;
  }

  private makeOperator(node: GraphNode, host: PhaseHost, choices: OperatorChoices): Receiver | undefined {
    const operator = stepOperator(node, (tag) => this.fanouts.get(node.outputs.get(tag)!)!, choices);
    if (operator instanceof ParDoOperator) this.parDos.push(operator);
    if (operator instanceof WriteOperator) {
      operator.open(host.createWriter(node));
      this.writes.push(operator);
    }
    return operator;
  }
}
