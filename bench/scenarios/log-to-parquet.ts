/**
 * @module bench/scenarios/log-to-parquet
 * Log gzip files -> parse -> zstd Parquet partitioned by day for one per-log-type pipeline (Classic ELB, S3 access,
 * VPC flow, CloudFront), logbeam vs DuckDB at the same thread count (one, then all cores), the DuckDB SQL given by
 * the scenario.
 */
import { join } from 'node:path';
import { compare, type Contender, type Row } from '../harness/compare.js';
import { runDuckDb, runLogbeam, type BenchContext } from '../harness/context.js';
import type { InputSet } from '../harness/inputs.js';

/** One log-to-Parquet scenario: its name (also its `verify.ts` tables), the `logbeam run` pipeline and the peer SQL. */
export interface LogToParquetScenario {
  readonly name: string;
  readonly pipeline: string;
  readonly duckDbSql: (inputGlob: string, outputDir: string) => string;
}

export async function logToParquetScenario(ctx: BenchContext, input: InputSet, scenario: LogToParquetScenario): Promise<Row[]> {
  const contenders: Contender[] = [];
  for (const threads of [...new Set([1, ctx.cores])]) {
    const logbeam = `logbeam, ${threads} worker${threads > 1 ? 's' : ''}`;
    contenders.push({
      tool: logbeam,
      threads,
      isLogbeam: true,
      run: (out) => runLogbeam(['run', scenario.pipeline, '--input', input.dir, '--output', out, '--workers', String(threads), '--json']),
    });
    contenders.push({
      tool: `DuckDB, ${threads} thread${threads > 1 ? 's' : ''}`,
      threads,
      isLogbeam: false,
      against: logbeam,
      run: (out) => runDuckDb(ctx, `${scenario.name}-duckdb-${threads}`, scenario.duckDbSql(join(input.dir, '*.gz'), out), threads),
    });
  }
  return compare(ctx, scenario.name, input, contenders, scenario.name);
}
