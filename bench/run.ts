/**
 * Benchmarks logbeam side by side with its peers on the same generated input, alternating tools within each
 * round, and prints one markdown table (append it to bench/RESULTS.md with the command line).
 *
 *   npm run bench                               # every scenario at its default size
 *   npm run bench -- alb --size 256 --repeat 3  # one scenario
 *
 * Scenarios: `alb` (ALB gzip -> Parquet zstd by day), `scale` (alb at 256 MB, 1 GB, 4 GB), `core` (the model on
 * synthetic elements vs a plain loop). Inputs are made by `logbeam generate` (seeded) under bench/data/.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { measure, type Measured } from './harness/measure.js';
import { albToParquetSql } from './peers/alb-to-parquet.sql.js';

const ROOT = resolve(import.meta.dirname, '..');
const DATA = join(ROOT, 'bench', 'data');
const OUT = join(ROOT, 'bench', 'out');

interface InputSet {
  readonly dir: string;
  readonly rawBytes: number;
  readonly records: number;
}

interface Row {
  readonly scenario: string;
  readonly tool: string;
  readonly input: InputSet;
  readonly measured: Measured;
}

/** The logbeam CLI: compiled when built (faster start), else from sources through tsx. */
function logbeamCommand(): [string, string[]] {
  const built = join(ROOT, 'dist', 'cli', 'main.js');
  return existsSync(built) ? [process.execPath, [built]] : [process.execPath, ['--import', 'tsx', join(ROOT, 'cli', 'main.ts')]];
}

function runLogbeam(args: string[]): Measured {
  const [command, prefix] = logbeamCommand();
  return measure(command, [...prefix, ...args], { cwd: ROOT });
}

/** Generates (once, cached by name) gzip ALB files totalling about `sizeMb` of raw text. */
function albInput(sizeMb: number): InputSet {
  const dir = join(DATA, `alb-${sizeMb}mb-seed42`);
  const metaPath = join(dir, 'meta.json');
  if (existsSync(metaPath)) return JSON.parse(readFileSync(metaPath, 'utf8')) as InputSet;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const averageLineBytes = 430;
  const records = Math.round((sizeMb * 1_000_000) / averageLineBytes);
  const files = Math.max(4, Math.round(sizeMb / 32));
  runLogbeam(['generate', 'alb', '--records', String(records), '--seed', '42', '--output', dir, '--gzip', '--files', String(files)]);
  let rawBytes = 0;
  let lines = 0;
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.gz')) continue;
    const text = gunzipSync(readFileSync(join(dir, name)));
    rawBytes += text.length;
    for (let i = text.indexOf(10); i >= 0; i = text.indexOf(10, i + 1)) lines++;
  }
  const input: InputSet = { dir, rawBytes, records: lines };
  writeFileSync(metaPath, JSON.stringify(input));
  return input;
}

function albRound(input: InputSet, cores: number): Row[] {
  const rows: Row[] = [];
  for (const workers of [1, cores]) {
    const out = join(OUT, `alb-logbeam-${workers}`);
    rmSync(out, { recursive: true, force: true });
    rows.push({ scenario: 'alb', tool: `logbeam, ${workers} worker${workers > 1 ? 's' : ''}`, input, measured: runLogbeam(['run', 'alb', '--input', input.dir, '--output', out, '--workers', String(workers), '--json']) });
    const duckOut = join(OUT, `alb-duckdb-${workers}`);
    rmSync(duckOut, { recursive: true, force: true });
    const sqlFile = join(OUT, `alb-duckdb-${workers}.sql`);
    mkdirSync(OUT, { recursive: true });
    writeFileSync(sqlFile, albToParquetSql(join(input.dir, '*.gz'), duckOut));
    rows.push({ scenario: 'alb', tool: `DuckDB, ${workers} thread${workers > 1 ? 's' : ''}`, input, measured: measure(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'peers', 'duckdb-sql.ts'), String(workers), sqlFile], { cwd: ROOT }) });
  }
  return rows;
}

function coreRound(elements: number): Row[] {
  const measured = measure(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'core-model.ts'), '--elements', String(elements)], { cwd: ROOT });
  process.stdout.write(`\ncore model, ${elements} elements (each tool in its own process):\n${measured.stdout}\n`);
  return [];
}

function formatRows(rows: readonly Row[]): string {
  const lines = ['| scenario | tool | input MB | records | wall s | MB/s | records/s | CPU s | peak RSS MB | vs peer (time) |', '|---|---|---|---|---|---|---|---|---|---|'];
  for (const row of rows) {
    const mb = row.input.rawBytes / 1e6;
    const peer = row.tool.startsWith('logbeam') ? rows.find((r) => r.scenario === row.scenario && r.input === row.input && r.tool.startsWith('DuckDB') && r.tool.split(',')[1]!.trim().split(' ')[0] === row.tool.split(',')[1]!.trim().split(' ')[0]) : undefined;
    const ratio = peer === undefined ? '' : `${(peer.measured.wallSeconds / row.measured.wallSeconds).toFixed(2)}x DuckDB`;
    lines.push(`| ${row.scenario} | ${row.tool} | ${mb.toFixed(0)} | ${row.input.records.toLocaleString('en-US')} | ${row.measured.wallSeconds.toFixed(2)} | ${(mb / row.measured.wallSeconds).toFixed(1)} | ${Math.round(row.input.records / row.measured.wallSeconds).toLocaleString('en-US')} | ${row.measured.cpuSeconds.toFixed(2)} | ${row.measured.peakRssMb.toFixed(0)} | ${ratio} |`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { size: { type: 'string' }, repeat: { type: 'string', default: '1' } } });
  const scenarios = positionals.length > 0 ? positionals : ['core', 'alb', 'scale'];
  const known = ['alb', 'scale', 'core'];
  for (const scenario of scenarios) if (!known.includes(scenario)) throw new Error(`unknown scenario "${scenario}"; choose from ${known.join(', ')}`);
  const repeat = Number(values.repeat);
  const cores = availableParallelism();
  process.stdout.write(`machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cores} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; node ${process.version}\n`);
  process.stdout.write(`command: npm run bench -- ${process.argv.slice(2).join(' ')}\n`);
  const rows: Row[] = [];
  for (const scenario of scenarios) {
    if (scenario === 'core') coreRound(values.size === undefined ? 1_000_000 : Number(values.size) * 10_000);
    if (scenario === 'alb') {
      const input = albInput(values.size === undefined ? 256 : Number(values.size));
      for (let round = 0; round < repeat; round++) rows.push(...albRound(input, cores));
    }
    if (scenario === 'scale') {
      for (const sizeMb of values.size === undefined ? [256, 1024, 4096] : [Number(values.size)]) {
        const input = albInput(sizeMb);
        const out = join(OUT, `scale-${sizeMb}`);
        rmSync(out, { recursive: true, force: true });
        rows.push({ scenario: 'scale', tool: `logbeam, ${cores} workers`, input, measured: runLogbeam(['run', 'alb', '--input', input.dir, '--output', out, '--workers', String(cores), '--json']) });
        rmSync(out, { recursive: true, force: true });
      }
    }
  }
  if (rows.length > 0) process.stdout.write(`\n${formatRows(rows)}\n`);
}

await main();
