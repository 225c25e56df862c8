/**
 * @module pcollection
 * A PCollection is an immutable, unordered, possibly huge collection of elements, each with an event timestamp
 * and a window. It is a handle in the graph, not a container: elements exist only while a runner executes.
 */
import type { GraphNode } from './graph.js';
import type { Pipeline } from './pipeline.js';
import type { PTransform } from './ptransform.js';
import type { WindowSpec } from './window.js';

export class PCollection<T> {
  /** Phantom field carrying the element type. */
  declare readonly elementType?: T;

  /** @internal Use transforms to make PCollections. */
  constructor(
    readonly pipeline: Pipeline,
    readonly id: number,
    /** The step that produces this collection. */
    readonly producer: GraphNode | undefined,
    /** The producer's output tag. */
    readonly tag: string,
    /** The windowing of the elements. */
    readonly windowSpec: WindowSpec,
  ) {}

  /** `Producer.tag` or `Producer` for the main output. */
  get label(): string {
    const base = this.producer?.label ?? `pcoll${this.id}`;
    return this.tag === 'main' ? base : `${base}.${this.tag}`;
  }

  /** Applies a transform to this collection: `pcoll.apply(map(f))`. */
  apply<Out>(transform: PTransform<PCollection<T>, Out>): Out {
    return this.pipeline.applyTransform(this, transform);
  }
}
