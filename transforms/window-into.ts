/**
 * @module window-into
 * `assignTimestamps` sets each element's event time; `windowInto` assigns windows from it.
 */
import type { PCollection } from '../core/pcollection.js';
import { PTransform, labelFor, type TransformOptions } from '../core/ptransform.js';
import type { Micros } from '../core/time.js';
import { describeWindowSpec, type WindowSpec } from '../core/window.js';
import { requireFunction } from './map.js';
import { parDo } from './par-do.js';

/**
 * Sets each element's event time to `fn(element)` (epoch microseconds). An element for which `fn` returns
 * `undefined` or a non-finite number keeps its current timestamp.
 * @example records.apply(assignTimestamps((r: AlbRecord) => isoToMicros(r.time)))
 */
export function assignTimestamps<T>(
  fn: (element: T) => Micros | undefined,
  options?: TransformOptions,
): PTransform<PCollection<T>, PCollection<T>> {
  requireFunction('assignTimestamps', fn);
  return parDo<T, T>(labelFor('AssignTimestamps', options, fn), () => ({
    process: (element, ctx) => {
      const timestamp = fn(element);
      if (timestamp === undefined || !Number.isFinite(timestamp)) ctx.output(element);
      else ctx.outputWithTimestamp(element, timestamp);
    },
  }));
}

class WindowInto<T> extends PTransform<PCollection<T>, PCollection<T>> {
  constructor(
    label: string,
    private readonly spec: WindowSpec,
  ) {
    super(label);
  }

  expand(input: PCollection<T>): PCollection<T> {
    const outputs = input.pipeline.addStep({ kind: 'window', windowSpec: this.spec }, [input], {
      windowSpec: this.spec,
      config: { window: this.spec },
    });
    return outputs.get('main') as PCollection<T>;
  }
}

/**
 * Assigns every element to windows of `spec` by its event time; later group-by-key and combine steps group
 * per window.
 * @example records.apply(windowInto(fixedWindows(3_600_000))) // hourly windows
 */
export function windowInto<T>(spec: WindowSpec, options?: TransformOptions): PTransform<PCollection<T>, PCollection<T>> {
  return new WindowInto<T>(options?.label ?? `WindowInto(${describeWindowSpec(spec)})`, spec);
}
