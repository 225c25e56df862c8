/**
 * @module bench/physical-limits
 * The floor under every bytes-to-Parquet job on one core of this machine: how fast the unavoidable steps run on
 * their own, in Node and in DuckDB, over one benchmark input set. A logbeam run cannot be faster than the sum of
 * the steps it must do (gunzip, find line ends, encode and compress columns); comparing those floors with the
 * full jobs shows how much of a gap to a peer is framework work and how much is the engine's raw speed.
 *
 *   npx tsx bench/physical-limits.ts [inputDir=bench/data/alb-128mb-seed42] [rounds=3]
 *
 * Steps, each over every `.gz` file of the input, best of `rounds` (one core, nothing else in the process):
 * - `node gunzip`: zlib's streaming gunzip into discarded buffers (what logbeam's reader does);
 * - `node gunzip + line ends`: the same, plus finding every newline with `Buffer.indexOf`;
 * - `node gunzip + string per line`: the same, plus one JS string per line (the cost a byte tokenizer avoids);
 * - `zstd -3, one thread`: the zstd command-line tool compressing the raw text (Parquet's zstd works on column
 *   pages, which compress faster than text; an upper bound on the compression share);
 * - `DuckDB read_csv, one column`: DuckDB with one thread gunzipping and splitting the same files into one VARCHAR
 *   column per line and counting them (DuckDB's own floor for the same input).
 * The zstd step includes handing the text to the `zstd` process through a pipe, a few percent of its time.
 * MB/s are raw (gunzipped) text megabytes (10^6 bytes) per second.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createGunzip, gunzipSync } from 'node:zlib';
import { queryRows } from './harness/duckdb-query.js';

const ROOT = resolve(import.meta.dirname, '..');

interface StepResult {
  readonly step: string;
  readonly seconds: number;
}

async function gunzipFile(path: string, onChunk: (chunk: Buffer) => void): Promise<void> {
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }).pipe(createGunzip({ chunkSize: 1 << 20 })))
    onChunk(chunk as Buffer);
}

async function nodeGunzip(files: readonly string[]): Promise<number> {
  let bytes = 0;
  for (const file of files) await gunzipFile(file, (chunk) => (bytes += chunk.length));
  return bytes;
}

async function nodeLineEnds(files: readonly string[]): Promise<number> {
  let lines = 0;
  for (const file of files)
    await gunzipFile(file, (chunk) => {
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
    });
  return lines;
}

async function nodeStringPerLine(files: readonly string[]): Promise<number> {
  let characters = 0;
  for (const file of files) {
    let carry: Buffer = Buffer.alloc(0);
    await gunzipFile(file, (chunk) => {
      const bytes = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
      let start = 0;
      for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, start)) {
        characters += bytes.toString('utf8', start, at).length;
        start = at + 1;
      }
      carry = bytes.subarray(start);
    });
  }
  return characters;
}

function zstdOneThread(raws: readonly Buffer[]): number {
  let compressed = 0;
  for (const raw of raws) {
    const zstd = spawnSync('zstd', ['-3', '-T1', '-c', '-q'], { input: raw, maxBuffer: 1 << 30 });
    if (zstd.status !== 0) throw new Error(`zstd failed: ${zstd.stderr.toString()}`);
    compressed += zstd.stdout.length;
  }
  return compressed;
}

async function duckdbLines(files: readonly string[]): Promise<number> {
  const list = files.map((file) => `'${file.replace(/'/g, "''")}'`).join(', ');
  const [row] = await queryRows(
    `SELECT count(*) AS n FROM read_csv([${list}], columns = {'line': 'VARCHAR'}, delim = '\x01', quote = '', escape = '', header = false, compression = 'gzip')`,
  );
  return Number(row?.['n']);
}

async function timeBest(rounds: number, run: () => Promise<unknown> | unknown): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    await run();
    best = Math.min(best, (performance.now() - started) / 1000);
  }
  return best;
}

async function main(): Promise<void> {
  const inputDir = resolve(process.argv[2] ?? join(ROOT, 'bench', 'data', 'alb-128mb-seed42'));
  const rounds = Number(process.argv[3] ?? '3');
  const files = readdirSync(inputDir)
    .filter((name) => name.endsWith('.gz'))
    .sort()
    .map((name) => join(inputDir, name));
  if (files.length === 0) throw new Error(`no .gz files in ${inputDir}: run \`npm run bench -- alb --size 128\` first to generate them`);
  const gzBytes = files.reduce((sum, file) => sum + statSync(file).size, 0);
  const rawBytes = await nodeGunzip(files);
  const results: StepResult[] = [];
  results.push({ step: 'node gunzip', seconds: await timeBest(rounds, () => nodeGunzip(files)) });
  results.push({ step: 'node gunzip + line ends', seconds: await timeBest(rounds, () => nodeLineEnds(files)) });
  results.push({ step: 'node gunzip + string per line', seconds: await timeBest(rounds, () => nodeStringPerLine(files)) });
  const raws = files.map((file) => gunzipSync(readFileSync(file)));
  results.push({ step: 'zstd -3, one thread (raw text)', seconds: await timeBest(rounds, () => zstdOneThread(raws)) });
  results.push({ step: 'DuckDB read_csv, one column, 1 thread', seconds: await timeBest(rounds, () => duckdbLines(files)) });
  process.stdout.write(
    `input: ${inputDir.replace(`${ROOT}/`, '')} (${files.length} files, ${(gzBytes / 1e6).toFixed(0)} MB gzip, ${(rawBytes / 1e6).toFixed(0)} MB raw); best of ${rounds}\n\n`,
  );
  process.stdout.write('| step (one core) | seconds | raw MB/s |\n|---|---|---|\n');
  for (const { step, seconds } of results)
    process.stdout.write(`| ${step} | ${seconds.toFixed(2)} | ${(rawBytes / 1e6 / seconds).toFixed(0)} |\n`);
}

await main();
