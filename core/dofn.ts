/**
 * @module dofn
 * A DoFn is the per-element function of a ParDo: `process` is called once per element with a context that
 * emits outputs. The context object is reused across elements (no allocation per element): read
 * `ctx.timestamp` / `ctx.window` inside `process`, do not keep the context.
 */
import type { Micros } from './time.js';
import type { Window } from './window.js';

/** What `process` can read and emit. */
export interface ProcessContext<O> {
  /** The element's event time, epoch microseconds. */
  readonly timestamp: Micros;
  /** The element's window. */
  readonly window: Window;
  /** Emits to the main output with the input's timestamp and window. */
  output(value: O): void;
  /** Emits to the main output with a new event time (same window; re-window afterwards if needed). */
  outputWithTimestamp(value: O, timestamp: Micros): void;
  /** Emits to a tagged output declared with `parDo(...).withOutputs(tag)`. */
  outputTo(tag: string, value: unknown): void;
}

/** What `finishBundle` can emit: outputs need an explicit timestamp and window there. */
export interface FinishBundleContext<O> {
  output(value: O, timestamp: Micros, window: Window): void;
  outputTo(tag: string, value: unknown, timestamp: Micros, window: Window): void;
}

/**
 * A per-element function. A fresh instance is made per worker from the ParDo's factory, so fields may hold
 * per-worker state (a parser, a buffer) safely.
 */
export interface DoFn<I, O> {
  /** Once per instance, before the first bundle. */
  setup?(): void | Promise<void>;
  /** Before each bundle (a split, or a group of elements). */
  startBundle?(): void;
  process(element: I, ctx: ProcessContext<O>): void;
  /** After each bundle. */
  finishBundle?(ctx: FinishBundleContext<O>): void;
  /** Once per instance, at the end. */
  teardown?(): void | Promise<void>;
}
