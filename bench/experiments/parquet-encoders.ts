/**
 * @module bench/experiments/parquet-encoders
 * Parquet encoders side by side on the same parsed ALB records: each takes the records row group by row group
 * (122,880 rows, logbeam's default) and writes one zstd Parquet file with the ALB schema's column types.
 *
 *   npx tsx bench/experiments/parquet-encoders.ts --input bench/data/alb-1024mb-seed42 --rows 400000 --repeat 3
 *
 * - `parquet-wasm`: logbeam's own encoder (io/sinks/parquet/parquet-encoder.ts): JS column builders -> Arrow
 *   IPC -> parquet-wasm's streaming writer. Memory bounded by one row group.
 * - `native`: the same encoder with `LOGBEAM_PARQUET_WRITER=native`: the Arrow IPC goes to logbeam's native
 *   writer (native/parquet-writer: the Rust `parquet` crate parquet-wasm compiles, built natively; needs
 *   `npm run build:native`).
 * - `duckdb`: @duckdb/node-api data chunks of 2,048 rows appended to a table, then DuckDB's own `COPY ... TO`
 *   Parquet writer. The table lives in DuckDB's memory (with a memory limit it would spill to disk).
 * - `polars`: nodejs-polars (installed by this script into .cache/bench-polars, not a project dependency): one
 *   DataFrame per row group from column arrays, concatenated, then polars' native `writeParquet`.
 *
 * Each encoder runs in its own child process (peak RSS is its own), alternating encoders within each round; the
 * parse is done before the clock starts and is the same for all. Every file is read back by DuckDB: row count and
 * a checksum over several columns must match the input records.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createGunzip } from 'node:zlib';
import type { Field } from '../../core/schema.js';
import { isoToMicros } from '../../core/time.js';
import { albFormat } from '../../io/formats/alb/index.js';
import { Rejection, SKIP } from '../../io/formats/types.js';
import { createParquetEncoder } from '../../io/sinks/parquet/parquet-encoder.js';

const ROW_GROUP_ROWS = 122_880;
const ENCODERS = ['parquet-wasm', 'native', 'duckdb', 'polars'] as const;
type EncoderName = (typeof ENCODERS)[number];
type Row = Record<string, unknown>;
const POLARS_VERSION = '0.25.2';
const polarsDir = resolve('.cache/bench-polars');

async function readRecords(input: string, limit: number): Promise<Row[]> {
  const files = statSync(input).isDirectory()
    ? readdirSync(input)
        .filter((name) => name.endsWith('.gz'))
        .sort()
        .map((name) => join(input, name))
    : [input];
  const parser = albFormat.createParser();
  const rows: Row[] = [];
  for (const file of files) {
    const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
    let number = 0;
    for await (const line of lines) {
      const result = parser.parse(line, ++number);
      if (result !== SKIP && !(result instanceof Rejection)) rows.push(result as unknown as Row);
      if (rows.length >= limit) return rows;
    }
  }
  return rows;
}

async function encodeWithLogbeam(fields: readonly Field[], rows: readonly Row[], path: string): Promise<void> {
  const file = await open(path, 'w');
  const encoder = createParquetEncoder<Row>(
    fields,
    { compression: 'zstd', rowGroupRows: ROW_GROUP_ROWS, dictionary: true },
    async (bytes) => {
      await file.write(bytes);
    },
  );
  for (let start = 0; start < rows.length; start += ROW_GROUP_ROWS) {
    const end = Math.min(rows.length, start + ROW_GROUP_ROWS);
    for (let i = start; i < end; i++) encoder.append(rows[i]!);
    await encoder.flush();
  }
  await encoder.finish();
  await file.close();
}

async function encodeWithDuckDb(fields: readonly Field[], rows: readonly Row[], path: string): Promise<void> {
  const duckdb = await import('@duckdb/node-api');
  const typeOf = (field: Field) =>
    ({
      string: duckdb.VARCHAR,
      json: duckdb.VARCHAR,
      int32: duckdb.INTEGER,
      int64: duckdb.BIGINT,
      double: duckdb.DOUBLE,
      boolean: duckdb.BOOLEAN,
      timestamp: duckdb.TIMESTAMPTZ,
    })[field.type];
  const sqlType = (field: Field): string =>
    ({
      string: 'VARCHAR',
      json: 'VARCHAR',
      int32: 'INTEGER',
      int64: 'BIGINT',
      double: 'DOUBLE',
      boolean: 'BOOLEAN',
      timestamp: 'TIMESTAMPTZ',
    })[field.type];
  const instance = await duckdb.DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  await connection.run(`CREATE TABLE t (${fields.map((f) => `"${f.name}" ${sqlType(f)}`).join(', ')})`);
  const appender = await connection.createAppender('t');
  const types = fields.map(typeOf);
  const convert = (field: Field, value: unknown): unknown => {
    if (value === null || value === undefined) return null;
    if (field.type === 'timestamp') {
      const micros = typeof value === 'string' ? isoToMicros(value) : (value as number);
      return micros === undefined ? null : new duckdb.DuckDBTimestampTZValue(BigInt(micros));
    }
    if (field.type === 'int64') return BigInt(value as number);
    if (field.type === 'json' && typeof value !== 'string') return JSON.stringify(value);
    return value;
  };
  const CHUNK = 2048;
  for (let start = 0; start < rows.length; start += CHUNK) {
    const end = Math.min(rows.length, start + CHUNK);
    const chunk = duckdb.DuckDBDataChunk.create(types, end - start);
    fields.forEach((field, column) => {
      const values = new Array(end - start);
      for (let i = start; i < end; i++) values[i - start] = convert(field, rows[i]![field.name]);
      chunk.setColumnValues(column, values);
    });
    appender.appendDataChunk(chunk);
  }
  appender.closeSync();
  await connection.run(`COPY t TO '${path.replace(/'/g, "''")}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${ROW_GROUP_ROWS})`);
  connection.closeSync();
}

type Polars = {
  DataFrame: (columns: Record<string, unknown>) => PolarsFrame;
  Series: (name: string, values: unknown[], dtype?: unknown) => { cast(dtype: unknown): unknown };
  concat: (frames: PolarsFrame[]) => PolarsFrame;
  Utf8: unknown;
  Int32: unknown;
  Int64: unknown;
  Float64: unknown;
  Bool: unknown;
  Datetime: (unit: string, zone: string) => unknown;
};
type PolarsFrame = { writeParquet(path: string, options: { compression: string }): void };

async function encodeWithPolars(fields: readonly Field[], rows: readonly Row[], path: string): Promise<void> {
  const pl = createRequire(join(polarsDir, 'package.json'))('nodejs-polars') as Polars;
  const dtype = (field: Field): unknown =>
    ({
      string: pl.Utf8,
      json: pl.Utf8,
      int32: pl.Int32,
      int64: pl.Int64,
      double: pl.Float64,
      boolean: pl.Bool,
      timestamp: pl.Datetime('us', 'UTC'),
    })[field.type];
  const frames: PolarsFrame[] = [];
  for (let start = 0; start < rows.length; start += ROW_GROUP_ROWS) {
    const end = Math.min(rows.length, start + ROW_GROUP_ROWS);
    const columns: Record<string, unknown> = {};
    for (const field of fields) {
      const values = new Array(end - start);
      for (let i = start; i < end; i++) {
        const value = rows[i]![field.name];
        values[i - start] = field.type === 'timestamp' && typeof value === 'string' ? (isoToMicros(value) ?? null) : (value ?? null);
      }
      // Timestamps go in as microsecond integers and are cast: a JS Date would drop the microseconds.
      columns[field.name] =
        field.type === 'timestamp'
          ? pl.Series(field.name, values, pl.Int64).cast(dtype(field))
          : pl.Series(field.name, values, dtype(field));
    }
    frames.push(pl.DataFrame(columns));
  }
  pl.concat(frames).writeParquet(path, { compression: 'zstd' });
}

async function child(name: EncoderName, input: string, limit: number, path: string): Promise<void> {
  const rows = await readRecords(input, limit);
  const fields = albFormat.schema.fields;
  const before = process.cpuUsage();
  const started = performance.now();
  if (name === 'parquet-wasm' || name === 'native') {
    process.env.LOGBEAM_PARQUET_WRITER = name === 'native' ? 'native' : 'wasm';
    await encodeWithLogbeam(fields, rows, path);
  } else if (name === 'duckdb') await encodeWithDuckDb(fields, rows, path);
  else await encodeWithPolars(fields, rows, path);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(before);
  process.stdout.write(`${JSON.stringify({ rows: rows.length, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 })}\n`);
}

function ensurePolars(): void {
  if (existsSync(join(polarsDir, 'node_modules', 'nodejs-polars'))) return;
  mkdirSync(polarsDir, { recursive: true });
  writeFileSync(join(polarsDir, 'package.json'), '{ "name": "bench-polars", "private": true }\n');
  // The platform binary is named explicitly: npm leaves optional dependencies out when installing this way.
  execFileSync(
    'npm',
    ['install', '--no-audit', '--no-fund', `nodejs-polars@${POLARS_VERSION}`, `nodejs-polars-linux-x64-gnu@${POLARS_VERSION}`],
    {
      cwd: polarsDir,
      stdio: 'inherit',
    },
  );
}

async function checksum(path: string): Promise<string> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const connection = await (await DuckDBInstance.create(':memory:')).connect();
  const file = path.replace(/'/g, "''");
  const result = await connection.runAndReadAll(
    `SELECT count(*), sum(elb_status_code), sum(sent_bytes), count(DISTINCT client_ip), sum(epoch_us("time")), count(target_ip), sum(length(request_url))
     FROM read_parquet('${file}')`,
  );
  connection.closeSync();
  return JSON.stringify(result.getRows()[0], (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      input: { type: 'string' },
      rows: { type: 'string', default: '400000' },
      repeat: { type: 'string', default: '3' },
      child: { type: 'string' },
      out: { type: 'string', default: 'tmp/parquet-encoders' },
    },
  });
  if (values.input === undefined) throw new Error('--input <ALB .gz file or folder> is required');
  const limit = Number(values.rows);
  if (values.child !== undefined) return child(values.child as EncoderName, values.input, limit, values.out);
  ensurePolars();
  rmSync(values.out, { recursive: true, force: true });
  mkdirSync(values.out, { recursive: true });
  const results = new Map<EncoderName, Array<{ seconds: number; cpuSeconds: number; rssMb: number; bytes: number; check: string }>>();
  for (let round = 0; round < Number(values.repeat); round++) {
    for (const name of ENCODERS) {
      const path = join(values.out, `${name}.parquet`);
      rmSync(path, { force: true });
      const run = spawnSync(
        '/usr/bin/time',
        [
          '-f',
          '%M',
          process.execPath,
          '--import',
          'tsx',
          'bench/experiments/parquet-encoders.ts',
          '--input',
          values.input,
          '--rows',
          String(limit),
          '--child',
          name,
          '--out',
          path,
        ],
        { encoding: 'utf8' },
      );
      if (run.status !== 0) throw new Error(`${name} failed:\n${run.stderr}`);
      const measured = JSON.parse(run.stdout.trim().split('\n').pop()!) as { rows: number; seconds: number; cpuSeconds: number };
      const rssMb = Number(run.stderr.trim().split('\n').pop()) / 1024;
      const entry = {
        seconds: measured.seconds,
        cpuSeconds: measured.cpuSeconds,
        rssMb,
        bytes: statSync(path).size,
        check: await checksum(path),
      };
      results.set(name, [...(results.get(name) ?? []), entry]);
      process.stderr.write(`round ${round + 1} ${name}: ${entry.seconds.toFixed(2)} s, ${Math.round(entry.rssMb)} MB\n`);
    }
  }
  const reference = results.get('parquet-wasm')![0]!.check;
  process.stdout.write(`rows: ${limit.toLocaleString('en-US')}; load average before/after: ${readLoad()}\n\n`);
  process.stdout.write(
    '| encoder | encode s (median) | rows/s | CPU s | peak RSS MB (process, incl. parsed records) | file MB | read back by DuckDB |\n|---|---|---|---|---|---|---|\n',
  );
  for (const name of ENCODERS) {
    const runs = [...results.get(name)!].sort((a, b) => a.seconds - b.seconds);
    const median = runs[Math.floor((runs.length - 1) / 2)]!;
    const same = runs.every((run) => run.check === reference);
    process.stdout.write(
      `| ${name} | ${median.seconds.toFixed(2)} | ${Math.round(limit / median.seconds).toLocaleString('en-US')} | ${median.cpuSeconds.toFixed(2)} | ${Math.round(median.rssMb)} | ${(median.bytes / 1e6).toFixed(1)} | ${same ? 'equal' : `DIFFERENT: ${median.check}`} |\n`,
    );
  }
}

function readLoad(): string {
  return execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).split(' ').slice(0, 3).join(', ');
}

await main();
