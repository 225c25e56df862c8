/**
 * @module portable/harness/operators
 * The executable form of the transforms of a process bundle descriptor. Operators push elements straight into
 * their consumers (fused, no intermediate buffers). Only the first operator after a data source may return a
 * promise from `process` (reads, listing splits, commits); the bundle processor awaits it.
 */
import type { CombineFn } from '../../../core/combine-fn.js';
import type { DoFn, FinishBundleContext, ProcessContext } from '../../../core/dofn.js';
import { keyIdentity, type KV } from '../../../core/kv.js';
import type { Sink, SinkContext, SinkWriter } from '../../../core/sink.js';
import type { BoundedSource, Split } from '../../../core/source.js';
import type { Micros } from '../../../core/time.js';
import { writerName } from './harness-id.js';
import { assignWindows, GLOBAL_WINDOW, maxTimestamp, windowId, type Window, type WindowSpec } from '../../../core/window.js';

export interface Operator {
  startBundle?(bundle: BundleContext): void;
  process(value: unknown, timestamp: Micros, window: Window): void | Promise<void>;
  finishBundle?(): void | Promise<void>;
}

/** What operators know about the running bundle. */
export interface BundleContext {
  readonly instructionId: string;
  readonly workerId: string;
  /** The harness's unique id (see harness-id), unlike the engine's reused worker id. */
  readonly harnessId: string;
  readonly signal: AbortSignal;
  /** Resolves when every sink writer of the bundle can take more (backpressure), or `undefined`. */
  drain(): Promise<void> | undefined;
}

/** The consumers of one collection. */
export class Targets {
  readonly list: Operator[] = [];
  /** Elements emitted so far (the collection's count, for step counts). */
  count = 0;

  emit(value: unknown, timestamp: Micros, window: Window): void {
    this.count++;
    const list = this.list;
    for (let i = 0; i < list.length; i++) list[i]!.process(value, timestamp, window);
  }
}

/** Runs a user DoFn; is its own reused ProcessContext. */
export class ParDoOperator implements Operator, ProcessContext<unknown>, FinishBundleContext<unknown> {
  timestamp: Micros = 0;
  window: Window = GLOBAL_WINDOW;

  constructor(
    private readonly label: string,
    readonly doFn: DoFn<unknown, unknown>,
    private readonly main: Targets,
    private readonly tagged: ReadonlyMap<string, Targets>,
  ) {}

  startBundle(): void {
    this.doFn.startBundle?.();
  }

  process(value: unknown, timestamp: Micros, window: Window): void {
    this.timestamp = timestamp;
    this.window = window;
    this.doFn.process(value, this);
  }

  output(value: unknown, timestamp?: Micros, window?: Window): void {
    this.main.emit(value, timestamp ?? this.timestamp, window ?? this.window);
  }

  outputWithTimestamp(value: unknown, timestamp: Micros): void {
    this.main.emit(value, timestamp, this.window);
  }

  outputTo(tag: string, value: unknown, timestamp?: Micros, window?: Window): void {
    const targets = this.tagged.get(tag);
    if (targets === undefined)
      throw new Error(`step "${this.label}" emitted to undeclared output "${tag}"; add it with .withOutputs("${tag}")`);
    targets.emit(value, timestamp ?? this.timestamp, window ?? this.window);
  }

  finishBundle(): void {
    this.doFn.finishBundle?.(this);
  }
}

export class WindowIntoOperator implements Operator {
  private value: unknown;
  private timestamp: Micros = 0;
  private readonly emitTo = (window: Window): void => this.next.emit(this.value, this.timestamp, window);

  constructor(
    private readonly spec: WindowSpec,
    private readonly next: Targets,
  ) {}

  process(value: unknown, timestamp: Micros): void {
    this.value = value;
    this.timestamp = timestamp;
    assignWindows(this.spec, timestamp, this.emitTo);
  }
}

export class ForwardOperator implements Operator {
  constructor(private readonly next: Targets) {}

  process(value: unknown, timestamp: Micros, window: Window): void {
    this.next.emit(value, timestamp, window);
  }
}

/** Bundle-local partial combining (Beam's precombine phase): one accumulator per key and window per bundle. */
export class PrecombineOperator implements Operator {
  private groups = new Map<string, { key: unknown; window: Window; accumulator: unknown }>();
  private static readonly MAX_GROUPS = 50_000;

  constructor(
    private readonly fn: CombineFn<unknown, unknown, unknown>,
    private readonly next: Targets,
  ) {}

  process(element: unknown, _timestamp: Micros, window: Window): void {
    const pair = element as KV<unknown, unknown>;
    const id = `${windowId(window)}\u0001${String(keyIdentity(pair.key))}\u0001${typeof pair.key}`;
    let group = this.groups.get(id);
    if (group === undefined) {
      if (this.groups.size >= PrecombineOperator.MAX_GROUPS) this.flush();
      group = { key: pair.key, window, accumulator: this.fn.createAccumulator() };
      this.groups.set(id, group);
    }
    group.accumulator = this.fn.addInput(group.accumulator, pair.value);
  }

  finishBundle(): void {
    this.flush();
  }

  private flush(): void {
    const groups = this.groups;
    this.groups = new Map();
    for (const group of groups.values())
      this.next.emit({ key: group.key, value: group.accumulator }, maxTimestamp(group.window), group.window);
  }
}

export class MergeAccumulatorsOperator implements Operator {
  constructor(
    private readonly fn: CombineFn<unknown, unknown, unknown>,
    private readonly next: Targets,
  ) {}

  process(element: unknown, timestamp: Micros, window: Window): void {
    const pair = element as KV<unknown, unknown[]>;
    this.next.emit({ key: pair.key, value: this.fn.mergeAccumulators(pair.value) }, timestamp, window);
  }
}

export class ExtractOutputsOperator implements Operator {
  constructor(
    private readonly fn: CombineFn<unknown, unknown, unknown>,
    private readonly next: Targets,
  ) {}

  process(element: unknown, timestamp: Micros, window: Window): void {
    const pair = element as KV<unknown, unknown>;
    this.next.emit({ key: pair.key, value: this.fn.extractOutput(pair.value) }, timestamp, window);
  }
}

/**
 * combineGlobally's default on empty input: receives the combined result (if any) grouped with an `undefined`
 * marker under the null key; emits the result, or `extractOutput(createAccumulator())` when there was none.
 */
export class PickDefaultOperator implements Operator {
  constructor(
    private readonly fn: CombineFn<unknown, unknown, unknown>,
    private readonly next: Targets,
  ) {}

  process(element: unknown, timestamp: Micros, window: Window): void {
    const pair = element as KV<unknown, unknown[]>;
    let emitted = false;
    for (const value of pair.value) {
      if (value === undefined) continue;
      this.next.emit({ key: pair.key, value }, timestamp, window);
      emitted = true;
    }
    if (!emitted) this.next.emit({ key: pair.key, value: this.fn.extractOutput(this.fn.createAccumulator()) }, timestamp, window);
  }
}

/** Lists a source's splits in the harness (fed by an Impulse); emits `{key: index, value: split}`. */
export class ListSplitsOperator implements Operator {
  private bundle: BundleContext | undefined;

  constructor(
    private readonly source: BoundedSource<unknown>,
    private readonly next: Targets,
  ) {}

  startBundle(bundle: BundleContext): void {
    this.bundle = bundle;
  }

  async process(): Promise<void> {
    const splits = await this.source.listSplits({ signal: this.bundle!.signal });
    for (const [index, split] of splits.entries()) this.next.emit({ key: index, value: split }, 0, GLOBAL_WINDOW);
  }
}

/** How often, at most, a split being read lets the event loop run. */
const YIELD_EVERY_MS = 100;

/** Reads the splits grouped under one key. */
export class ReadSplitOperator implements Operator {
  private bundle: BundleContext | undefined;
  /** Raw bytes and splits read so far. */
  bytesRead = 0;
  splitsRead = 0;
  private lastYield = performance.now();

  constructor(
    private readonly source: BoundedSource<unknown>,
    private readonly next: Targets,
  ) {}

  startBundle(bundle: BundleContext): void {
    this.bundle = bundle;
  }

  async process(element: unknown): Promise<void> {
    const bundle = this.bundle!;
    const next = this.next;
    for (const split of (element as KV<number, Split[]>).value) {
      await this.source.readSplit(
        split,
        {
          emit: (value, timestamp) => next.emit(value, timestamp, GLOBAL_WINDOW),
          checkpoint: () => {
            bundle.signal.throwIfAborted();
            // A long split is read without returning to the event loop; let it in now and then, so the
            // harness hears a cancellation (an abandoned run, a closed control stream) while the split runs.
            const now = performance.now();
            if (now - this.lastYield < YIELD_EVERY_MS) return bundle.drain();
            this.lastYield = now;
            return new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
              bundle.signal.throwIfAborted();
              return bundle.drain();
            });
          },
          addBytesRead: (bytes) => {
            this.bytesRead += bytes;
          },
        },
        { signal: bundle.signal },
      );
      this.splitsRead++;
    }
  }
}

/** What a write step sends to the run's commit: its label and one writer's `close()` result. */
export interface WriterResult {
  readonly step: string;
  readonly result: unknown;
}

/** A sink writer per bundle; emits `{key: null, value: {step, result}}` (`result` from `close()`) at the end of the bundle. */
export class WriteOperator implements Operator {
  writer: SinkWriter<unknown> | undefined;

  constructor(
    private readonly sink: Sink<unknown>,
    private readonly context: SinkContext,
    private readonly next: Targets,
  ) {}

  startBundle(bundle: BundleContext): void {
    this.writer = this.sink.createWriter(this.context, writerName(bundle.harnessId, bundle.instructionId));
  }

  process(value: unknown, timestamp: Micros, window: Window): void {
    this.writer!.write(value, timestamp, window);
  }

  async finishBundle(): Promise<void> {
    const writer = this.writer!;
    this.writer = undefined;
    const result = await writer.close();
    const tagged: WriterResult = { step: this.context.stepLabel, result };
    this.next.emit({ key: null, value: tagged }, GLOBAL_WINDOW.end - 1, GLOBAL_WINDOW);
  }

  async abort(): Promise<void> {
    await this.writer?.abort().catch(() => undefined);
    this.writer = undefined;
  }
}

/** Emits the marker that makes a commit run even when no bundle wrote anything. */
export class KickOperator implements Operator {
  constructor(private readonly next: Targets) {}

  process(): void {
    this.next.emit({ key: null, value: undefined }, GLOBAL_WINDOW.end - 1, GLOBAL_WINDOW);
  }
}
