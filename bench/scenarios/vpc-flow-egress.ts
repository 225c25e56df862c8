/**
 * @module bench/scenarios/vpc-flow-egress
 * Scenario 2: VPC flow gzip logs -> egress filter -> hourly aggregation (pipelines/vpc-flow-egress.ts) ->
 * Parquet; logbeam and DuckDB on all cores, pandas on one.
 */
import { join } from 'node:path';
import { compare, type Contender, type Row } from '../harness/compare.js';
import { runDuckDb, runLogbeam, runPandas, type BenchContext } from '../harness/context.js';
import type { InputSet } from '../harness/inputs.js';
import { vpcFlowEgressSql } from '../peers/vpc-flow-egress.sql.js';

/** One processing time for every tool, so the stamped column is comparable. */
const PROCESSING_TIME = '2026-01-01T00:00:00Z';

export async function vpcFlowEgressScenario(ctx: BenchContext, input: InputSet): Promise<Row[]> {
  const threads = ctx.cores;
  const logbeam = `logbeam, ${threads} worker${threads > 1 ? 's' : ''}`;
  const contenders: Contender[] = [
    {
      tool: logbeam,
      threads,
      isLogbeam: true,
      run: (out) =>
        runLogbeam([
          'run',
          'vpc-flow-egress',
          '--input',
          input.dir,
          '--output',
          out,
          '--workers',
          String(threads),
          '--param',
          `processingTime=${PROCESSING_TIME}`,
          '--json',
        ]),
    },
    {
      tool: `DuckDB, ${threads} thread${threads > 1 ? 's' : ''}`,
      threads,
      isLogbeam: false,
      against: logbeam,
      run: (out) => runDuckDb(ctx, 'vpc-duckdb', vpcFlowEgressSql(join(input.dir, '*.gz'), out, PROCESSING_TIME), threads),
    },
  ];
  const pandas = ctx.pandas();
  if (pandas.ok)
    contenders.push({
      tool: 'pandas',
      threads: 1,
      isLogbeam: false,
      against: logbeam,
      run: (out) => runPandas(pandas.path, 'vpc_flow_egress.py', [input.dir, out, PROCESSING_TIME]),
    });
  else process.stderr.write(`bench: pandas peer skipped: ${pandas.reason}\n`);
  return compare(ctx, 'vpc', input, contenders, 'vpc');
}
