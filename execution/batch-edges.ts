/**
 * @module execution/batch-edges
 * Decides, once per fused phase and before its steps are wired, which edges carry `ColumnBatch`es: from a read
 * whose source is batch-capable, or from a combine whose groups can come out as columns (a flat accumulator
 * with a numeric output, in the global window: see `groupBatchFields`), when every step its elements reach in
 * the phase is a batch-capable DoFn passing them on, a batch-mapping DoFn turning them into batches of other
 * columns, a batch-reading DoFn (whose outputs are records again) or a sink whose writers take batches of the
 * columns they arrive with. Anything else on the way (a
 * record DoFn, a window, a flatten, a shuffle, a later phase, a sink that wants records) keeps the whole read
 * on the record path, which writes the same output. This is the only place that decides; the wiring
 * (`stepOperator` with the plan, runners/direct/phase-executor.ts) builds batch operators exactly where it says.
 */
import {
  isBatchCapableDoFn,
  isBatchCapableSink,
  isBatchCapableSource,
  isBatchMappingDoFn,
  isBatchReadingDoFn,
  type BatchCapableDoFn,
  type BatchCapableSource,
  type BatchMappingDoFn,
  type BatchReadingDoFn,
} from '../core/batch-capability.js';
import type { DoFn } from '../core/dofn.js';
import type { GraphNode } from '../core/graph.js';
import type { PCollection } from '../core/pcollection.js';
import { field, type Field } from '../core/schema.js';
import { isShuffle, type ExecutionPlan } from './stage-plan.js';

/** What the planner needs to know about one phase. */
export interface PhaseGraph {
  /** The steps of the phase, in graph order. */
  readonly nodes: readonly GraphNode[];
  /** The steps that consume `collection`, in any phase. */
  consumersOf(collection: PCollection<unknown>): readonly GraphNode[];
  /** `true` when `node` runs fused in this phase (not a shuffle, not a later phase). */
  inPhase(node: GraphNode): boolean;
  /** The DoFn instance the phase runs for ParDo step `node`. */
  doFnOf(node: GraphNode): DoFn<unknown, unknown>;
  /** `true` when the phase emits the groups of shuffle step `node` (a group-by-key or combine) from its store. */
  emitsGroups(node: GraphNode): boolean;
}

/**
 * The graph of stage `phase` of `plan`, with the DoFn instances the stage will run: one per ParDo step, made
 * on first use with the step's factory, so the planner and the wiring (`doFnOf`) see the same instance.
 */
export function phaseGraphOf(plan: ExecutionPlan, phase: number): PhaseGraph {
  const nodes = plan.nodes.filter((node) => plan.phaseOf.get(node) === phase);
  const doFns = new Map<GraphNode, DoFn<unknown, unknown>>();
  return {
    nodes,
    consumersOf: (collection) => plan.consumers.get(collection) ?? [],
    inPhase: (node) => plan.phaseOf.get(node) === phase && !isShuffle(node),
    emitsGroups: (node) => plan.phaseOf.get(node) === phase && isShuffle(node),
    doFnOf: (node) => {
      if (node.spec.kind !== 'pardo' || plan.phaseOf.get(node) !== phase)
        throw new Error(`step "${node.label}" is not a ParDo of stage ${phase}`);
      let doFn = doFns.get(node);
      if (doFn === undefined) {
        doFn = node.spec.createDoFn() as DoFn<unknown, unknown>;
        doFns.set(node, doFn);
      }
      return doFn;
    },
  };
}

/** The batch edges of one phase. Steps and collections not named here carry records only. */
export interface BatchEdges {
  /** Read steps whose source emits batches, with that source. */
  readonly reads: ReadonlyMap<GraphNode, BatchCapableSource<unknown>>;
  /** Combine steps whose groups come out as batches, with the batches' fields (`groupBatchFields`). */
  readonly groups: ReadonlyMap<GraphNode, readonly Field[]>;
  /** Collections that carry batches (a batch counts as its rows). */
  readonly collections: ReadonlySet<PCollection<unknown>>;
  /** ParDo steps given batches, with their DoFn. */
  readonly steps: ReadonlyMap<GraphNode, BatchCapableDoFn<unknown, unknown>>;
  /** ParDo steps given batches to turn into batches of other columns, with their DoFn. */
  readonly mappers: ReadonlyMap<GraphNode, BatchMappingDoFn<unknown, unknown>>;
  /** ParDo steps given batches to read row by row (their outputs are records), with their DoFn. */
  readonly readers: ReadonlyMap<GraphNode, BatchReadingDoFn<unknown, unknown>>;
  /** Write steps whose writers are given batches. */
  readonly writes: ReadonlySet<GraphNode>;
}

/**
 * The fields of the batches a combine step's groups can come out as: the key (text), then the fields of its
 * flat accumulator's numeric output. `undefined` when they cannot: no flat output, or windows other than the
 * global one (a batch carries one window; the global window is the case of a table of totals). Groups whose key
 * is not ASCII text still come out as elements.
 */
export function groupBatchFields(node: GraphNode): readonly Field[] | undefined {
  if (node.spec.kind !== 'combinePerKey') return undefined;
  const output = node.spec.combineFn.flat?.output;
  if (output === undefined || node.inputs[0]?.windowSpec.kind !== 'global') return undefined;
  return [field(GROUP_KEY_FIELD, 'string', { nullable: false }), ...output.fields];
}

/** The name of a group batch's key column. */
export const GROUP_KEY_FIELD = 'key';

/** Plans the batch edges of a phase (see the module doc). */
export function planBatchEdges(graph: PhaseGraph): BatchEdges {
  const reads = new Map<GraphNode, BatchCapableSource<unknown>>();
  const groups = new Map<GraphNode, readonly Field[]>();
  const collections = new Set<PCollection<unknown>>();
  const steps = new Map<GraphNode, BatchCapableDoFn<unknown, unknown>>();
  const mappers = new Map<GraphNode, BatchMappingDoFn<unknown, unknown>>();
  const readers = new Map<GraphNode, BatchReadingDoFn<unknown, unknown>>();
  const writes = new Set<GraphNode>();
  for (const node of graph.nodes) {
    const spec = node.spec;
    const source = spec.kind === 'read' && isBatchCapableSource(spec.source) ? spec.source : undefined;
    const fields = source?.batchFields ?? (graph.emitsGroups(node) ? groupBatchFields(node) : undefined);
    if (fields === undefined) continue;
    const path = emptyPath();
    if (!takesBatches(graph, mainOutput(node), fields, path)) continue;
    if (source !== undefined) reads.set(node, source);
    else groups.set(node, fields);
    for (const collection of path.collections) collections.add(collection);
    for (const [step, doFn] of path.steps) steps.set(step, doFn);
    for (const [step, doFn] of path.mappers) mappers.set(step, doFn);
    for (const [step, doFn] of path.readers) readers.set(step, doFn);
    for (const write of path.writes) writes.add(write);
  }
  return { reads, groups, collections, steps, mappers, readers, writes };
}

/** What one read's batches would pass through. */
interface Path {
  readonly collections: PCollection<unknown>[];
  readonly steps: [GraphNode, BatchCapableDoFn<unknown, unknown>][];
  readonly mappers: [GraphNode, BatchMappingDoFn<unknown, unknown>][];
  readonly readers: [GraphNode, BatchReadingDoFn<unknown, unknown>][];
  readonly writes: GraphNode[];
}

function emptyPath(): Path {
  return { collections: [], steps: [], mappers: [], readers: [], writes: [] };
}

/** Adds `further` (what the consumers of a step's output pass through) to `path`. */
function extend(path: Path, further: Path): void {
  path.collections.push(...further.collections);
  path.steps.push(...further.steps);
  path.mappers.push(...further.mappers);
  path.readers.push(...further.readers);
  path.writes.push(...further.writes);
}

/** `true` when every consumer of `collection` takes batches of `fields`; collects what they pass through. */
function takesBatches(graph: PhaseGraph, collection: PCollection<unknown>, fields: readonly Field[], path: Path): boolean {
  path.collections.push(collection);
  return graph.consumersOf(collection).every((consumer) => {
    if (!graph.inPhase(consumer)) return false;
    const spec = consumer.spec;
    if (spec.kind === 'write') {
      if (!isBatchCapableSink(spec.sink) || !spec.sink.acceptsBatches(fields)) return false;
      path.writes.push(consumer);
      return true;
    }
    if (spec.kind !== 'pardo') return false;
    const doFn = graph.doFnOf(consumer);
    // Passing batches on is preferred; a DoFn that can also read rows ends the path where its consumers cannot.
    if (isBatchCapableDoFn(doFn)) {
      const further = emptyPath();
      if (takesBatches(graph, mainOutput(consumer), fields, further)) {
        path.steps.push([consumer, doFn]);
        extend(path, further);
        return true;
      }
    }
    const mapped = isBatchMappingDoFn(doFn) ? doFn.mappedBatchFields(fields) : undefined;
    if (mapped !== undefined) {
      const further = emptyPath();
      if (takesBatches(graph, mainOutput(consumer), mapped, further)) {
        path.mappers.push([consumer, doFn as BatchMappingDoFn<unknown, unknown>]);
        extend(path, further);
        return true;
      }
    }
    if (!isBatchReadingDoFn(doFn)) return false;
    path.readers.push([consumer, doFn]);
    return true;
  });
}

function mainOutput(node: GraphNode): PCollection<unknown> {
  const main = node.outputs.get('main');
  if (main === undefined) throw new Error(`step "${node.label}" has no main output`);
  return main;
}
