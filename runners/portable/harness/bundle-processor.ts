/**
 * @module portable/harness/bundle-processor
 * Turns a ProcessBundleDescriptor into wired operators and runs bundles through them: data sources feed
 * elements in arrival order, operators run fused, data sinks send encoded output in bounded chunks and close
 * with `is_last`. A processor runs one bundle at a time and is reused for later bundles of its descriptor.
 */
import { existsSync } from 'node:fs';
import { rebuildPipeline } from '../../../core/define-pipeline.js';
import type { DoFn } from '../../../core/dofn.js';
import type { GraphNode } from '../../../core/graph.js';
import type { Pipeline } from '../../../core/pipeline.js';
import type { Micros } from '../../../core/time.js';
import type { Window, WindowSpec } from '../../../core/window.js';
import type { BeamProtos } from '../beam-protos.js';
import { COMMIT_RUN_LABEL, LOGBEAM_FN_URN, type FnPayload } from '../translate.js';
import { CommitRunOperator } from './commit-run-operator.js';
import { logBundleCounts, type BundleCounts } from './step-count-log.js';
import { NeedMoreData, Reader, Writer, type WindowedValueCodec } from '../wire-format.js';
import { windowedValueCodec, type CoderSpec } from './codecs.js';
import { OUTBOUND_CHUNK_BYTES, type DataChannel } from './data-channel.js';
import {
  ExtractOutputsOperator,
  ForwardOperator,
  KickOperator,
  ListSplitsOperator,
  MergeAccumulatorsOperator,
  ParDoOperator,
  PickDefaultOperator,
  PrecombineOperator,
  ReadSplitOperator,
  Targets,
  WindowIntoOperator,
  WriteOperator,
  type BundleContext,
  type Operator,
} from './operators.js';

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

function nodeOf(pipeline: Pipeline, label: string): GraphNode {
  const node = pipeline.findNode(label);
  if (node === undefined)
    throw new Error(`the rebuilt pipeline has no step "${label}": the pipeline definition must build the same steps for the same options`);
  return node;
}

interface DataSource {
  readonly transformId: string;
  readonly codec: WindowedValueCodec;
  readonly targets: Targets;
}

class DataSink implements Operator {
  private readonly writer = new Writer();
  private instructionId = '';
  private pending: Promise<void>[] = [];

  constructor(
    readonly transformId: string,
    private readonly codec: WindowedValueCodec,
    private readonly channel: DataChannel,
  ) {}

  startBundle(bundle: BundleContext): void {
    this.instructionId = bundle.instructionId;
  }

  process(value: unknown, timestamp: Micros, window: Window): void {
    this.codec.write(this.writer, value, timestamp, window);
    if (this.writer.length >= OUTBOUND_CHUNK_BYTES) {
      const sent = this.channel.send(this.instructionId, this.transformId, this.writer.take(), false);
      if (sent !== undefined) this.pending.push(sent);
    }
  }

  /** Backpressure from the gRPC stream. */
  drain(): Promise<void> | undefined {
    if (this.pending.length === 0) return undefined;
    const pending = this.pending;
    this.pending = [];
    return Promise.all(pending).then(() => undefined);
  }

  async close(): Promise<void> {
    await this.drain();
    await this.channel.send(this.instructionId, this.transformId, this.writer.take(), true);
  }
}

export class BundleProcessor {
  private readonly sources: DataSource[] = [];
  private readonly sinks: DataSink[] = [];
  private readonly writers: WriteOperator[] = [];
  /** Operators in topological order (producers first), for startBundle / finishBundle. */
  private readonly ordered: Operator[] = [];
  private readonly doFns: DoFn<unknown, unknown>[] = [];
  /** The counted outputs of logbeam steps (`label|tag`), with the count already reported. */
  private readonly counted: Array<{ readonly key: string; readonly targets: Targets; reported: number }> = [];
  private readonly reads: ReadSplitOperator[] = [];
  private readRecorded = { bytes: 0, splits: 0 };
  /** The runs whose steps this processor executes (a run abandoned by its submitter fails its bundles). */
  readonly runIds = new Set<string>();
  /** The submitter's results folder, when the steps name one. */
  private resultsDirectory: string | undefined;

  private constructor(
    readonly descriptor: BundleDescriptor,
    private readonly channelFor: (url: string) => DataChannel,
    private readonly workerId: string,
    private readonly harnessId: string,
  ) {}

  static async create(
    descriptor: BundleDescriptor,
    protos: BeamProtos,
    channelFor: (url: string) => DataChannel,
    workerId: string,
    harnessId: string,
  ): Promise<BundleProcessor> {
    const processor = new BundleProcessor(descriptor, channelFor, workerId, harnessId);
    await processor.build(protos);
    for (const doFn of processor.doFns) await doFn.setup?.();
    return processor;
  }

  private async build(protos: BeamProtos): Promise<void> {
    const transforms = this.descriptor.transforms;
    const targets = new Map<string, Targets>();
    const targetsOf = (pcollection: string): Targets => {
      let t = targets.get(pcollection);
      if (t === undefined) {
        t = new Targets();
        targets.set(pcollection, t);
      }
      return t;
    };
    const operators = new Map<string, Operator>();
    for (const [id, transform] of Object.entries(transforms)) {
      const operator = await this.operatorFor(id, transform, protos, targetsOf);
      if (operator !== undefined) operators.set(id, operator);
    }
    for (const [id, transform] of Object.entries(transforms)) {
      const operator = operators.get(id);
      if (operator === undefined) continue;
      for (const input of Object.values(transform.inputs)) targetsOf(input).list.push(operator);
    }
    this.ordered.push(...topologicalOrder(transforms, operators));
  }

  /** The operator of one transform; a data source (`beam:runner:source:v1`) is registered and has none. */
  private async operatorFor(
    id: string,
    transform: TransformSpec,
    protos: BeamProtos,
    targetsOf: (pcollection: string) => Targets,
  ): Promise<Operator | undefined> {
    const urn = transform.spec?.urn ?? '';
    const payload = transform.spec?.payload ?? Buffer.alloc(0);
    const main = (): Targets => targetsOf(Object.values(transform.outputs)[0]!);
    switch (urn) {
      case 'beam:runner:source:v1': {
        const port = protos.decode<{ api_service_descriptor: { url: string }; coder_id: string }>(
          'fn_execution.v1.RemoteGrpcPort',
          payload,
        );
        this.sources.push({ transformId: id, codec: windowedValueCodec(this.descriptor.coders, port.coder_id), targets: main() });
        this.channelFor(port.api_service_descriptor.url);
        this.sourceUrls.set(id, port.api_service_descriptor.url);
        return undefined;
      }
      case 'beam:runner:sink:v1': {
        const port = protos.decode<{ api_service_descriptor: { url: string }; coder_id: string }>(
          'fn_execution.v1.RemoteGrpcPort',
          payload,
        );
        const sink = new DataSink(
          id,
          windowedValueCodec(this.descriptor.coders, port.coder_id),
          this.channelFor(port.api_service_descriptor.url),
        );
        this.sinks.push(sink);
        return sink;
      }
      case 'beam:transform:flatten:v1':
        return new ForwardOperator(main());
      case 'beam:transform:window_into:v1': {
        const into = protos.decode<{ window_fn: { urn: string; payload: Buffer } }>('pipeline.v1.WindowIntoPayload', payload);
        return new WindowIntoOperator(windowSpecOf(into.window_fn, protos), main());
      }
      case 'beam:transform:pardo:v1': {
        const doFn = protos.decode<{ do_fn: { urn: string; payload: Buffer } }>('pipeline.v1.ParDoPayload', payload).do_fn;
        if (doFn.urn !== LOGBEAM_FN_URN) throw new Error(`transform "${transform.unique_name}": DoFn ${doFn.urn} is not a logbeam step`);
        return this.fnOperator(JSON.parse(doFn.payload.toString('utf8')) as FnPayload, transform, main, targetsOf);
      }
      case 'beam:transform:combine_per_key_precombine:v1':
      case 'beam:transform:combine_per_key_merge_accumulators:v1':
      case 'beam:transform:combine_per_key_extract_outputs:v1':
      case 'beam:transform:combine_grouped_values:v1':
        return combineOperator(
          urn,
          protos.decode<{ combine_fn: { urn: string; payload: Buffer } }>('pipeline.v1.CombinePayload', payload).combine_fn,
          main(),
        );
      default:
        throw new Error(`transform "${transform.unique_name}" has URN ${urn || '(none)'}, which the logbeam SDK harness does not execute`);
    }
  }

  private readonly sourceUrls = new Map<string, string>();

  private async fnOperator(
    payload: FnPayload,
    transform: TransformSpec,
    main: () => Targets,
    targetsOf: (pcollection: string) => Targets,
  ): Promise<Operator> {
    const pipeline = await pipelineFor(payload);
    if (payload.label === COMMIT_RUN_LABEL) {
      if (payload.kind === 'kick') return new KickOperator(main());
      const writes = pipeline.nodes.filter((candidate) => candidate.spec.kind === 'write');
      return new CommitRunOperator(writes, payload.runId, payload.resultsDirectory, main());
    }
    const node = nodeOf(pipeline, payload.label);
    const spec = node.spec;
    this.resultsDirectory ??= payload.resultsDirectory;
    this.runIds.add(payload.runId);
    if (payload.kind === 'pardo' || payload.kind === 'readSplit')
      for (const [tag, pcollection] of Object.entries(transform.outputs))
        this.counted.push({ key: `${node.label}|${tag}`, targets: targetsOf(pcollection), reported: 0 });
    const sinkContext = { runId: payload.runId, stepLabel: node.label };
    switch (payload.kind) {
      case 'pardo': {
        if (spec.kind !== 'pardo') throw new Error(`step "${node.label}" is not a ParDo`);
        const tagged = new Map<string, Targets>();
        for (const [tag, pcollection] of Object.entries(transform.outputs)) if (tag !== 'main') tagged.set(tag, targetsOf(pcollection));
        const doFn = spec.createDoFn();
        this.doFns.push(doFn);
        return new ParDoOperator(
          node.label,
          doFn,
          transform.outputs['main'] === undefined ? new Targets() : targetsOf(transform.outputs['main']),
          tagged,
        );
      }
      case 'listSplits':
      case 'readSplit':
        if (spec.kind !== 'read') throw new Error(`step "${node.label}" is not a read`);
        if (payload.kind === 'listSplits') return new ListSplitsOperator(spec.source, main());
        {
          const read = new ReadSplitOperator(spec.source, main());
          this.reads.push(read);
          return read;
        }
      case 'write': {
        if (spec.kind !== 'write') throw new Error(`step "${node.label}" is not a write`);
        const writer = new WriteOperator(spec.sink, sinkContext, main());
        this.writers.push(writer);
        return writer;
      }
      case 'defaultMarker':
        return new KickOperator(main());
      case 'kick':
      case 'commitRun':
        throw new Error(`step "${node.label}": a ${payload.kind} payload outside the run's commit`);
      case 'pickDefault':
        if (spec.kind !== 'combinePerKey') throw new Error(`step "${node.label}" is not a combinePerKey`);
        return new PickDefaultOperator(spec.combineFn, main());
      case 'combine':
        throw new Error(`step "${node.label}": a combine payload in a ParDo`);
    }
  }

  /** Runs one bundle to completion. */
  async process(instructionId: string, signal: AbortSignal): Promise<void> {
    const drain = (): Promise<void> | undefined => {
      let pending: Promise<void>[] | undefined;
      for (const sink of this.sinks) {
        const p = sink.drain();
        if (p !== undefined) {
          pending ??= [];
          pending.push(p);
        }
      }
      for (const writer of this.writers) {
        const p = writer.writer?.drain();
        if (p !== undefined) {
          pending ??= [];
          pending.push(p);
        }
      }
      return pending === undefined ? undefined : Promise.all(pending).then(() => undefined);
    };
    const bundle: BundleContext = { instructionId, workerId: this.workerId, harnessId: this.harnessId, signal, drain };
    try {
      for (const operator of this.ordered) operator.startBundle?.(bundle);
      for (const source of this.sources) {
        const queue = this.channelFor(this.sourceUrls.get(source.transformId)!).queue(instructionId, source.transformId);
        let leftover: Buffer | undefined;
        for (let chunk = await queue.next(); chunk !== undefined; chunk = await queue.next()) {
          const buffer: Buffer = leftover === undefined ? chunk : Buffer.concat([leftover, chunk]);
          leftover = undefined;
          const reader = new Reader(buffer);
          while (!reader.done) {
            const start = reader.offset;
            let element: ReturnType<WindowedValueCodec['read']>;
            try {
              element = source.codec.read(reader);
            } catch (error) {
              if (!(error instanceof NeedMoreData)) throw error;
              leftover = buffer.subarray(start);
              break;
            }
            for (const window of element.windows) {
              const list = source.targets.list;
              for (let i = 0; i < list.length; i++) {
                const result = list[i]!.process(element.value, element.timestamp, window);
                if (result !== undefined) await result;
              }
            }
          }
          const pending = drain();
          if (pending !== undefined) await pending;
        }
        if (leftover !== undefined)
          throw new Error(`the runner's data for ${source.transformId} ended in the middle of an element (${leftover.length} bytes left)`);
      }
      for (const operator of this.ordered) {
        if (operator instanceof DataSink) continue;
        const result = operator.finishBundle?.();
        if (result !== undefined) await result;
      }
      for (const sink of this.sinks) await sink.close();
      await this.reportCounts();
    } catch (error) {
      for (const writer of this.writers) await writer.abort();
      this.collectCounts(); // a failed bundle's elements count nowhere (the engine retries or fails the job)
      throw error;
    } finally {
      for (const source of this.sources) this.channelFor(this.sourceUrls.get(source.transformId)!).release(instructionId);
    }
  }

  /** Logs what this bundle counted (since the last report), when the submitter's results folder is shared. */
  private async reportCounts(): Promise<void> {
    const counts = this.collectCounts();
    if (this.resultsDirectory === undefined || !existsSync(this.resultsDirectory)) return;
    await logBundleCounts(this.resultsDirectory, this.harnessId, counts);
  }

  /** What was counted since the last call. */
  private collectCounts(): BundleCounts {
    const outputs: Record<string, number> = {};
    for (const entry of this.counted) {
      const count = entry.targets.count;
      if (count > entry.reported) outputs[entry.key] = (outputs[entry.key] ?? 0) + count - entry.reported;
      entry.reported = count;
    }
    const bytes = this.reads.reduce((sum, read) => sum + read.bytesRead, 0);
    const splits = this.reads.reduce((sum, read) => sum + read.splitsRead, 0);
    const counts = { outputs, bytesRead: bytes - this.readRecorded.bytes, splitsRead: splits - this.readRecorded.splits };
    this.readRecorded = { bytes, splits };
    return counts;
  }

  async teardown(): Promise<void> {
    for (const doFn of this.doFns) await doFn.teardown?.();
  }
}

/** The operator of one lifted combine phase (or of a whole combine over grouped values). */
async function combineOperator(urn: string, combine: { urn: string; payload: Buffer }, main: Targets): Promise<Operator> {
  const fnPayload = JSON.parse(combine.payload.toString('utf8')) as FnPayload;
  const node = nodeOf(await pipelineFor(fnPayload), fnPayload.label);
  if (node.spec.kind !== 'combinePerKey') throw new Error(`step "${fnPayload.label}" is not a combinePerKey`);
  const fn = node.spec.combineFn;
  if (urn.endsWith('precombine:v1')) return new PrecombineOperator(fn, main);
  if (urn.endsWith('merge_accumulators:v1')) return new MergeAccumulatorsOperator(fn, main);
  if (urn.endsWith('extract_outputs:v1')) return new ExtractOutputsOperator(fn, main);
  // combine_grouped_values: every input of a group added into one accumulator, then extracted.
  const extract = new ExtractOutputsOperator(fn, main);
  return {
    process: (value, timestamp, window) => {
      const pair = value as { key: unknown; value: unknown[] };
      const accumulator = pair.value.reduce((acc, input) => fn.addInput(acc, input), fn.createAccumulator());
      extract.process({ key: pair.key, value: accumulator }, timestamp, window);
    },
  };
}

/** The transforms' operators, producers first: repeatedly takes the transforms whose inputs are all produced. */
function topologicalOrder(transforms: Readonly<Record<string, TransformSpec>>, operators: ReadonlyMap<string, Operator>): Operator[] {
  const ordered: Operator[] = [];
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

function micros(duration: { seconds?: number; nanos?: number } | undefined): number {
  return (duration?.seconds ?? 0) * 1_000_000 + Math.floor((duration?.nanos ?? 0) / 1000);
}

/** Reads Beam's standard window functions back into logbeam's WindowSpec. */
export function windowSpecOf(fn: { urn: string; payload: Buffer }, protos: BeamProtos): WindowSpec {
  switch (fn.urn) {
    case 'beam:window_fn:global_windows:v1':
      return { kind: 'global' };
    case 'beam:window_fn:fixed_windows:v1': {
      const p = protos.decode<{ size: { seconds: number; nanos: number }; offset: { seconds: number; nanos: number } }>(
        'pipeline.v1.FixedWindowsPayload',
        fn.payload,
      );
      return { kind: 'fixed', sizeMicros: micros(p.size), offsetMicros: micros(p.offset) };
    }
    case 'beam:window_fn:sliding_windows:v1': {
      const p = protos.decode<{
        size: { seconds: number; nanos: number };
        period: { seconds: number; nanos: number };
        offset: { seconds: number; nanos: number };
      }>('pipeline.v1.SlidingWindowsPayload', fn.payload);
      return { kind: 'sliding', sizeMicros: micros(p.size), periodMicros: micros(p.period), offsetMicros: micros(p.offset) };
    }
    case 'beam:window_fn:session_windows:v1': {
      const p = protos.decode<{ gap_size: { seconds: number; nanos: number } }>('pipeline.v1.SessionWindowsPayload', fn.payload);
      return { kind: 'sessions', gapMicros: micros(p.gap_size) };
    }
    default:
      throw new Error(`window function ${fn.urn} is not supported by the logbeam SDK harness`);
  }
}
