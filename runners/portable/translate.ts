/**
 * @module portable/translate
 * Translates a logbeam pipeline into a Beam Runner API `Pipeline` (as a plain object for `beam-protos`).
 *
 * Nothing is serialised as code: every SDK-executed transform carries a `logbeam:fn:v1` FunctionSpec whose
 * payload is JSON `{ ref, runId, label, kind }`; the SDK harness rebuilds the pipeline from `ref` (module URL,
 * definition name, JSON options) and finds the step by its label. Expansions:
 * - read `L`: Impulse -> `L/ListSplits` (one KV per split) -> `L/Redistribute` (GroupByKey on the split index,
 *   so the engine spreads splits over workers) -> `L/ReadSplit`;
 * - combinePerKey: Beam's `combine_per_key` composite with the lifted phases as subtransforms
 *   (precombine -> GroupByKey -> merge accumulators -> extract outputs);
 * - write `L`: `L/Write` (a writer per bundle; `close()` results as elements) and `L/Kick` (one marker from an
 *   Impulse, so the commit runs even when no bundle wrote) -> Flatten -> GroupByKey on one key -> `L/Commit`
 *   (`sink.commit(results)` once, then a marker: sinks with a higher `commitOrder` also gather the markers of
 *   the lower ones, so they commit after them);
 * - combineGlobally (combinePerKey with a default) in the global window: the combine composite, then its result
 *   grouped with an Impulse marker, and `L/PickDefault` emits the result or the combiner's default.
 */
import type { GraphNode } from '../../core/graph.js';
import type { PCollection } from '../../core/pcollection.js';
import type { Pipeline, PipelineRef } from '../../core/pipeline.js';
import type { WindowSpec } from '../../core/window.js';
import type { BeamProtos } from './beam-protos.js';

export const LOGBEAM_FN_URN = 'logbeam:fn:v1';
export const ENVIRONMENT_ID = 'logbeam';

/** What an SDK-executed transform's payload says. */
export interface FnPayload {
  readonly ref: PipelineRef;
  readonly runId: string;
  readonly label: string;
  readonly kind: 'pardo' | 'listSplits' | 'readSplit' | 'write' | 'kick' | 'commit' | 'combine' | 'defaultMarker' | 'pickDefault';
  /** Where commits write their summaries (a directory the driver reads back), when shared with the driver. */
  readonly resultsDirectory?: string;
}

/** Thrown for pipelines the portable runner cannot run. */
export class PortableTranslationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PortableTranslationError';
  }
}

/**
 * Where the engine gets SDK harnesses: an EXTERNAL worker pool (a `BeamFnExternalWorkerPool` at `endpoint`,
 * `host:port`), or a PROCESS environment (the job server runs `command` with Beam's boot arguments).
 */
export type HarnessEnvironment = { readonly kind: 'external'; readonly endpoint: string } | { readonly kind: 'process'; readonly command: string; readonly env?: Readonly<Record<string, string>> };

export interface TranslateOptions {
  readonly runId: string;
  readonly environment: HarnessEnvironment;
  readonly resultsDirectory?: string;
}

const URN = {
  impulse: 'beam:transform:impulse:v1',
  pardo: 'beam:transform:pardo:v1',
  gbk: 'beam:transform:group_by_key:v1',
  flatten: 'beam:transform:flatten:v1',
  windowInto: 'beam:transform:window_into:v1',
  combinePerKey: 'beam:transform:combine_per_key:v1',
  precombine: 'beam:transform:combine_per_key_precombine:v1',
  merge: 'beam:transform:combine_per_key_merge_accumulators:v1',
  extract: 'beam:transform:combine_per_key_extract_outputs:v1',
} as const;

/** Coder ids of the translated pipeline: values are V8 bytes, keys JSON bytes (see wire-format). */
const CODERS = {
  bytes: { spec: { urn: 'beam:coder:bytes:v1' } },
  iterable: { spec: { urn: 'beam:coder:iterable:v1' }, component_coder_ids: ['bytes'] },
  kv: { spec: { urn: 'beam:coder:kv:v1' }, component_coder_ids: ['bytes', 'bytes'] },
  kvIterable: { spec: { urn: 'beam:coder:kv:v1' }, component_coder_ids: ['bytes', 'iterable'] },
  globalWindow: { spec: { urn: 'beam:coder:global_window:v1' } },
  intervalWindow: { spec: { urn: 'beam:coder:interval_window:v1' } },
};

type Coder = keyof typeof CODERS;
type Proto = Record<string, unknown>;

/** Builds the Runner API pipeline. Only `definePipeline` pipelines can run portably. */
export function translatePipeline(pipeline: Pipeline, protos: BeamProtos, options: TranslateOptions): Proto {
  const ref = pipeline.ref;
  if (ref === undefined) {
    throw new PortableTranslationError('the portable runner needs a pipeline made with definePipeline(import.meta.url, name, build): SDK harnesses rebuild it by module and name');
  }
  const transforms: Record<string, Proto> = {};
  const pcollections: Record<string, Proto> = {};
  const windowingStrategies: Record<string, Proto> = {};
  const roots: string[] = [];
  const collectionIds = new Map<PCollection<unknown>, string>();
  const fn = (label: string, kind: FnPayload['kind']): Proto => ({
    urn: LOGBEAM_FN_URN,
    payload: Buffer.from(JSON.stringify({ ref, runId: options.runId, label, kind, ...(options.resultsDirectory === undefined ? {} : { resultsDirectory: options.resultsDirectory }) } satisfies FnPayload)),
  });
  const strategy = (spec: WindowSpec): string => {
    const id = `ws:${JSON.stringify(spec)}`;
    windowingStrategies[id] ??= windowingStrategy(spec, protos);
    return id;
  };
  const addCollection = (id: string, coder: Coder, spec: WindowSpec): string => {
    if (pcollections[id] !== undefined) throw new PortableTranslationError(`two collections are named "${id}"; rename the step`);
    pcollections[id] = { unique_name: id, coder_id: coder, is_bounded: 'BOUNDED', windowing_strategy_id: strategy(spec) };
    return id;
  };
  const addTransform = (id: string, urn: string | undefined, inputs: Record<string, string>, outputs: Record<string, string>, payload?: Buffer, subtransforms?: string[], top = true): string => {
    if (transforms[id] !== undefined) throw new PortableTranslationError(`two transforms are named "${id}"; rename the step`);
    const sdk = urn === URN.pardo || urn === URN.windowInto || urn === URN.precombine || urn === URN.merge || urn === URN.extract || urn === URN.combinePerKey;
    transforms[id] = {
      unique_name: id,
      ...(urn === undefined ? {} : { spec: { urn, ...(payload === undefined ? {} : { payload }) } }),
      inputs,
      outputs,
      subtransforms: subtransforms ?? [],
      ...(sdk ? { environment_id: ENVIRONMENT_ID } : {}),
    };
    if (top) roots.push(id);
    return id;
  };
  const parDoPayload = (label: string, kind: FnPayload['kind']): Buffer => protos.encode('pipeline.v1.ParDoPayload', { do_fn: fn(label, kind) });
  const consumedByShuffle = (collection: PCollection<unknown>): boolean => pipeline.consumersOf(collection).some((c) => c.spec.kind === 'groupByKey' || c.spec.kind === 'combinePerKey');
  const outputsOf = (node: GraphNode): Record<string, string> => {
    const outputs: Record<string, string> = {};
    for (const [tag, collection] of node.outputs) {
      const id = `${collection.label}.out`;
      const coder: Coder = node.spec.kind === 'groupByKey' ? 'kvIterable' : consumedByShuffle(collection) ? 'kv' : 'bytes';
      addCollection(id, coder, collection.windowSpec);
      collectionIds.set(collection, id);
      outputs[tag] = id;
    }
    return outputs;
  };
  const inputsOf = (node: GraphNode): Record<string, string> => Object.fromEntries(node.inputs.map((input, index) => [`in${index}`, collectionIds.get(input)!]));
  const global: WindowSpec = { kind: 'global' };
  const writeNodes = pipeline.nodes.filter((node) => node.spec.kind === 'write');

  for (const node of pipeline.nodes) {
    const L = node.label;
    const spec = node.spec;
    switch (spec.kind) {
      case 'read': {
        const impulse = addCollection(`${L}/Impulse.out`, 'bytes', global);
        const splits = addCollection(`${L}/ListSplits.out`, 'kv', global);
        const grouped = addCollection(`${L}/Redistribute.out`, 'kvIterable', global);
        const subs = [
          addTransform(`${L}/Impulse`, URN.impulse, {}, { out: impulse }, undefined, undefined, false),
          addTransform(`${L}/ListSplits`, URN.pardo, { in0: impulse }, { main: splits }, parDoPayload(L, 'listSplits'), undefined, false),
          addTransform(`${L}/Redistribute`, URN.gbk, { in0: splits }, { out: grouped }, undefined, undefined, false),
        ];
        const outputs = outputsOf(node);
        subs.push(addTransform(`${L}/ReadSplit`, URN.pardo, { in0: grouped }, outputs, parDoPayload(L, 'readSplit'), undefined, false));
        addTransform(L, undefined, {}, outputs, undefined, subs);
        break;
      }
      case 'pardo':
        addTransform(L, URN.pardo, inputsOf(node), outputsOf(node), parDoPayload(L, 'pardo'));
        break;
      case 'window':
        addTransform(L, URN.windowInto, inputsOf(node), outputsOf(node), protos.encode('pipeline.v1.WindowIntoPayload', { window_fn: windowFn(spec.windowSpec, protos) }));
        break;
      case 'groupByKey':
        addTransform(L, URN.gbk, inputsOf(node), outputsOf(node));
        break;
      case 'flatten':
        addTransform(L, URN.flatten, inputsOf(node), outputsOf(node));
        break;
      case 'combinePerKey': {
        const input = node.inputs[0]!;
        const windowSpec = input.windowSpec;
        const payload = protos.encode('pipeline.v1.CombinePayload', { combine_fn: fn(L, 'combine'), accumulator_coder_id: 'bytes' });
        const partial = addCollection(`${L}/Precombine.out`, 'kv', windowSpec);
        const grouped = addCollection(`${L}/Group.out`, 'kvIterable', windowSpec);
        const merged = addCollection(`${L}/Merge.out`, 'kv', windowSpec);
        const inputs = inputsOf(node);
        const subs = [addTransform(`${L}/Precombine`, URN.precombine, inputs, { out: partial }, payload, undefined, false)];
        subs.push(
          addTransform(`${L}/Group`, URN.gbk, { in0: partial }, { out: grouped }, undefined, undefined, false),
          addTransform(`${L}/Merge`, URN.merge, { in0: grouped }, { out: merged }, payload, undefined, false),
        );
        if (!(spec.emitDefaultWhenEmpty && windowSpec.kind === 'global')) {
          const outputs = outputsOf(node);
          subs.push(addTransform(`${L}/Extract`, URN.extract, { in0: merged }, outputs, payload, undefined, false));
          addTransform(L, URN.combinePerKey, inputs, outputs, payload, subs);
          break;
        }
        // combineGlobally's default on empty input, outside the combine composite (engines such as Prism replace
        // the composite with their own lifted phases): a marker from an Impulse is grouped with the result, and
        // `PickDefault` emits the result, or the combiner's default when only the marker arrived.
        const combined = addCollection(`${L}/Combine.out`, 'kv', global);
        subs.push(addTransform(`${L}/Extract`, URN.extract, { in0: merged }, { out: combined }, payload, undefined, false));
        const impulse = addCollection(`${L}/DefaultImpulse.out`, 'bytes', global);
        const marker = addCollection(`${L}/Default.out`, 'kv', global);
        const both = addCollection(`${L}/WithDefault.out`, 'kv', global);
        const gathered = addCollection(`${L}/GatherDefault.out`, 'kvIterable', global);
        const outputs = outputsOf(node);
        addTransform(`${L}/Combine`, URN.combinePerKey, inputs, { out: combined }, payload, subs, false);
        addTransform(
          L,
          undefined,
          inputs,
          outputs,
          undefined,
          [
            `${L}/Combine`,
            addTransform(`${L}/DefaultImpulse`, URN.impulse, {}, { out: impulse }, undefined, undefined, false),
            addTransform(`${L}/Default`, URN.pardo, { in0: impulse }, { main: marker }, parDoPayload(L, 'defaultMarker'), undefined, false),
            addTransform(`${L}/WithDefault`, URN.flatten, { in0: combined, in1: marker }, { out: both }, undefined, undefined, false),
            addTransform(`${L}/GatherDefault`, URN.gbk, { in0: both }, { out: gathered }, undefined, undefined, false),
            addTransform(`${L}/PickDefault`, URN.pardo, { in0: gathered }, outputs, parDoPayload(L, 'pickDefault'), undefined, false),
          ],
        );
        break;
      }
      case 'write': {
        const results = addCollection(`${L}/Write.out`, 'kv', global);
        const impulse = addCollection(`${L}/Impulse.out`, 'bytes', global);
        const kick = addCollection(`${L}/Kick.out`, 'kv', global);
        const all = addCollection(`${L}/Results.out`, 'kv', global);
        const grouped = addCollection(`${L}/Gather.out`, 'kvIterable', global);
        const committed = addCollection(`${L}/Commit.out`, 'kv', global);
        // Sinks commit in `commitOrder` (a bookmark after the outputs): a later commit also waits for the
        // markers of every earlier one, so its group only forms once they are done.
        const order = spec.sink.commitOrder ?? 0;
        const earlier = Object.fromEntries(writeNodes.filter((w) => w.spec.kind === 'write' && (w.spec.sink.commitOrder ?? 0) < order).map((w, i) => [`after${i}`, `${w.label}/Commit.out`]));
        const subs = [
          addTransform(`${L}/Write`, URN.pardo, inputsOf(node), { main: results }, parDoPayload(L, 'write'), undefined, false),
          addTransform(`${L}/Impulse`, URN.impulse, {}, { out: impulse }, undefined, undefined, false),
          addTransform(`${L}/Kick`, URN.pardo, { in0: impulse }, { main: kick }, parDoPayload(L, 'kick'), undefined, false),
          addTransform(`${L}/Results`, URN.flatten, { in0: results, in1: kick, ...earlier }, { out: all }, undefined, undefined, false),
          addTransform(`${L}/Gather`, URN.gbk, { in0: all }, { out: grouped }, undefined, undefined, false),
          addTransform(`${L}/Commit`, URN.pardo, { in0: grouped }, { main: committed }, parDoPayload(L, 'commit'), undefined, false),
        ];
        for (const [tag, collection] of node.outputs) {
          addCollection(`${collection.label}.out`, 'bytes', global);
          collectionIds.set(collection, `${collection.label}.out`);
          void tag;
        }
        addTransform(L, undefined, inputsOf(node), {}, undefined, subs);
        break;
      }
    }
  }
  return {
    components: {
      transforms,
      pcollections,
      windowing_strategies: windowingStrategies,
      coders: CODERS,
      environments: {
        [ENVIRONMENT_ID]: {
          ...environmentSpec(options.environment, protos),
          capabilities: ['beam:coder:bytes:v1', 'beam:coder:kv:v1', 'beam:coder:iterable:v1', 'beam:coder:length_prefix:v1', 'beam:coder:global_window:v1', 'beam:coder:interval_window:v1', 'beam:coder:windowed_value:v1'],
          dependencies: [],
        },
      },
    },
    root_transform_ids: roots,
    requirements: [],
  };
}

function environmentSpec(environment: HarnessEnvironment, protos: BeamProtos): Proto {
  if (environment.kind === 'external') return { urn: 'beam:env:external:v1', payload: protos.encode('pipeline.v1.ExternalPayload', { endpoint: { url: environment.endpoint } }) };
  return { urn: 'beam:env:process:v1', payload: protos.encode('pipeline.v1.ProcessPayload', { command: environment.command, env: environment.env ?? {} }) };
}

function duration(micros: number): Proto {
  return { seconds: Math.floor(micros / 1_000_000), nanos: (micros % 1_000_000) * 1000 };
}

/** Beam's standard window function for a WindowSpec. */
export function windowFn(spec: WindowSpec, protos: BeamProtos): Proto {
  switch (spec.kind) {
    case 'global':
      return { urn: 'beam:window_fn:global_windows:v1' };
    case 'fixed':
      return { urn: 'beam:window_fn:fixed_windows:v1', payload: protos.encode('pipeline.v1.FixedWindowsPayload', { size: duration(spec.sizeMicros), offset: duration(spec.offsetMicros) }) };
    case 'sliding':
      return { urn: 'beam:window_fn:sliding_windows:v1', payload: protos.encode('pipeline.v1.SlidingWindowsPayload', { size: duration(spec.sizeMicros), period: duration(spec.periodMicros), offset: duration(spec.offsetMicros) }) };
    case 'sessions':
      return { urn: 'beam:window_fn:session_windows:v1', payload: protos.encode('pipeline.v1.SessionWindowsPayload', { gap_size: duration(spec.gapMicros) }) };
  }
}

function windowingStrategy(spec: WindowSpec, protos: BeamProtos): Proto {
  return {
    window_fn: windowFn(spec, protos),
    merge_status: spec.kind === 'sessions' ? 'NEEDS_MERGE' : 'NON_MERGING',
    window_coder_id: spec.kind === 'global' ? 'globalWindow' : 'intervalWindow',
    trigger: { default: {} },
    accumulation_mode: 'DISCARDING',
    output_time: 'END_OF_WINDOW',
    closing_behavior: 'EMIT_IF_NONEMPTY',
    on_time_behavior: 'FIRE_IF_NONEMPTY',
    allowed_lateness: 0,
    assigns_to_one_window: spec.kind !== 'sliding',
    environment_id: ENVIRONMENT_ID,
  };
}
