/**
 * Benchmarks logbeam side by side with its peers on the same generated input, alternating tools within each
 * round, prints one markdown table and the issue's targets, and appends both to bench/RESULTS.md with the
 * machine, the versions, the load and the exact command.
 *
 *   npm run bench -- --repeat 3 --verify            # every scenario at its default size (256 MB; scale: 256 MB, 1 GB, 4 GB)
 *   npm run bench -- alb --size 1024 --repeat 3     # one scenario
 *   npm run bench -- vpc cloudtrail --size 16 --verify   # small run that checks each peer's output
 *   npm run bench -- scale --sizes 64,128,256
 *   npm run bench -- core --elements 1000000
 *
 * Scenarios: `alb` (1: ALB gzip -> Parquet zstd by day, 1 worker and all cores, vs DuckDB and pandas), `vpc`
 * (2: VPC flow egress hourly aggregation), `cloudtrail` (3: CloudTrail security features), `core` (4: the
 * model on synthetic elements vs a plain loop and Beam's TypeScript direct runner), `scale` (5: peak RSS of
 * every job at 256 MB, 1 GB, 4 GB), `portable` (6: ALB and VPC egress on Prism, embedded Flink and a 2-TaskManager Flink
 * cluster next to the direct runner, engine and per-job start-up reported apart; needs Java 17, Maven, Go),
 * `clb`, `s3-access`, `vpc-parquet` and `cloudfront` (Classic ELB, S3 server access, VPC flow and CloudFront gzip
 * -> Parquet zstd by day, 1 worker and all cores, vs DuckDB). DuckDB runs as its own shell (`duckdb -f`, installed
 * into .cache/duckdb-cli at the version of @duckdb/node-api), as a DuckDB user would run the same SQL. Inputs are made by `logbeam generate` (seed 42) under
 * bench/data/, outputs go to bench/out/ and are deleted after each run. Flags: --size <MB> (default 256; also sets
 * scale's single size), --sizes <MB,...> (scale, default 256,1024,4096), --elements <n> (core, default 10,000,000),
 * --repeat <n> (default 3), --verify (compare each peer's output with logbeam's through DuckDB), --no-record (do not
 * append to RESULTS.md).
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Row } from './harness/compare.js';
import { CACHE_DIR, DATA_DIR, ROOT, runLogbeam, type BenchContext } from './harness/context.js';
import { ensureInput } from './harness/inputs.js';
import { duckDbEngineVersion, ensureBeamTs, ensureDuckDbCli, ensurePandas, type Availability } from './harness/peer-setup.js';
import { formatTable, formatTargets, targets } from './harness/report.js';
import { albScenario } from './scenarios/alb.js';
import { cloudTrailFeaturesScenario } from './scenarios/cloudtrail-features.js';
import { coreModelScenario } from './scenarios/core-model.js';
import { portableScenario } from './scenarios/portable.js';
import { scaleScenario } from './scenarios/scale.js';
import { vpcFlowEgressScenario } from './scenarios/vpc-flow-egress.js';
import { logToParquetScenario } from './scenarios/log-to-parquet.js';
import { vpcFlowToParquetSql } from './peers/vpc-flow-to-parquet.sql.js';
import { cloudFrontToParquetSql } from './peers/cloudfront-to-parquet.sql.js';
import { clbToParquetSql } from './peers/clb-to-parquet.sql.js';
import { s3AccessToParquetSql } from './peers/s3-access-to-parquet.sql.js';
import { chosenParquetWriter } from '../io/sinks/parquet/choose-parquet-writer.js';

const SCENARIOS = ['alb', 'vpc', 'cloudtrail', 'core', 'scale', 'portable', 'clb', 's3-access', 'vpc-parquet', 'cloudfront'] as const;
type Scenario = (typeof SCENARIOS)[number];
/** Input size of the throughput scenarios without --size: large enough for steady-state speed, small enough that a full run takes well under an hour. */
const DEFAULT_SIZE_MB = 256;

function once<T>(compute: () => T): () => T {
  let value: { v: T } | undefined;
  return () => {
    if (value === undefined) value = { v: compute() };
    return value.v;
  };
}

function positiveInt(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${flag}: expected a positive integer, got "${text}"`);
  return value;
}

function load(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
}

function packageVersion(path: string): string {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function versions(duckDb: Availability | undefined, pandas: Availability | undefined, beam: Availability | undefined): string {
  const parts = [
    `logbeam ${packageVersion(join(ROOT, 'package.json'))}`,
    `node ${process.version}`,
    `DuckDB node-api ${packageVersion(join(ROOT, 'node_modules', '@duckdb', 'node-api', 'package.json'))} (verification)`,
    `logbeam's Parquet writer: ${
      chosenParquetWriter() === 'native'
        ? 'native (Rust parquet crate, native/parquet-writer)'
        : `parquet-wasm ${packageVersion(join(ROOT, 'node_modules', 'parquet-wasm', 'package.json'))}`
    }`,
  ];
  if (duckDb !== undefined) parts.push(duckDb.ok ? `${duckDb.version} (the DuckDB peer)` : `DuckDB CLI unavailable: ${duckDb.reason}`);
  if (pandas !== undefined)
    parts.push(
      pandas.ok
        ? `${pandas.version} (${execFileSync(pandas.path, ['--version'], { encoding: 'utf8' }).trim()})`
        : `pandas unavailable: ${pandas.reason}`,
    );
  if (beam !== undefined) parts.push(beam.ok ? beam.version : `Beam TS unavailable: ${beam.reason}`);
  return parts.join(', ');
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      size: { type: 'string' },
      sizes: { type: 'string' },
      elements: { type: 'string' },
      repeat: { type: 'string', default: '3' },
      verify: { type: 'boolean', default: false },
      'no-record': { type: 'boolean', default: false },
    },
  });
  for (const scenario of positionals)
    if (!(SCENARIOS as readonly string[]).includes(scenario))
      throw new Error(`unknown scenario "${scenario}"; choose from ${SCENARIOS.join(', ')}`);
  const scenarios = (positionals.length > 0 ? positionals : [...SCENARIOS]) as Scenario[];
  const sizeMb = values.size === undefined ? DEFAULT_SIZE_MB : positiveInt('size', values.size);
  const scaleSizes =
    values.sizes !== undefined
      ? values.sizes.split(',').map((s) => positiveInt('sizes', s))
      : values.size !== undefined
        ? [sizeMb]
        : [256, 1024, 4096];
  const elements = values.elements === undefined ? 10_000_000 : positiveInt('elements', values.elements);
  const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();
  const ctx: BenchContext = {
    repeat: positiveInt('repeat', values.repeat),
    cores: availableParallelism(),
    verify: values.verify,
    pandas: once(() => ensurePandas(CACHE_DIR)),
    beamTs: once(() => ensureBeamTs(CACHE_DIR)),
    duckDb: once(() => ensureDuckDbCli(CACHE_DIR, duckDbEngineVersion(ROOT))),
  };
  const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${ctx.cores} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`;
  process.stdout.write(`machine: ${machine}\ncommand: ${command}\n`);

  const generate = (args: string[]): ReturnType<typeof runLogbeam> => runLogbeam(args);
  const rows: Row[] = [];
  const notes: string[] = [];
  for (const scenario of scenarios) {
    const before = load();
    if (scenario === 'alb') rows.push(...(await albScenario(ctx, await ensureInput(DATA_DIR, 'alb', sizeMb, generate))));
    if (scenario === 'vpc') rows.push(...(await vpcFlowEgressScenario(ctx, await ensureInput(DATA_DIR, 'vpc_flow', sizeMb, generate))));
    if (scenario === 'cloudtrail')
      rows.push(...(await cloudTrailFeaturesScenario(ctx, await ensureInput(DATA_DIR, 'cloudtrail', sizeMb, generate))));
    if (scenario === 'core') rows.push(...(await coreModelScenario(ctx, elements)));
    if (scenario === 'clb') {
      const input = await ensureInput(DATA_DIR, 'clb', sizeMb, generate);
      rows.push(...(await logToParquetScenario(ctx, input, { name: scenario, pipeline: 'clb', duckDbSql: clbToParquetSql })));
    }
    if (scenario === 's3-access') {
      const input = await ensureInput(DATA_DIR, 's3_access', sizeMb, generate);
      rows.push(...(await logToParquetScenario(ctx, input, { name: scenario, pipeline: 's3_access', duckDbSql: s3AccessToParquetSql })));
    }
    if (scenario === 'vpc-parquet') {
      const input = await ensureInput(DATA_DIR, 'vpc_flow', sizeMb, generate);
      rows.push(...(await logToParquetScenario(ctx, input, { name: scenario, pipeline: 'vpc_flow', duckDbSql: vpcFlowToParquetSql })));
    }
    if (scenario === 'cloudfront') {
      const input = await ensureInput(DATA_DIR, 'cloudfront', sizeMb, generate);
      rows.push(...(await logToParquetScenario(ctx, input, { name: scenario, pipeline: 'cloudfront', duckDbSql: cloudFrontToParquetSql })));
    }
    if (scenario === 'scale') {
      const scale = await scaleScenario(ctx, scaleSizes, (type, size) => ensureInput(DATA_DIR, type, size, generate));
      rows.push(...scale.rows);
      notes.push(...scale.notes);
    }
    if (scenario === 'portable') {
      const portable = await portableScenario(
        ctx,
        await ensureInput(DATA_DIR, 'alb', sizeMb, generate),
        await ensureInput(DATA_DIR, 'vpc_flow', sizeMb, generate),
      );
      rows.push(...portable.rows);
      notes.push(...portable.notes);
    }
    notes.push(`- ${scenario}: load average (1, 5, 15 min) ${before} before, ${load()} after`);
  }
  const table = formatTable(rows);
  const goals = formatTargets(targets(rows));
  process.stdout.write(`\n${table}\n\n${goals}\n`);
  if (!values['no-record']) {
    const pandas = scenarios.some((s) => s === 'alb' || s === 'vpc' || s === 'cloudtrail') ? ctx.pandas() : undefined;
    const beam = scenarios.includes('core') ? ctx.beamTs() : undefined;
    const duckDb = scenarios.some((s) => s !== 'core' && s !== 'scale' && s !== 'portable') ? ctx.duckDb() : undefined;
    const section = [
      '',
      `## ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — \`${command}\``,
      '',
      `Machine: ${machine}. Versions: ${versions(duckDb, pandas, beam)}. Repeats: ${ctx.repeat} per tool, alternating; each row is the tool's median run (the lower median: with 2 runs, the faster).`,
      'Machine load while running (other engineers share the cores):',
      ...notes,
      '',
      table,
      '',
      goals,
      '',
    ].join('\n');
    appendFileSync(join(ROOT, 'bench', 'RESULTS.md'), section);
    process.stdout.write('\nappended to bench/RESULTS.md\n');
  }
}

await main();
