/**
 * @module bench/scenarios/alb
 * Scenario 1: ALB gzip logs -> parse -> zstd Parquet partitioned by day; logbeam vs DuckDB at the same thread
 * count (one, then all cores), and pandas (one thread).
 */
import { join } from 'node:path';
import { compare, type Contender, type Row } from '../harness/compare.js';
import { runDuckDb, runLogbeam, runPandas, type BenchContext } from '../harness/context.js';
import type { InputSet } from '../harness/inputs.js';
import { albToParquetSql } from '../peers/alb-to-parquet.sql.js';

export async function albScenario(ctx: BenchContext, input: InputSet): Promise<Row[]> {
  const contenders: Contender[] = [];
  for (const threads of [...new Set([1, ctx.cores])]) {
    const logbeam = `logbeam, ${threads} worker${threads > 1 ? 's' : ''}`;
    contenders.push({
      tool: logbeam,
      threads,
      isLogbeam: true,
      run: (out) => runLogbeam(['run', 'alb', '--input', input.dir, '--output', out, '--workers', String(threads), '--json']),
    });
    contenders.push({
      tool: `DuckDB, ${threads} thread${threads > 1 ? 's' : ''}`,
      threads,
      isLogbeam: false,
      against: logbeam,
      run: (out) => runDuckDb(ctx, `alb-duckdb-${threads}`, albToParquetSql(join(input.dir, '*.gz'), out), threads),
    });
  }
  const pandas = ctx.pandas();
  if (pandas.ok)
    contenders.push({
      tool: 'pandas',
      threads: 1,
      isLogbeam: false,
      against: 'logbeam, 1 worker',
      run: (out) => runPandas(pandas.path, 'alb_to_parquet.py', [input.dir, out]),
    });
  else process.stderr.write(`bench: pandas peer skipped: ${pandas.reason}\n`);
  return compare(ctx, 'alb', input, contenders, 'alb');
}
