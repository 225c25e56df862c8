/**
 * @module pipeline
 * A Pipeline owns the graph: it applies transforms in label scopes, records primitive steps and their output
 * PCollections, and keeps labels unique (a repeated label among siblings gets `#2`, `#3`... in order of
 * application, so a pipeline built by the same code always has the same labels — runners, metrics and the
 * portable translation rely on that).
 */
import { MAIN_TAG, type GraphNode, type PrimitiveStep } from './graph.js';
import { PCollection } from './pcollection.js';
import type { PBegin, PTransform } from './ptransform.js';
import { globalWindows, type WindowSpec } from './window.js';

/**
 * How a worker (a thread of the direct runner or a portable SDK harness) rebuilds the same pipeline:
 * import `module`, find the pipeline definition exported under `name`, call it with `options`.
 */
export interface PipelineRef {
  readonly module: string;
  readonly name: string;
  readonly options: unknown;
}

/** A composite transform's scope, for explain. */
export interface CompositeScope {
  readonly label: string;
  readonly transformName: string;
}

export class Pipeline implements PBegin {
  private readonly nodeList: GraphNode[] = [];
  private readonly collections: PCollection<unknown>[] = [];
  private readonly scopeStack: string[] = [];
  private readonly usedLabels = new Map<string, number>();
  private readonly compositeList: CompositeScope[] = [];

  private constructor(
    /** Set when the pipeline was built from a `definePipeline` definition; lets runners rebuild it elsewhere. */
    readonly ref: PipelineRef | undefined,
  ) {}

  /** A new, empty pipeline. Pipelines that should run on several worker threads are made with `definePipeline`. */
  static create(): Pipeline {
    return new Pipeline(undefined);
  }

  /** @internal Used by `definePipeline`. */
  static createWithRef(ref: PipelineRef): Pipeline {
    return new Pipeline(ref);
  }

  /** `this`, as the input of root transforms. */
  get pipeline(): Pipeline {
    return this;
  }

  /** Applies a root transform (a read or create). */
  apply<Out>(transform: PTransform<PBegin, Out>): Out {
    return this.applyTransform(this, transform);
  }

  /** @internal Applies any transform inside its label scope. */
  applyTransform<In, Out>(input: In, transform: PTransform<In, Out>): Out {
    const label = this.uniqueLabel(transform.label);
    this.scopeStack.push(label.slice(label.lastIndexOf('/') + 1));
    try {
      const before = this.nodeList.length;
      const output = transform.expand(input);
      if (this.nodeList.length - before !== 1 || this.nodeList[before]!.label !== label) {
        this.compositeList.push({ label, transformName: transform.constructor.name });
      }
      return output;
    } finally {
      this.scopeStack.pop();
    }
  }

  /**
   * @internal Adds a primitive step in the current scope. A primitive applied directly (not inside a composite
   * that adds more steps) takes the scope's label itself.
   */
  addStep(
    spec: PrimitiveStep,
    inputs: readonly PCollection<unknown>[],
    options: { sideTags?: readonly string[]; windowSpec?: WindowSpec; config?: Record<string, unknown> } = {},
  ): Map<string, PCollection<unknown>> {
    const label = this.scopeStack.join('/');
    if (label === '') throw new Error('addStep must be called from a transform expand');
    if (this.nodeList.some((node) => node.label === label)) {
      throw new Error(`a transform's expand added two primitive steps under the label "${label}"; apply each inside its own transform`);
    }
    for (const input of inputs) {
      if (input.pipeline !== this) throw new Error(`step "${label}": input ${input.label} belongs to another pipeline`);
    }
    const windowSpec = options.windowSpec ?? inputs[0]?.windowSpec ?? globalWindows();
    const outputs = new Map<string, PCollection<unknown>>();
    const node: GraphNode = { index: this.nodeList.length, label, spec, inputs, outputs, config: options.config ?? {} };
    for (const tag of [MAIN_TAG, ...(options.sideTags ?? [])]) {
      const collection = new PCollection<unknown>(this, this.collections.length, node, tag, windowSpec);
      this.collections.push(collection);
      outputs.set(tag, collection);
    }
    this.nodeList.push(node);
    return outputs;
  }

  /** The primitive steps, in order of construction (a topological order). */
  get nodes(): readonly GraphNode[] {
    return this.nodeList;
  }

  /** The composite transforms applied, for explain. */
  get composites(): readonly CompositeScope[] {
    return this.compositeList;
  }

  /** The step with this full label. */
  findNode(label: string): GraphNode | undefined {
    return this.nodeList.find((node) => node.label === label);
  }

  /** Steps that consume the given collection. */
  consumersOf(collection: PCollection<unknown>): GraphNode[] {
    return this.nodeList.filter((node) => node.inputs.includes(collection));
  }

  private uniqueLabel(label: string): string {
    const prefix = this.scopeStack.length > 0 ? `${this.scopeStack.join('/')}/` : '';
    const full = prefix + label;
    const count = (this.usedLabels.get(full) ?? 0) + 1;
    this.usedLabels.set(full, count);
    if (count === 1) return full;
    const suffixed = `${full}#${count}`;
    this.usedLabels.set(suffixed, 1);
    return suffixed;
  }
}
