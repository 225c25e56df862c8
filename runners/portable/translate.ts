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
 * - write `L`: `L/Write` (a writer per bundle; `close()` results, tagged with `L`, as elements);
 * - the run's commit, `(commit run)`: every write's results and a Kick marker (from an Impulse, so the commit
 *   runs even when nothing was written) -> Flatten -> GroupByKey on one key -> `(commit run)/Commit`, which
 *   commits every sink under one decision (runners/commit-run.ts, as the direct runner): all or none;
 * - combineGlobally (combinePerKey with a default) in the global window: the combine composite, then its result
 *   grouped with an Impulse marker, and `L/PickDefault` emits the result or the combiner's default.
 */
import type { GraphNode } from '../../core/graph.js';
import type { PCollection } from '../../core/pcollection.js';
import type { Pipeline, PipelineRef } from '../../core/pipeline.js';
import type { WindowSpec } from '../../core/window.js';
import { planExecution } from '../../execution/stage-plan.js';
import type { BeamProtos } from './beam-protos.js';
import { type CollectionCoder, collectionCoders } from './collection-coders.js';

export const LOGBEAM_FN_URN = 'logbeam:fn:v1';
export const ENVIRONMENT_ID = 'logbeam';
/** The label of the run's commit step (not a pipeline step: labels of pipeline steps cannot start with `(`). */
export const COMMIT_RUN_LABEL = '(commit run)';

/** What an SDK-executed transform's payload says. */
export interface FnPayload {
  readonly ref: PipelineRef;
  readonly runId: string;
  readonly label: string;
  readonly kind: 'pardo' | 'listSplits' | 'readSplit' | 'write' | 'kick' | 'commitRun' | 'combine' | 'defaultMarker' | 'pickDefault';
  /** Where commits write their summaries (a directory the driver reads back), when shared with the driver. */
  readonly resultsDirectory?: string;
}

/** The Runner API id of a step's output collection (step counters are reported per collection id). */
export function collectionId(collection: PCollection<unknown>): string {
  return `${collection.label}.out`;
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
export type HarnessEnvironment =
  | { readonly kind: 'external'; readonly endpoint: string }
  | { readonly kind: 'process'; readonly command: string; readonly env?: Readonly<Record<string, string>> };

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

/** Coder ids of the translated pipeline: values and keys are logbeam payloads in bytes (see payload-codecs). */
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

/** How to add a transform: its URN (none for a plain composite), payload, subtransforms, whether it is a root. */
interface TransformSpec {
  readonly urn?: string;
  readonly inputs: Record<string, string>;
  readonly outputs: Record<string, string>;
  readonly payload?: Buffer;
  readonly subtransforms?: readonly string[];
  /** A root transform of the pipeline (default); subtransforms of a composite pass `false`. */
  readonly top?: boolean;
}

/** URNs the SDK harness executes (the others are run by the engine itself). */
const SDK_URNS: ReadonlySet<string> = new Set([URN.pardo, URN.windowInto, URN.precombine, URN.merge, URN.extract, URN.combinePerKey]);

const GLOBAL: WindowSpec = { kind: 'global' };

/** The Runner API components being built for one pipeline, and the helpers every step kind uses. */
class RunnerApiBuilder {
  readonly transforms: Record<string, Proto> = {};
  readonly pcollections: Record<string, Proto> = {};
  readonly windowingStrategies: Record<string, Proto> = {};
  readonly roots: string[] = [];
  /** The result collections of every write step, for the run's commit. */
  readonly writeResults: string[] = [];
  private readonly collectionIds = new Map<PCollection<unknown>, string>();
  private readonly coders: ReadonlyMap<PCollection<unknown>, CollectionCoder>;

  constructor(
    pipeline: Pipeline,
    readonly protos: BeamProtos,
    private readonly ref: PipelineRef,
    private readonly options: TranslateOptions,
  ) {
    this.coders = collectionCoders(planExecution(pipeline));
  }

  /** The FunctionSpec of an SDK-executed step (see FnPayload). */
  fn(label: string, kind: FnPayload['kind']): Proto {
    const payload: FnPayload = {
      ref: this.ref,
      runId: this.options.runId,
      label,
      kind,
      ...(this.options.resultsDirectory === undefined ? {} : { resultsDirectory: this.options.resultsDirectory }),
    };
    return { urn: LOGBEAM_FN_URN, payload: Buffer.from(JSON.stringify(payload)) };
  }

  parDoPayload(label: string, kind: FnPayload['kind']): Buffer {
    return this.protos.encode('pipeline.v1.ParDoPayload', { do_fn: this.fn(label, kind) });
  }

  addCollection(id: string, coder: Coder, spec: WindowSpec): string {
    if (this.pcollections[id] !== undefined) throw new PortableTranslationError(`two collections are named "${id}"; rename the step`);
    this.pcollections[id] = { unique_name: id, coder_id: coder, is_bounded: 'BOUNDED', windowing_strategy_id: this.strategy(spec) };
    return id;
  }

  addTransform(id: string, spec: TransformSpec): string {
    if (this.transforms[id] !== undefined) throw new PortableTranslationError(`two transforms are named "${id}"; rename the step`);
    const { urn, payload } = spec;
    this.transforms[id] = {
      unique_name: id,
      ...(urn === undefined ? {} : { spec: { urn, ...(payload === undefined ? {} : { payload }) } }),
      inputs: spec.inputs,
      outputs: spec.outputs,
      subtransforms: spec.subtransforms ?? [],
      ...(urn !== undefined && SDK_URNS.has(urn) ? { environment_id: ENVIRONMENT_ID } : {}),
    };
    if (spec.top ?? true) this.roots.push(id);
    return id;
  }

  /** Declares the collections of `node`'s outputs (coder by how they are consumed) and returns them by tag. */
  outputsOf(node: GraphNode): Record<string, string> {
    const outputs: Record<string, string> = {};
    for (const [tag, collection] of node.outputs) {
      outputs[tag] = this.declare(collection, this.coders.get(collection)!);
    }
    return outputs;
  }

  /** Declares `collection` with `coder` under its label (in its own windowing unless `windowSpec` says otherwise). */
  declare(collection: PCollection<unknown>, coder: Coder, windowSpec: WindowSpec = collection.windowSpec): string {
    const id = this.addCollection(collectionId(collection), coder, windowSpec);
    this.collectionIds.set(collection, id);
    return id;
  }

  inputsOf(node: GraphNode): Record<string, string> {
    return Object.fromEntries(node.inputs.map((input, index) => [`in${index}`, this.collectionIds.get(input)!]));
  }

  private strategy(spec: WindowSpec): string {
    const id = `ws:${JSON.stringify(spec)}`;
    this.windowingStrategies[id] ??= windowingStrategy(spec, this.protos);
    return id;
  }
}

/** Builds the Runner API pipeline. Only `definePipeline` pipelines can run portably. */
export function translatePipeline(pipeline: Pipeline, protos: BeamProtos, options: TranslateOptions): Proto {
  const ref = pipeline.ref;
  if (ref === undefined) {
    throw new PortableTranslationError(
      'the portable runner needs a pipeline made with definePipeline(import.meta.url, name, build): SDK harnesses rebuild it by module and name',
    );
  }
  const builder = new RunnerApiBuilder(pipeline, protos, ref, options);
  for (const node of pipeline.nodes) translateStep(builder, node);
  if (builder.writeResults.length > 0) translateCommitRun(builder);
  return {
    components: {
      transforms: builder.transforms,
      pcollections: builder.pcollections,
      windowing_strategies: builder.windowingStrategies,
      coders: CODERS,
      environments: {
        [ENVIRONMENT_ID]: {
          ...environmentSpec(options.environment, protos),
          capabilities: [
            'beam:coder:bytes:v1',
            'beam:coder:kv:v1',
            'beam:coder:iterable:v1',
            'beam:coder:length_prefix:v1',
            'beam:coder:global_window:v1',
            'beam:coder:interval_window:v1',
            'beam:coder:windowed_value:v1',
          ],
          dependencies: [],
        },
      },
    },
    root_transform_ids: builder.roots,
    requirements: [],
  };
}

function translateStep(builder: RunnerApiBuilder, node: GraphNode): void {
  const L = node.label;
  const spec = node.spec;
  switch (spec.kind) {
    case 'read':
      translateRead(builder, node);
      return;
    case 'pardo':
      builder.addTransform(L, {
        urn: URN.pardo,
        inputs: builder.inputsOf(node),
        outputs: builder.outputsOf(node),
        payload: builder.parDoPayload(L, 'pardo'),
      });
      return;
    case 'window': {
      const payload = builder.protos.encode('pipeline.v1.WindowIntoPayload', { window_fn: windowFn(spec.windowSpec, builder.protos) });
      builder.addTransform(L, { urn: URN.windowInto, inputs: builder.inputsOf(node), outputs: builder.outputsOf(node), payload });
      return;
    }
    case 'groupByKey':
      builder.addTransform(L, { urn: URN.gbk, inputs: builder.inputsOf(node), outputs: builder.outputsOf(node) });
      return;
    case 'flatten':
      builder.addTransform(L, { urn: URN.flatten, inputs: builder.inputsOf(node), outputs: builder.outputsOf(node) });
      return;
    case 'combinePerKey':
      translateCombine(builder, node, spec.emitDefaultWhenEmpty);
      return;
    case 'write':
      translateWrite(builder, node);
      return;
  }
}

/** Impulse -> ListSplits -> Redistribute (GroupByKey on the split index) -> ReadSplit, as one composite. */
function translateRead(builder: RunnerApiBuilder, node: GraphNode): void {
  const L = node.label;
  const impulse = builder.addCollection(`${L}/Impulse.out`, 'bytes', GLOBAL);
  const splits = builder.addCollection(`${L}/ListSplits.out`, 'kv', GLOBAL);
  const grouped = builder.addCollection(`${L}/Redistribute.out`, 'kvIterable', GLOBAL);
  const subs = [
    builder.addTransform(`${L}/Impulse`, { urn: URN.impulse, inputs: {}, outputs: { out: impulse }, top: false }),
    builder.addTransform(`${L}/ListSplits`, {
      urn: URN.pardo,
      inputs: { in0: impulse },
      outputs: { main: splits },
      payload: builder.parDoPayload(L, 'listSplits'),
      top: false,
    }),
    builder.addTransform(`${L}/Redistribute`, { urn: URN.gbk, inputs: { in0: splits }, outputs: { out: grouped }, top: false }),
  ];
  const outputs = builder.outputsOf(node);
  subs.push(
    builder.addTransform(`${L}/ReadSplit`, {
      urn: URN.pardo,
      inputs: { in0: grouped },
      outputs,
      payload: builder.parDoPayload(L, 'readSplit'),
      top: false,
    }),
  );
  builder.addTransform(L, { inputs: {}, outputs, subtransforms: subs });
}

/** Beam's combine_per_key composite with its lifted phases; combineGlobally's default on empty input after it. */
function translateCombine(builder: RunnerApiBuilder, node: GraphNode, emitDefaultWhenEmpty: boolean): void {
  const L = node.label;
  const windowSpec = node.inputs[0]!.windowSpec;
  const payload = builder.protos.encode('pipeline.v1.CombinePayload', {
    combine_fn: builder.fn(L, 'combine'),
    accumulator_coder_id: 'bytes',
  });
  const partial = builder.addCollection(`${L}/Precombine.out`, 'kv', windowSpec);
  const grouped = builder.addCollection(`${L}/Group.out`, 'kvIterable', windowSpec);
  const merged = builder.addCollection(`${L}/Merge.out`, 'kv', windowSpec);
  const inputs = builder.inputsOf(node);
  const subs = [
    builder.addTransform(`${L}/Precombine`, { urn: URN.precombine, inputs, outputs: { out: partial }, payload, top: false }),
    builder.addTransform(`${L}/Group`, { urn: URN.gbk, inputs: { in0: partial }, outputs: { out: grouped }, top: false }),
    builder.addTransform(`${L}/Merge`, { urn: URN.merge, inputs: { in0: grouped }, outputs: { out: merged }, payload, top: false }),
  ];
  if (!(emitDefaultWhenEmpty && windowSpec.kind === 'global')) {
    const outputs = builder.outputsOf(node);
    subs.push(builder.addTransform(`${L}/Extract`, { urn: URN.extract, inputs: { in0: merged }, outputs, payload, top: false }));
    builder.addTransform(L, { urn: URN.combinePerKey, inputs, outputs, payload, subtransforms: subs });
    return;
  }
  const combined = builder.addCollection(`${L}/Combine.out`, 'kv', GLOBAL);
  subs.push(
    builder.addTransform(`${L}/Extract`, { urn: URN.extract, inputs: { in0: merged }, outputs: { out: combined }, payload, top: false }),
  );
  builder.addTransform(`${L}/Combine`, {
    urn: URN.combinePerKey,
    inputs,
    outputs: { out: combined },
    payload,
    subtransforms: subs,
    top: false,
  });
  translateCombineDefault(builder, node, inputs, combined);
}

/**
 * combineGlobally's default on empty input, outside the combine composite `L/Combine` (engines such as Prism
 * replace the composite with their own lifted phases): a marker from an Impulse is grouped with the result,
 * and `PickDefault` emits the result, or the combiner's default when only the marker arrived.
 */
function translateCombineDefault(builder: RunnerApiBuilder, node: GraphNode, inputs: Record<string, string>, combined: string): void {
  const L = node.label;
  const impulse = builder.addCollection(`${L}/DefaultImpulse.out`, 'bytes', GLOBAL);
  const marker = builder.addCollection(`${L}/Default.out`, 'kv', GLOBAL);
  const both = builder.addCollection(`${L}/WithDefault.out`, 'kv', GLOBAL);
  const gathered = builder.addCollection(`${L}/GatherDefault.out`, 'kvIterable', GLOBAL);
  const outputs = builder.outputsOf(node);
  builder.addTransform(L, {
    inputs,
    outputs,
    subtransforms: [
      `${L}/Combine`,
      builder.addTransform(`${L}/DefaultImpulse`, { urn: URN.impulse, inputs: {}, outputs: { out: impulse }, top: false }),
      builder.addTransform(`${L}/Default`, {
        urn: URN.pardo,
        inputs: { in0: impulse },
        outputs: { main: marker },
        payload: builder.parDoPayload(L, 'defaultMarker'),
        top: false,
      }),
      builder.addTransform(`${L}/WithDefault`, {
        urn: URN.flatten,
        inputs: { in0: combined, in1: marker },
        outputs: { out: both },
        top: false,
      }),
      builder.addTransform(`${L}/GatherDefault`, { urn: URN.gbk, inputs: { in0: both }, outputs: { out: gathered }, top: false }),
      builder.addTransform(`${L}/PickDefault`, {
        urn: URN.pardo,
        inputs: { in0: gathered },
        outputs,
        payload: builder.parDoPayload(L, 'pickDefault'),
        top: false,
      }),
    ],
  });
}

/** Write: a writer per bundle, whose `close()` results (tagged with the step label) go to the run's commit. */
function translateWrite(builder: RunnerApiBuilder, node: GraphNode): void {
  const L = node.label;
  const results = builder.addCollection(`${L}/Write.out`, 'kv', GLOBAL);
  builder.writeResults.push(results);
  const write = builder.addTransform(`${L}/Write`, {
    urn: URN.pardo,
    inputs: builder.inputsOf(node),
    outputs: { main: results },
    payload: builder.parDoPayload(L, 'write'),
    top: false,
  });
  for (const collection of node.outputs.values()) builder.declare(collection, 'bytes', GLOBAL);
  builder.addTransform(L, { inputs: builder.inputsOf(node), outputs: {}, subtransforms: [write] });
}

/**
 * The run's one commit: every write's results and a Kick marker (from an Impulse, so the commit runs even when
 * no bundle wrote) flattened and gathered on one key, then `CommitRun` commits all sinks under one decision.
 */
function translateCommitRun(builder: RunnerApiBuilder): void {
  const L = COMMIT_RUN_LABEL;
  const impulse = builder.addCollection(`${L}/Impulse.out`, 'bytes', GLOBAL);
  const kick = builder.addCollection(`${L}/Kick.out`, 'kv', GLOBAL);
  const all = builder.addCollection(`${L}/Results.out`, 'kv', GLOBAL);
  const grouped = builder.addCollection(`${L}/Gather.out`, 'kvIterable', GLOBAL);
  const committed = builder.addCollection(`${L}/Commit.out`, 'kv', GLOBAL);
  const subs = [
    builder.addTransform(`${L}/Impulse`, { urn: URN.impulse, inputs: {}, outputs: { out: impulse }, top: false }),
    builder.addTransform(`${L}/Kick`, {
      urn: URN.pardo,
      inputs: { in0: impulse },
      outputs: { main: kick },
      payload: builder.parDoPayload(L, 'kick'),
      top: false,
    }),
    builder.addTransform(`${L}/Results`, {
      urn: URN.flatten,
      inputs: { kick, ...Object.fromEntries(builder.writeResults.map((id, i) => [`in${i}`, id])) },
      outputs: { out: all },
      top: false,
    }),
    builder.addTransform(`${L}/Gather`, { urn: URN.gbk, inputs: { in0: all }, outputs: { out: grouped }, top: false }),
    builder.addTransform(`${L}/Commit`, {
      urn: URN.pardo,
      inputs: { in0: grouped },
      outputs: { main: committed },
      payload: builder.parDoPayload(L, 'commitRun'),
      top: false,
    }),
  ];
  builder.addTransform(L, { inputs: {}, outputs: {}, subtransforms: subs });
}

function environmentSpec(environment: HarnessEnvironment, protos: BeamProtos): Proto {
  if (environment.kind === 'external')
    return {
      urn: 'beam:env:external:v1',
      payload: protos.encode('pipeline.v1.ExternalPayload', { endpoint: { url: environment.endpoint } }),
    };
  return {
    urn: 'beam:env:process:v1',
    payload: protos.encode('pipeline.v1.ProcessPayload', { command: environment.command, env: environment.env ?? {} }),
  };
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
      return {
        urn: 'beam:window_fn:fixed_windows:v1',
        payload: protos.encode('pipeline.v1.FixedWindowsPayload', { size: duration(spec.sizeMicros), offset: duration(spec.offsetMicros) }),
      };
    case 'sliding':
      return {
        urn: 'beam:window_fn:sliding_windows:v1',
        payload: protos.encode('pipeline.v1.SlidingWindowsPayload', {
          size: duration(spec.sizeMicros),
          period: duration(spec.periodMicros),
          offset: duration(spec.offsetMicros),
        }),
      };
    case 'sessions':
      return {
        urn: 'beam:window_fn:session_windows:v1',
        payload: protos.encode('pipeline.v1.SessionWindowsPayload', { gap_size: duration(spec.gapMicros) }),
      };
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
