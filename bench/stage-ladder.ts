/**
 * @module bench/stage-ladder
 * Where the CPU seconds of a bytes-to-Parquet job go, measured stage by stage on one core over the same input:
 * logbeam's own modules run cumulatively (each rung does everything the rung before did, plus one step), next to
 * DuckDB on one thread doing the same job in growing pieces, and the full `logbeam run` for comparison.
 *
 *   npx tsx bench/stage-ladder.ts [types=alb,vpc_flow,cloudfront] [sizeMb=256] [rounds=3]
 *
 * logbeam rungs (each reads every `.gz` file of bench/data/<type>-<size>mb-seed42, one file after the other):
 * - `gunzip`: `decodedChunks` (io/sources/decode.ts), the reader's decompression, output discarded;
 * - `+ framing`: `frameDecoded` with the format's framer (`createFramer`) and a receiver that counts records;
 * - `+ parse into columns`: the format's columnar parser through `ColumnarFrameParser` (the source's path), the
 *   emitted `ColumnBatch`es counted;
 * - `+ Arrow IPC`: the batches appended to the Parquet sink's column builders, flushed as the file sink flushes
 *   (4 MiB buffered or 122,880 rows) into one Arrow IPC stream each (`recordBatchStream`), the builders reused
 *   across flushes as the encoder reuses them;
 * - `+ encode, UNCOMPRESSED` / `+ encode, zstd`: the sink's encoder (`createParquetEncoder`) with its output
 *   discarded, one Parquet file per input file, with the default Parquet writer (the native one when built);
 * - `+ write files`: the same, zstd, written to files in a temporary folder;
 * - `+ encode, zstd, parquet-wasm` and `logbeam run, 1 worker, parquet-wasm`: with LOGBEAM_PARQUET_WRITER=wasm.
 * `logbeam run` is the full pipeline (compiled CLI, 1 worker, day partitions, dead letters, commit), measured as
 * a whole process; `node start-up` is `logbeam --version`, the part of that which is not the job.
 *
 * DuckDB rungs (one thread, in-process, no start-up): `read_csv` of every line as one column, count(*); the peer
 * SQL's own `read_csv(...)` call counted, then materialised as a table; the peer SQL (bench/peers) to Parquet with
 * zstd and with UNCOMPRESSED.
 *
 * Every rung runs in a fresh child process; its CPU seconds (user + system, every thread of the process: libuv's
 * pool, GC and compiler threads included) are taken with `process.cpuUsage()` around the work, after the modules
 * are loaded (parquet-wasm's WASM compile is counted: it is part of every run). Rounds alternate over the rungs;
 * the table shows the median of the rounds.
 *
 * A/B of one rung against another copy of the tree (e.g. `git archive <commit> | tar -x -C /tmp/base`, with
 * node_modules linked, dist built and this file copied in), alternating base and this tree, `rounds` times each:
 *
 *   npx tsx bench/stage-ladder.ts --ab <baseRoot> <type> <rung> [sizeMb=256] [rounds=5]
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import type { ColumnBatch } from '../core/column-batch.js';
import type { SourceEmitter } from '../core/source.js';
import type { ColumnarLogFormat } from '../io/formats/types.js';
import { albFormat } from '../io/formats/alb/index.js';
import { cloudFrontFormat } from '../io/formats/cloudfront/index.js';
import { vpcFlowFormat } from '../io/formats/vpc-flow/index.js';
import { recordBatchStream, schemaMessage } from '../io/sinks/parquet/arrow-ipc-stream.js';
import { columnBuilder } from '../io/sinks/parquet/column-builders.js';
import { chosenParquetWriter } from '../io/sinks/parquet/choose-parquet-writer.js';
import { createParquetEncoder, type ParquetCompression } from '../io/sinks/parquet/parquet-encoder.js';
import { ColumnarLogFileSource } from '../io/sources/log-file-source.js';
import { decodedChunks } from '../io/sources/decode.js';
import { frameDecoded } from '../io/sources/read-file.js';
import { createFramer } from '../io/sources/framing/create-framer.js';
import { albToParquetSql } from './peers/alb-to-parquet.sql.js';
import { cloudFrontToParquetSql } from './peers/cloudfront-to-parquet.sql.js';
import { vpcFlowToParquetSql } from './peers/vpc-flow-to-parquet.sql.js';
import { measure } from './harness/measure.js';
import { readCsvCall } from './harness/read-csv-call.js';

const ROOT = resolve(import.meta.dirname, '..');

interface LadderType {
  readonly format: ColumnarLogFormat<object>;
  readonly pipeline: string;
  readonly sql: (inputGlob: string, outputDir: string) => string;
}

const TYPES: Record<string, LadderType> = {
  alb: { format: albFormat as ColumnarLogFormat<object>, pipeline: 'alb', sql: albToParquetSql },
  vpc_flow: { format: vpcFlowFormat as ColumnarLogFormat<object>, pipeline: 'vpc_flow', sql: vpcFlowToParquetSql },
  cloudfront: { format: cloudFrontFormat as ColumnarLogFormat<object>, pipeline: 'cloudfront', sql: cloudFrontToParquetSql },
};

const LOGBEAM_RUNGS = [
  'gunzip',
  '+ framing',
  '+ parse into columns',
  '+ Arrow IPC',
  '+ encode, UNCOMPRESSED',
  '+ encode, zstd',
  '+ write files',
  '+ encode, zstd, parquet-wasm',
] as const;
const DUCKDB_RUNGS = [
  'DuckDB read_csv one column, count(*)',
  "DuckDB peer's read_csv, count(*)",
  "DuckDB peer's read_csv into a table",
  'DuckDB peer SQL to Parquet, UNCOMPRESSED',
  'DuckDB peer SQL to Parquet, zstd',
] as const;
const PROCESS_RUNGS = [
  'node start-up (logbeam --version)',
  'logbeam run, 1 worker (whole process)',
  'logbeam run, 1 worker, parquet-wasm',
] as const;
/** Rungs that run with LOGBEAM_PARQUET_WRITER=wasm; the others use the default writer (native when built). */
const WASM_RUNGS: readonly Rung[] = ['+ encode, zstd, parquet-wasm', 'logbeam run, 1 worker, parquet-wasm'];
type Rung = (typeof LOGBEAM_RUNGS)[number] | (typeof DUCKDB_RUNGS)[number] | (typeof PROCESS_RUNGS)[number];

/** The Parquet sink's flush thresholds (PARQUET_FLUSH_BYTES in io/sinks/parquet/index.ts, the row group rows). */
const FLUSH_BYTES = 4 * 1024 * 1024;
const ROW_GROUP_ROWS = 122_880;

function inputFiles(dir: string): string[] {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.gz'))
    .sort()
    .map((name) => join(dir, name));
  if (files.length === 0) throw new Error(`no .gz files in ${dir}: generate them with \`npm run bench -- <scenario> --size <MB>\``);
  return files;
}

/** What a rung consumes per emitted element; `end` finishes one input file. */
interface Sink {
  batch(batch: ColumnBatch): void;
  end(): Promise<void>;
}

function countingSink(counter: { rows: number }): Sink {
  return {
    batch(batch) {
      counter.rows += batch.length;
    },
    end: async () => undefined,
  };
}

/** Column builders flushed to Arrow IPC as the file sink flushes them, the IPC discarded. */
function ipcSink(type: LadderType, counter: { rows: number }): Sink {
  const fields = type.format.schema.fields;
  const schema = schemaMessage(fields);
  // Reused across flushes, as the encoder reuses them (fresh builders per flush re-grew every buffer from 1,024
  // rows each time: that made this rung cost about 1.5 CPU s more than the real hand-over).
  const builders = fields.map(columnBuilder);
  let rows = 0;
  let bytes = 0;
  const flush = (): void => {
    if (rows === 0) return;
    const ipc = recordBatchStream(
      schema,
      builders.map((builder) => builder.finish()),
      rows,
    );
    counter.rows += ipc.byteLength > 0 ? rows : 0;
    rows = 0;
    bytes = 0;
  };
  return {
    batch(batch) {
      for (let i = 0; i < builders.length; i++) bytes += builders[i]!.appendRange(batch.columns[i]!, 0, batch.length);
      rows += batch.length;
      if (bytes >= FLUSH_BYTES || rows >= ROW_GROUP_ROWS) flush();
    },
    end: async () => flush(),
  };
}

/** The Parquet sink's encoder, output discarded or written to `path`. */
function encoderSink(type: LadderType, compression: ParquetCompression, path: string | undefined, counter: { rows: number }): Sink {
  const file = path === undefined ? undefined : createWriteStream(path);
  const output = async (chunk: Uint8Array): Promise<void> => {
    if (file !== undefined && !file.write(chunk)) await once(file, 'drain');
  };
  const encoder = createParquetEncoder<object>(
    type.format.schema.fields,
    { compression, rowGroupRows: ROW_GROUP_ROWS, dictionary: true },
    output,
  );
  let bytes = 0;
  let pending: Promise<void> = Promise.resolve();
  return {
    batch(batch) {
      bytes += encoder.appendRows(batch, 0, batch.length);
      counter.rows += batch.length;
      if (bytes >= FLUSH_BYTES || encoder.bufferedRows >= ROW_GROUP_ROWS) {
        bytes = 0;
        pending = encoder.flush();
      }
    },
    end: async () => {
      await pending;
      await encoder.finish();
      if (file !== undefined) {
        file.end();
        await once(file, 'close');
      }
    },
  };
}

async function runLogbeamRung(rung: (typeof LOGBEAM_RUNGS)[number], type: LadderType, files: readonly string[]): Promise<number> {
  const counter = { rows: 0 };
  if (rung === 'gunzip') {
    let bytes = 0;
    for (const file of files) for await (const chunk of decodedChunks(createReadStream(file), () => undefined)) bytes += chunk.length;
    return bytes;
  }
  if (rung === '+ framing') {
    for (const file of files) {
      const framer = createFramer(type.format.framing, {
        record: () => void counter.rows++,
        recordBytes: () => void counter.rows++,
        invalid: () => void counter.rows++,
      });
      await frameDecoded(createReadStream(file), framer, { checkpoint: () => undefined, addBytesRead: () => undefined });
    }
    return counter.rows;
  }
  const out = rung === '+ write files' ? mkdtempSync(join(tmpdir(), 'logbeam-ladder-')) : undefined;
  const source = new ColumnarLogFileSource(type.format, { input: files as string[] }, 'Read');
  const signal = new AbortController().signal;
  try {
    for (const [index, file] of files.entries()) {
      const sink =
        rung === '+ parse into columns'
          ? countingSink(counter)
          : rung === '+ Arrow IPC'
            ? ipcSink(type, counter)
            : encoderSink(
                type,
                rung === '+ encode, UNCOMPRESSED' ? 'none' : 'zstd',
                out === undefined ? undefined : join(out, `part-${index}.parquet`),
                counter,
              );
      const emitter: SourceEmitter<unknown> = {
        emit: (value) => {
          if ((value as ColumnBatch).columns !== undefined) sink.batch(value as ColumnBatch);
        },
        checkpoint: () => undefined,
        addBytesRead: () => undefined,
      };
      await source.readSplitAsBatches({ id: file, sizeBytes: 0, spec: { uri: file } }, emitter, { signal });
      await sink.end();
    }
  } finally {
    if (out !== undefined) rmSync(out, { recursive: true, force: true });
  }
  return counter.rows;
}

async function runDuckDbRung(rung: (typeof DUCKDB_RUNGS)[number], type: LadderType, inputDir: string): Promise<() => Promise<number>> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  const glob = join(inputDir, '*.gz');
  const out = mkdtempSync(join(tmpdir(), 'logbeam-ladder-duckdb-'));
  const peer = type.sql(glob, out);
  const statements: Record<(typeof DUCKDB_RUNGS)[number], string> = {
    'DuckDB read_csv one column, count(*)': `SELECT count(*) FROM read_csv('${glob}', columns = {'line': 'VARCHAR'}, delim = '\x01', quote = '', escape = '', header = false, compression = 'gzip')`,
    "DuckDB peer's read_csv, count(*)": `SELECT count(*) FROM ${readCsvCall(peer)}`,
    "DuckDB peer's read_csv into a table": `CREATE TABLE t AS SELECT * FROM ${readCsvCall(peer)}`,
    'DuckDB peer SQL to Parquet, UNCOMPRESSED': peer.replace('COMPRESSION zstd', 'COMPRESSION uncompressed'),
    'DuckDB peer SQL to Parquet, zstd': peer,
  };
  const statement = statements[rung];
  if (rung === 'DuckDB peer SQL to Parquet, UNCOMPRESSED' && statement === peer)
    throw new Error('the peer SQL has no COMPRESSION zstd to replace');
  return async () => {
    try {
      const reader = await connection.runAndReadAll(statement);
      const first = reader.getRows()[0]?.[0];
      return typeof first === 'bigint' ? Number(first) : 0;
    } finally {
      connection.closeSync();
      rmSync(out, { recursive: true, force: true });
    }
  };
}

/** Child mode: runs one rung and prints `{cpu, wall, rows}`. */
async function child(rung: Rung, typeName: string, inputDir: string): Promise<void> {
  const type = TYPES[typeName]!;
  const files = inputFiles(inputDir);
  let work: () => Promise<number>;
  if ((LOGBEAM_RUNGS as readonly string[]).includes(rung)) work = () => runLogbeamRung(rung as (typeof LOGBEAM_RUNGS)[number], type, files);
  else work = await runDuckDbRung(rung as (typeof DUCKDB_RUNGS)[number], type, inputDir);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const rows = await work();
  const used = process.cpuUsage(cpu);
  process.stdout.write(JSON.stringify({ cpu: (used.user + used.system) / 1e6, wall: (performance.now() - started) / 1000, rows }));
}

interface Sample {
  readonly cpu: number;
  readonly wall: number;
}

function runRung(rung: Rung, typeName: string, inputDir: string, root = ROOT): Sample {
  const env = { ...process.env, ...(WASM_RUNGS.includes(rung) ? { LOGBEAM_PARQUET_WRITER: 'wasm' } : {}) };
  if ((PROCESS_RUNGS as readonly string[]).includes(rung)) {
    const cli = join(root, 'bin', 'logbeam.js');
    if (rung === 'node start-up (logbeam --version)') {
      const m = measure(process.execPath, [cli, '--version']);
      return { cpu: m.cpuSeconds, wall: m.wallSeconds };
    }
    const out = mkdtempSync(join(tmpdir(), 'logbeam-ladder-run-'));
    try {
      const m = measure(
        process.execPath,
        [cli, 'run', TYPES[typeName]!.pipeline, '--input', inputDir, '--output', out, '--workers', '1', '--json'],
        { env },
      );
      return { cpu: m.cpuSeconds, wall: m.wallSeconds };
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }
  const done = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(root, 'bench', 'stage-ladder.ts'), '--child', rung, typeName, inputDir],
    {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 1 << 24,
      env,
    },
  );
  if (done.status !== 0) throw new Error(`rung "${rung}" (${typeName}) failed:\n${done.stderr}`);
  return JSON.parse(done.stdout) as Sample;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

async function main(): Promise<void> {
  const [typesArg = 'alb,vpc_flow,cloudfront', sizeArg = '256', roundsArg = '3'] = process.argv.slice(2);
  const rounds = Number(roundsArg);
  const rungs: Rung[] = [...PROCESS_RUNGS, ...LOGBEAM_RUNGS, ...DUCKDB_RUNGS];
  for (const typeName of typesArg.split(',')) {
    if (TYPES[typeName] === undefined) throw new Error(`unknown type "${typeName}": use ${Object.keys(TYPES).join(', ')}`);
    const inputDir = join(ROOT, 'bench', 'data', `${typeName}-${sizeArg}mb-seed42`);
    inputFiles(inputDir);
    const samples = new Map<Rung, Sample[]>(rungs.map((rung) => [rung, []]));
    const load = [readLoad()];
    for (let round = 0; round < rounds; round++) for (const rung of rungs) samples.get(rung)!.push(runRung(rung, typeName, inputDir));
    load.push(readLoad());
    process.stdout.write(
      `\n${typeName}, ${inputDir.replace(`${ROOT}/`, '')}, median of ${rounds} rounds; load average ${load.join(' -> ')}; Parquet writer of the encode rungs: ${chosenParquetWriter()} (rungs marked parquet-wasm: parquet-wasm)\n\n`,
    );
    process.stdout.write('| rung (one core) | CPU s | step CPU s | wall s |\n|---|---|---|---|\n');
    const cpuOf = (rung: Rung): number => median(samples.get(rung)!.map((s) => s.cpu));
    for (const rung of rungs) {
      const cpu = cpuOf(rung);
      const wall = median(samples.get(rung)!.map((s) => s.wall));
      // Each rung's step is over the rung it adds to: the encode rungs all add to the IPC hand-over.
      const index = (LOGBEAM_RUNGS as readonly string[]).indexOf(rung);
      const base =
        index <= 0
          ? undefined
          : rung.startsWith('+ encode')
            ? '+ Arrow IPC'
            : rung === '+ write files'
              ? '+ encode, zstd'
              : LOGBEAM_RUNGS[index - 1]!;
      const step = base === undefined ? '' : (cpu - cpuOf(base)).toFixed(2);
      process.stdout.write(`| ${rung} | ${cpu.toFixed(2)} | ${step} | ${wall.toFixed(2)} |\n`);
    }
  }
}

function readLoad(): string {
  const done = spawnSync('cat', ['/proc/loadavg'], { encoding: 'utf8' });
  return done.stdout.split(' ').slice(0, 3).join(' ');
}

/** Alternates one rung between `baseRoot`'s tree and this one; prints every sample and the medians. */
function abCompare(baseRoot: string, typeName: string, rung: Rung, size: string, rounds: number): void {
  const inputDir = join(ROOT, 'bench', 'data', `${typeName}-${size}mb-seed42`);
  const samples: Record<'base' | 'new', Sample[]> = { base: [], new: [] };
  const load = [readLoad()];
  for (let round = 0; round < rounds; round++)
    for (const [name, root] of [
      ['base', resolve(baseRoot)],
      ['new', ROOT],
    ] as const) {
      const sample = runRung(rung, typeName, inputDir, root);
      samples[name].push(sample);
      process.stdout.write(`round ${round + 1} ${name}: CPU ${sample.cpu.toFixed(2)} s, wall ${sample.wall.toFixed(2)} s\n`);
    }
  load.push(readLoad());
  const base = median(samples.base.map((s) => s.cpu));
  const next = median(samples.new.map((s) => s.cpu));
  process.stdout.write(
    `${typeName} "${rung}": median CPU base ${base.toFixed(2)} s, new ${next.toFixed(2)} s (${(((next - base) / base) * 100).toFixed(1)}%); load ${load.join(' -> ')}\n`,
  );
}

if (process.argv[2] === '--child') await child(process.argv[3] as Rung, process.argv[4]!, process.argv[5]!);
else if (process.argv[2] === '--ab')
  abCompare(process.argv[3]!, process.argv[4]!, process.argv[5] as Rung, process.argv[6] ?? '256', Number(process.argv[7] ?? '5'));
else await main();
