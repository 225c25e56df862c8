/**
 * @module bench/scenarios/cloudtrail-features
 * Scenario 3: CloudTrail `.json.gz` documents -> clean events with per-principal hourly counts, and
 * per-principal 5-minute window features (pipelines/security-features.ts) -> Parquet; logbeam and DuckDB on
 * all cores, pandas on one.
 */
import { join } from 'node:path';
import { compare, type Contender, type Row } from '../harness/compare.js';
import { runDuckDb, runLogbeam, runPandas, type BenchContext } from '../harness/context.js';
import type { InputSet } from '../harness/inputs.js';
import { securityFeaturesSql } from '../peers/security-features.sql.js';

export async function cloudTrailFeaturesScenario(ctx: BenchContext, input: InputSet): Promise<Row[]> {
  const threads = ctx.cores;
  const logbeam = `logbeam, ${threads} worker${threads > 1 ? 's' : ''}`;
  const contenders: Contender[] = [
    {
      tool: logbeam,
      threads,
      isLogbeam: true,
      run: (out) => runLogbeam(['run', 'security-features', '--input', input.dir, '--output', out, '--workers', String(threads), '--json']),
    },
    {
      tool: `DuckDB, ${threads} thread${threads > 1 ? 's' : ''}`,
      threads,
      isLogbeam: false,
      against: logbeam,
      run: (out) => runDuckDb(ctx, 'cloudtrail-duckdb', securityFeaturesSql(join(input.dir, '*.gz'), out), threads),
    },
  ];
  const pandas = ctx.pandas();
  if (pandas.ok)
    contenders.push({
      tool: 'pandas',
      threads: 1,
      isLogbeam: false,
      against: logbeam,
      run: (out) => runPandas(pandas.path, 'security_features.py', [input.dir, out]),
    });
  else process.stderr.write(`bench: pandas peer skipped: ${pandas.reason}\n`);
  return compare(ctx, 'cloudtrail', input, contenders, 'cloudtrail');
}
