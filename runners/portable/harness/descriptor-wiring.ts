/**
 * @module portable/harness/descriptor-wiring
 * Turns a ProcessBundleDescriptor into wired operators: one counting fanout per collection, the execution
 * layer's operators for logbeam steps (ParDo, window assignment, flatten, precombine, write), the harness's
 * adapters for what only exists on the Fn API (data sources and sinks, listing and reading splits, commits,
 * the lifted combine phases), and every operator connected to the fanouts of its inputs.
 */
import { rebuildPipeline } from '../../../core/define-pipeline.js';
import type { GraphNode } from '../../../core/graph.js';
import type { Pipeline } from '../../../core/pipeline.js';
import { Fanout } from '../../../execution/fanout.js';
import { ForwardOperator } from '../../../execution/forward-operator.js';
import { ParDoOperator } from '../../../execution/pardo-operator.js';
import { PrecombineOperator } from '../../../execution/precombine-operator.js';
import { stepOperator } from '../../../execution/step-operator.js';
import { WindowOperator } from '../../../execution/window-operator.js';
import type { BeamProtos } from '../beam-protos.js';
import { COMMIT_RUN_LABEL, type FnPayload, LOGBEAM_FN_URN } from '../translate.js';
import type { WindowedValueCodec } from '../wire-format.js';
import type { BundleOperator } from './bundle-operator.js';
import { type CoderSpec, windowedValueCodec } from './codecs.js';
import type { DataChannel } from './data-channel.js';
import { DataSink } from './data-sink.js';
import {
  CombineGroupedValuesOperator,
  ExtractOutputsOperator,
  MergeAccumulatorsOperator,
  PickDefaultOperator,
} from './lifted-combine-operators.js';
import { BundleWriteOperator, KickOperator } from './sink-operators.js';
import { CommitRunOperator } from './commit-run-operator.js';
import { ListSplitsOperator, ReadSplitOperator } from './source-operators.js';
import { windowSpecOf } from './window-spec.js';

interface TransformSpec {
  unique_name: string;
  spec?: { urn: string; payload: Buffer };
  inputs: Record<string, string>;
  outputs: Record<string, string>;
}

export interface BundleDescriptor {
  id: string;
  transforms: Record<string, TransformSpec>;
  coders: Record<string, CoderSpec>;
  pcollections?: Record<string, { unique_name?: string }>;
}

/** Where the engine's elements enter a bundle. */
export interface DataSource {
  readonly transformId: string;
  readonly url: string;
  readonly codec: WindowedValueCodec;
  readonly fanout: Fanout;
}

/** Which transform fills a collection's fanout, and whether it is a data source (elements received). */
interface Producer {
  readonly transformId: string;
  readonly received: boolean;
}

const pipelines = new Map<string, Promise<Pipeline>>();

/** Rebuilds (once per harness process) the pipeline a payload refers to. */
function pipelineFor(payload: FnPayload): Promise<Pipeline> {
  const key = JSON.stringify(payload.ref);
  let pipeline = pipelines.get(key);
  if (pipeline === undefined) {
    pipeline = rebuildPipeline(payload.ref);
    pipelines.set(key, pipeline);
  }
  return pipeline;
}

async function nodeOf(payload: FnPayload): Promise<GraphNode> {
  const node = (await pipelineFor(payload)).findNode(payload.label);
  if (node === undefined)
    throw new Error(
      `the rebuilt pipeline has no step "${payload.label}": the pipeline definition must build the same steps for the same options`,
    );
  return node;
}

function portOf(protos: BeamProtos, payload: Buffer): { url: string; coderId: string } {
  const port = protos.decode<{ api_service_descriptor: { url: string }; coder_id: string }>('fn_execution.v1.RemoteGrpcPort', payload);
  return { url: port.api_service_descriptor.url, coderId: port.coder_id };
}

export class DescriptorWiring {
  /** One counting fanout per collection of the descriptor, by collection id. */
  readonly fanouts = new Map<string, Fanout>();
  readonly producers = new Map<string, Producer>();
  readonly sources: DataSource[] = [];
  readonly sinks: DataSink[] = [];
  readonly writers: BundleWriteOperator[] = [];
  /** The runs whose steps this descriptor executes (a run abandoned by its submitter fails its bundles). */
  readonly runIds = new Set<string>();
  readonly reads: { readonly transformId: string; readonly operator: ReadSplitOperator }[] = [];
  readonly parDos: ParDoOperator[] = [];
  /** Operators in topological order (producers first), for startBundle / finishBundle. */
  readonly ordered: BundleOperator[] = [];

  private constructor(
    private readonly descriptor: BundleDescriptor,
    private readonly protos: BeamProtos,
    private readonly channelFor: (url: string) => DataChannel,
  ) {}

  static async build(
    descriptor: BundleDescriptor,
    protos: BeamProtos,
    channelFor: (url: string) => DataChannel,
  ): Promise<DescriptorWiring> {
    const wiring = new DescriptorWiring(descriptor, protos, channelFor);
    const operators = new Map<string, BundleOperator>();
    for (const [id, transform] of Object.entries(descriptor.transforms)) {
      const operator = await wiring.operatorFor(id, transform);
      if (operator === undefined) continue;
      operators.set(id, operator);
      for (const output of Object.values(transform.outputs)) wiring.producers.set(output, { transformId: id, received: false });
    }
    for (const [id, transform] of Object.entries(descriptor.transforms)) {
      const operator = operators.get(id);
      if (operator !== undefined) for (const input of Object.values(transform.inputs)) wiring.fanoutOf(input).targets.push(operator);
    }
    wiring.ordered.push(...topologicalOrder(descriptor.transforms, operators));
    return wiring;
  }

  /** The collection's name in the pipeline (its id unless the engine renamed it). */
  collectionName(id: string): string {
    return this.descriptor.pcollections?.[id]?.unique_name || id;
  }

  /** Resolves when every data sink and sink writer can take more (backpressure), or `undefined`. */
  drain(): Promise<void> | undefined {
    let pending: Promise<void>[] | undefined;
    for (const waiting of [...this.sinks.map((sink) => sink.drain()), ...this.writers.map((writer) => writer.write.drain())]) {
      if (waiting === undefined) continue;
      pending ??= [];
      pending.push(waiting);
    }
    return pending === undefined ? undefined : Promise.all(pending).then(() => undefined);
  }

  private fanoutOf(collection: string): Fanout {
    let fanout = this.fanouts.get(collection);
    if (fanout === undefined) {
      fanout = new Fanout();
      this.fanouts.set(collection, fanout);
    }
    return fanout;
  }

  /** The fanout of a transform's output `tag`; an unconnected one when the descriptor leaves the output out. */
  private outputOf(transform: TransformSpec, tag: string): Fanout {
    const collection = transform.outputs[tag];
    return collection === undefined ? new Fanout() : this.fanoutOf(collection);
  }

  /** The single output of a transform (whatever its local name). */
  private mainOf(transform: TransformSpec): Fanout {
    const collection = Object.values(transform.outputs)[0];
    if (collection === undefined) throw new Error(`transform "${transform.unique_name}" has no output`);
    return this.fanoutOf(collection);
  }

  /** The operator of one transform; a data source (`beam:runner:source:v1`) is registered and has none. */
  private async operatorFor(id: string, transform: TransformSpec): Promise<BundleOperator | undefined> {
    const urn = transform.spec?.urn ?? '';
    const payload = transform.spec?.payload ?? Buffer.alloc(0);
    switch (urn) {
      case 'beam:runner:source:v1':
        this.addDataSource(id, transform, payload);
        return undefined;
      case 'beam:runner:sink:v1':
        return this.dataSink(id, payload);
      case 'beam:transform:flatten:v1':
        return new ForwardOperator(this.mainOf(transform));
      case 'beam:transform:window_into:v1': {
        const into = this.protos.decode<{ window_fn: { urn: string; payload: Buffer } }>('pipeline.v1.WindowIntoPayload', payload);
        return new WindowOperator(windowSpecOf(into.window_fn, this.protos), this.mainOf(transform));
      }
      case 'beam:transform:pardo:v1': {
        const doFn = this.protos.decode<{ do_fn: { urn: string; payload: Buffer } }>('pipeline.v1.ParDoPayload', payload).do_fn;
        if (doFn.urn !== LOGBEAM_FN_URN) throw new Error(`transform "${transform.unique_name}": DoFn ${doFn.urn} is not a logbeam step`);
        return this.fnOperator(id, JSON.parse(doFn.payload.toString('utf8')) as FnPayload, transform);
      }
      case 'beam:transform:combine_per_key_precombine:v1':
      case 'beam:transform:combine_per_key_merge_accumulators:v1':
      case 'beam:transform:combine_per_key_extract_outputs:v1':
      case 'beam:transform:combine_grouped_values:v1':
        return this.combineOperator(urn, payload, transform);
      default:
        throw new Error(`transform "${transform.unique_name}" has URN ${urn || '(none)'}, which the logbeam SDK harness does not execute`);
    }
  }

  private addDataSource(id: string, transform: TransformSpec, payload: Buffer): void {
    const port = portOf(this.protos, payload);
    const collection = Object.values(transform.outputs)[0]!;
    this.sources.push({
      transformId: id,
      url: port.url,
      codec: windowedValueCodec(this.descriptor.coders, port.coderId),
      fanout: this.fanoutOf(collection),
    });
    this.producers.set(collection, { transformId: id, received: true });
    this.channelFor(port.url);
  }

  private dataSink(id: string, payload: Buffer): DataSink {
    const port = portOf(this.protos, payload);
    const sink = new DataSink(id, windowedValueCodec(this.descriptor.coders, port.coderId), this.channelFor(port.url));
    this.sinks.push(sink);
    return sink;
  }

  /** The operator of a logbeam step's ParDo (or of one part of a read, write or combineGlobally expansion). */
  private async fnOperator(id: string, payload: FnPayload, transform: TransformSpec): Promise<BundleOperator> {
    this.runIds.add(payload.runId);
    if (payload.label === COMMIT_RUN_LABEL) {
      if (payload.kind === 'kick') return new KickOperator(this.mainOf(transform));
      const writes = (await pipelineFor(payload)).nodes.filter((candidate) => candidate.spec.kind === 'write');
      return new CommitRunOperator(writes, payload.runId, payload.resultsDirectory, this.mainOf(transform));
    }
    const node = await nodeOf(payload);
    const spec = node.spec;
    const sinkContext = { runId: payload.runId, stepLabel: node.label };
    switch (payload.kind) {
      case 'pardo': {
        if (spec.kind !== 'pardo') throw new Error(`step "${node.label}" is a ${spec.kind}, not a ParDo`);
        const operator = stepOperator(node, (tag) => this.outputOf(transform, tag));
        if (!(operator instanceof ParDoOperator)) throw new Error(`step "${node.label}" did not make a ParDo operator`);
        this.parDos.push(operator);
        return operator;
      }
      case 'listSplits':
      case 'readSplit': {
        if (spec.kind !== 'read') throw new Error(`step "${node.label}" is a ${spec.kind}, not a read`);
        if (payload.kind === 'listSplits') return new ListSplitsOperator(spec.source, this.mainOf(transform));
        const operator = new ReadSplitOperator(spec.source, this.mainOf(transform));
        this.reads.push({ transformId: id, operator });
        return operator;
      }
      case 'write': {
        if (spec.kind !== 'write') throw new Error(`step "${node.label}" is a ${spec.kind}, not a write`);
        const writer = new BundleWriteOperator(spec.sink, sinkContext, this.mainOf(transform));
        this.writers.push(writer);
        return writer;
      }
      case 'commitRun':
        throw new Error(`step "${node.label}": a commitRun payload outside the run's commit`);
      case 'kick':
      case 'defaultMarker':
        return new KickOperator(this.mainOf(transform));
      case 'pickDefault':
        if (spec.kind !== 'combinePerKey') throw new Error(`step "${node.label}" is a ${spec.kind}, not a combinePerKey`);
        return new PickDefaultOperator(spec.combineFn, this.mainOf(transform));
      case 'combine':
        throw new Error(`step "${node.label}": a combine payload in a ParDo`);
    }
  }

  /** The operator of one lifted combine phase (or of a whole combine over grouped values). */
  private async combineOperator(urn: string, payload: Buffer, transform: TransformSpec): Promise<BundleOperator> {
    const combine = this.protos.decode<{ combine_fn: { urn: string; payload: Buffer } }>('pipeline.v1.CombinePayload', payload).combine_fn;
    const node = await nodeOf(JSON.parse(combine.payload.toString('utf8')) as FnPayload);
    if (node.spec.kind !== 'combinePerKey') throw new Error(`step "${node.label}" is a ${node.spec.kind}, not a combinePerKey`);
    const fn = node.spec.combineFn;
    const main = this.mainOf(transform);
    if (urn.endsWith('precombine:v1')) return new PrecombineOperator(fn, main);
    if (urn.endsWith('merge_accumulators:v1')) return new MergeAccumulatorsOperator(fn, main);
    if (urn.endsWith('extract_outputs:v1')) return new ExtractOutputsOperator(fn, main);
    return new CombineGroupedValuesOperator(fn, main);
  }
}

/** The transforms' operators, producers first: repeatedly takes the transforms whose inputs are all produced. */
function topologicalOrder(
  transforms: Readonly<Record<string, TransformSpec>>,
  operators: ReadonlyMap<string, BundleOperator>,
): BundleOperator[] {
  const ordered: BundleOperator[] = [];
  const produced = new Set<string>();
  const remaining = new Set(Object.keys(transforms));
  const producedBy = new Set(Object.values(transforms).flatMap((t) => Object.values(t.outputs)));
  while (remaining.size > 0) {
    let progressed = false;
    for (const id of remaining) {
      const transform = transforms[id]!;
      if (Object.values(transform.inputs).every((input) => produced.has(input) || !producedBy.has(input))) {
        remaining.delete(id);
        for (const output of Object.values(transform.outputs)) produced.add(output);
        const operator = operators.get(id);
        if (operator !== undefined) ordered.push(operator);
        progressed = true;
      }
    }
    if (!progressed) throw new Error('the process bundle descriptor has a cycle');
  }
  return ordered;
}
