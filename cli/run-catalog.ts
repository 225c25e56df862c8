/**
 * @module cli/run-catalog
 * `run --catalog db[.table]`: checked before the run (a known Parquet layout, an s3:// output), then after each
 * committed run (and each committed watch cycle) the Glue table is created or updated and the partitions the
 * run's commits wrote are added. A catalog failure never undoes the run: the data stays committed, and the
 * message gives the `logbeam catalog register` command that registers everything under the output.
 */
import type { RunResult } from '../core/metrics.js';
import type { GlueSettings } from '../io/catalog/glue-catalog.js';
import type { TimePartitionDepth } from '../io/catalog/catalog-columns.js';
import type { S3Settings } from '../io/storage/s3-settings.js';
import { type CatalogTable, catalogTablesFor, NoCatalogTableError } from './catalog-tables.js';
import { formatRegistered, normaliseLocation, type RegisteredTable, registerInGlue } from './glue-register.js';
import { describeError, UsageError } from './errors.js';
import type { PipelineOptionsFromFlags } from './run-options.js';

/** Where and what a run registers. */
export interface CatalogTarget {
  readonly database: string;
  readonly table?: string;
  readonly tables: readonly CatalogTable[];
  readonly output: string;
  readonly glue: GlueSettings;
  readonly s3?: S3Settings;
  /** The `logbeam catalog register` command that registers every partition under the output. */
  readonly reRegister: string;
}

const NAME = /^[A-Za-z0-9_]+$/;

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Checks `--catalog` against the pipeline before anything runs; throws a UsageError saying what to fix.
 * @example await catalogTarget('logs.alb_logs', 'alb', { output: 's3://lake/alb' }, undefined)
 */
export async function catalogTarget(
  spec: string,
  pipeline: string,
  options: PipelineOptionsFromFlags,
  glueEndpoint: string | undefined,
): Promise<CatalogTarget> {
  const [database, table, extra] = spec.split('.');
  if (database === undefined || !NAME.test(database) || extra !== undefined || (table !== undefined && !NAME.test(table)))
    throw new UsageError(
      `--catalog: expected <database> or <database>.<table> (letters, digits and _), got ${JSON.stringify(spec)}`,
      'run',
    );
  const output = typeof options.output === 'string' ? options.output : undefined;
  if (output === undefined || !output.startsWith('s3://'))
    throw new UsageError('--catalog registers an s3:// output in Glue; pass --output s3://bucket/prefix', 'run');
  const timePartitioning = options['timePartitioning'] as TimePartitionDepth | undefined;
  const partitionBy = options['partitionBy'] as readonly string[] | undefined;
  const columns = options['columns'] as string | readonly string[] | undefined;
  const timeColumn = options.formatOptions?.timeColumn;
  let tables: readonly CatalogTable[];
  try {
    tables = await catalogTablesFor(pipeline, {
      ...(timePartitioning === undefined ? {} : { timePartitioning }),
      ...(partitionBy === undefined ? {} : { partitionBy }),
      ...(columns === undefined ? {} : { columns }),
      ...(timeColumn === undefined ? {} : { timeColumn }),
    });
  } catch (error) {
    if (error instanceof NoCatalogTableError || error instanceof RangeError)
      throw new UsageError(
        `--catalog: ${error.message}; --catalog works with the log types and analytics pipelines of 'logbeam ddl'`,
        'run',
      );
    throw error;
  }
  if (table !== undefined && tables.length > 1)
    throw new UsageError(
      `--catalog: ${pipeline} writes ${tables.length} tables (${tables.map((entry) => entry.table).join(', ')}); pass only the database (--catalog ${database})`,
      'run',
    );
  const s3 = options.s3;
  const words = ['logbeam', 'catalog', 'register', pipeline, '--location', output, '--database', database];
  if (table !== undefined) words.push('--table', table);
  if (timePartitioning !== undefined) words.push('--time-partitioning', timePartitioning);
  if (partitionBy !== undefined) words.push('--partition-by', partitionBy.join(','));
  if (columns !== undefined) words.push('--columns', typeof columns === 'string' ? columns : columns.join(','));
  if (timeColumn !== undefined) words.push('--time-column', timeColumn);
  if (glueEndpoint !== undefined) words.push('--glue-endpoint', glueEndpoint);
  if (s3?.endpoint !== undefined) words.push('--s3-endpoint', s3.endpoint);
  if (s3?.region !== undefined) words.push('--s3-region', s3.region);
  if (s3?.forcePathStyle === true) words.push('--s3-path-style');
  return {
    database,
    ...(table === undefined ? {} : { table }),
    tables,
    output,
    glue: { ...(glueEndpoint === undefined ? {} : { endpoint: glueEndpoint }), ...(s3?.region === undefined ? {} : { region: s3.region }) },
    ...(s3 === undefined ? {} : { s3 }),
    reRegister: words.map(shellQuote).join(' '),
  };
}

/** The partitions each output location received, from runs' commit summaries. */
export function writtenPartitions(results: readonly RunResult[]): Map<string, readonly string[]> {
  const written = new Map<string, string[]>();
  for (const commit of results.flatMap((result) => Object.values(result.commits))) {
    const key = normaliseLocation(commit.location);
    written.set(key, [...(written.get(key) ?? []), ...commit.partitions]);
  }
  return written;
}

/** The outcome of registering after a commit: what was registered, or why it failed and what to run. */
export type CatalogOutcome =
  | { readonly ok: true; readonly registered: readonly RegisteredTable[]; readonly text: string }
  | { readonly ok: false; readonly message: string };

/** Registers the partitions `results` committed (one run, or a watch's runs not registered yet); never throws. */
export async function registerAfterCommit(target: CatalogTarget, results: readonly RunResult[]): Promise<CatalogOutcome> {
  try {
    const registered = await registerInGlue({
      tables: target.tables,
      output: target.output,
      database: target.database,
      ...(target.table === undefined ? {} : { table: target.table }),
      glue: target.glue,
      ...(target.s3 === undefined ? {} : { s3: target.s3 }),
      written: writtenPartitions(results),
    });
    return { ok: true, registered, text: formatRegistered(registered) };
  } catch (error) {
    return {
      ok: false,
      message: `logbeam: the run's data is committed, but registering it in the Glue catalog ${target.database} failed: ${describeError(error)}\nTo register it, fix the cause and run:\n  ${target.reRegister}\n`,
    };
  }
}
