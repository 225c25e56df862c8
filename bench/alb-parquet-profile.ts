/**
 * @module bench/alb-parquet-profile
 * ALB gzip logs -> day-partitioned zstd Parquet: logbeam (direct runner, N workers) against DuckDB's
 * `read_csv` -> `COPY ... PARTITION_BY` on the same files (run by DuckDB's own shell, see bench/harness/peer-setup), alternating runs so a noisy shared machine hits
 * both alike. Each run is a child process so its peak RSS (`/usr/bin/time`'s max resident set) is its own.
 *
 *   npx tsx bench/alb-parquet-profile.ts gen [rawMb=128] [files=4]     # bench/data/alb-profile-<mb>mb/
 *   npx tsx bench/alb-parquet-profile.ts compare [rawMb=128] [rounds=2] [workers=1,2] [threads=1,2]
 *   npx tsx bench/alb-parquet-profile.ts logbeam <inputDir> <outputDir> <workers>   # one run, JSON on stdout
 *
 * With `ALB_BASELINE_ROOT=<copy of the tree>`, `compare` also runs that copy's logbeam ("base") in each round,
 * for before/after figures taken under the same load.
 *
 * MB/s are raw (gunzipped) text megabytes (10^6 bytes) per wall-clock second, start-up included.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import { generateAlbLines } from '../io/formats/alb/generate.js';
import { duckDbScript, duckDbShellArgs } from './harness/context.js';
import { duckDbEngineVersion, ensureDuckDbCli } from './harness/peer-setup.js';

const ROOT = resolve(import.meta.dirname, '..');
const BYTES_PER_RECORD = 632;

interface Meta {
  readonly rawBytes: number;
  readonly records: number;
  readonly files: number;
}

async function generate(dir: string, rawMb: number, files: number): Promise<Meta> {
  const metaPath = join(dir, 'meta.json');
  if (existsSync(metaPath)) return JSON.parse(readFileSync(metaPath, 'utf8')) as Meta;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const perFile = Math.round((rawMb * 1e6) / BYTES_PER_RECORD / files);
  let rawBytes = 0;
  for (let f = 0; f < files; f++) {
    const gzip = createGzip({ level: 6 });
    const out = createWriteStream(join(dir, `alb-${f}.log.gz`));
    gzip.pipe(out);
    let chunk = '';
    // Three days of events, so the output has three day partitions per file.
    for (const line of generateAlbLines({ records: perFile, seed: 42 + f, spanHours: 72 })) {
      chunk += `${line}\n`;
      if (chunk.length > 1 << 20) {
        rawBytes += Buffer.byteLength(chunk);
        if (!gzip.write(chunk)) await once(gzip, 'drain');
        chunk = '';
      }
    }
    rawBytes += Buffer.byteLength(chunk);
    gzip.end(chunk);
    await once(out, 'close');
  }
  const meta: Meta = { rawBytes, records: perFile * files, files };
  writeFileSync(metaPath, JSON.stringify(meta));
  return meta;
}

/** One logbeam run in this process (called as a child by `compare`). */
async function runLogbeam(input: string, output: string, workers: number): Promise<void> {
  const { runDirect } = await import('../runners/direct/direct-runner.js');
  const { albPipeline } = await import('../pipelines/alb.js');
  rmSync(output, { recursive: true, force: true });
  const started = performance.now();
  const result = await runDirect(albPipeline.create({ input, output }).pipeline, { workers });
  const seconds = (performance.now() - started) / 1000;
  const route = result.steps.find((step) => step.label.endsWith('/Route'));
  process.stdout.write(`${JSON.stringify({ seconds, records: route?.elementsOut['main'] ?? -1 })}\n`);
}

interface Timed {
  readonly seconds: number;
  readonly maxRssMb: number;
  /** User + system CPU of the whole process (all threads), start-up included. */
  readonly cpuSeconds: number;
  readonly stdout: string;
}

function timed(command: string, args: string[], cwd = ROOT): Timed {
  const started = performance.now();
  const child = spawnSync('/usr/bin/time', ['-f', 'MAXRSS %M CPU %U %S', command, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = (performance.now() - started) / 1000;
  if (child.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${child.stderr}`);
  const rss = /MAXRSS (\d+)/.exec(child.stderr);
  const cpu = /CPU ([\d.]+) ([\d.]+)/.exec(child.stderr);
  return {
    seconds,
    maxRssMb: rss === null ? -1 : Number(rss[1]) / 1024,
    cpuSeconds: cpu === null ? -1 : Number(cpu[1]) + Number(cpu[2]),
    stdout: child.stdout,
  };
}

async function countRows(output: string): Promise<number> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  const reader = await connection.runAndReadAll(
    `SELECT count(*)::BIGINT AS n FROM read_parquet('${output}/**/*.parquet', hive_partitioning = true)`,
  );
  const rows = Number(reader.getRowObjects()[0]!['n']);
  connection.closeSync();
  return rows;
}

async function compare(rawMb: number, rounds: number, workerCounts: number[], threadCounts: number[]): Promise<void> {
  const dir = join(ROOT, 'bench/data', `alb-profile-${rawMb}mb`);
  const meta = await generate(dir, rawMb, 4);
  mkdirSync(join(ROOT, 'bench/out'), { recursive: true });
  const { albToParquetSql } = await import('./peers/alb-to-parquet.sql.js');
  const duckOut = join(ROOT, 'bench/out/alb-profile-duckdb');
  const duckDb = ensureDuckDbCli(join(ROOT, '.cache'), duckDbEngineVersion(ROOT));
  if (!duckDb.ok) throw new Error(`the DuckDB peer cannot run: ${duckDb.reason}`);
  const sqlPath = (threads: number): string => join(ROOT, `bench/out/alb-profile-${threads}.sql`);
  for (const threads of threadCounts) writeFileSync(sqlPath(threads), duckDbScript(albToParquetSql(`${dir}/*.gz`, duckOut), threads));
  const mb = meta.rawBytes / 1e6;
  process.stderr.write(
    `input: ${mb.toFixed(1)} MB raw, ${meta.records} records, ${meta.files} files; load ${readFileSync('/proc/loadavg', 'utf8').trim()}\n`,
  );
  for (let round = 0; round < rounds; round++) {
    const roots: [string, string][] = [['logbeam', ROOT]];
    if (process.env['ALB_BASELINE_ROOT'] !== undefined) roots.unshift(['base', resolve(process.env['ALB_BASELINE_ROOT'])]);
    for (const workers of workerCounts) {
      for (const [name, root] of roots) {
        const out = join(ROOT, 'bench/out/alb-profile-logbeam');
        const run = timed(
          process.execPath,
          ['--import', 'tsx', join(root, 'bench/alb-parquet-profile.ts'), 'logbeam', dir, out, String(workers)],
          root,
        );
        const inner = JSON.parse(run.stdout.trim().split('\n').pop()!) as { seconds: number; records: number };
        const rows = round === 0 ? await countRows(out) : inner.records;
        report(`${name} w=${workers}`, mb, inner.records, inner.seconds, run, rows);
      }
    }
    for (const threads of threadCounts) {
      rmSync(duckOut, { recursive: true, force: true });
      const run = timed(duckDb.path, duckDbShellArgs(sqlPath(threads)));
      report(`duckdb t=${threads}`, mb, meta.records, run.seconds, run, round === 0 ? await countRows(duckOut) : meta.records);
    }
    process.stderr.write(`load ${readFileSync('/proc/loadavg', 'utf8').trim()}\n`);
  }
}

function report(name: string, mb: number, records: number, innerSeconds: number, run: Timed, rows: number): void {
  process.stdout.write(
    `${name.padEnd(12)} ${(mb / run.seconds).toFixed(1).padStart(6)} MB/s wall (${run.seconds.toFixed(2)} s; run ${innerSeconds.toFixed(2)} s = ${(mb / innerSeconds).toFixed(1)} MB/s, ` +
      `${Math.round(records / innerSeconds).toLocaleString('en-US')} rec/s)  cpu ${run.cpuSeconds.toFixed(1)} s  peak RSS ${run.maxRssMb.toFixed(0)} MB  rows ${rows}\n`,
  );
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'gen') {
  const rawMb = Number(rest[0] ?? 128);
  console.log(await generate(join(ROOT, 'bench/data', `alb-profile-${rawMb}mb`), rawMb, Number(rest[1] ?? 4)));
} else if (command === 'logbeam') {
  await runLogbeam(rest[0]!, rest[1]!, Number(rest[2] ?? 1));
} else if (command === 'compare') {
  const list = (text: string | undefined, fallback: number[]): number[] => (text === undefined ? fallback : text.split(',').map(Number));
  await compare(Number(rest[0] ?? 128), Number(rest[1] ?? 2), list(rest[2], [1, 2]), list(rest[3], [1, 2]));
} else {
  throw new Error('usage: alb-parquet-profile.ts gen|compare|logbeam ...');
}
