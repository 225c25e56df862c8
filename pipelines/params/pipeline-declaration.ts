/**
 * @module pipelines/params/pipeline-declaration
 * What a built-in pipeline declares about itself, next to its definition: its parameters (name, io-ts codec,
 * type, default, one-line doc) and its output tables (where, partitioned how, which columns). The CLI decodes
 * `--param` with it (unknown keys fail, values are parsed by type) and prints it in `run <pipeline> --help`.
 */
import type { PipelineDefinition } from '../../core/define-pipeline.js';
import type { Schema } from '../../core/schema.js';
import type { ParamCodec } from './param-codecs.js';

/** One parameter: `--param <name>=<value>`. */
export interface ParamSpec {
  readonly codec: ParamCodec<unknown>;
  /** The type as shown in help: `CIDR list`, `true|false`... (default: the codec's name). */
  readonly type?: string;
  /** The default, as shown in help (absent: none, or required). */
  readonly default?: string;
  readonly required?: boolean;
  /** A value (as text) that `explain` uses when the parameter is not given, since explaining needs no data. */
  readonly placeholder?: string;
  /** One line: what it does. */
  readonly doc: string;
}

/** One table (or other output) the pipeline writes. */
export interface OutputSpec {
  /** Where, relative to `--output`: `<output>`, `<output>/events`, or a table name. */
  readonly location: string;
  /** Partition directories, e.g. `year=/month=/day= of eventTime`. */
  readonly partitioning?: string;
  /** The columns; absent when they depend on the input (say so in `doc`). */
  readonly schema?: Schema;
  readonly doc: string;
}

export interface PipelineDeclaration {
  readonly params: Readonly<Record<string, ParamSpec>>;
  readonly outputs: readonly OutputSpec[];
  /**
   * Options that need a look at the input before the graph can be built (the csv pipeline's columns, from the
   * header of the first file); merged over the given options by `run`, not by `explain`.
   */
  readonly prepare?: (options: Readonly<Record<string, unknown>>) => Promise<Record<string, unknown>>;
}

const DECLARATIONS = new WeakMap<object, PipelineDeclaration>();

/**
 * Declares the parameters and outputs of `definition`; call it next to the `definePipeline`.
 * @example declarePipeline(vpcFlowEgressPipeline, { params: { vpcCidrs: { codec: list(cidr), doc: 'your VPC CIDRs' } }, outputs: [...] })
 */
export function declarePipeline<O, R>(definition: PipelineDefinition<O, R>, declaration: PipelineDeclaration): void {
  DECLARATIONS.set(definition, declaration);
}

/** What `definition` declared, or `undefined` (user modules and declarative pipelines declare nothing). */
export function declarationOf(definition: PipelineDefinition<never, unknown>): PipelineDeclaration | undefined {
  return DECLARATIONS.get(definition);
}
