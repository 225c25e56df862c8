/**
 * A partition value too long for a directory name is shortened there, and the files of that partition keep
 * the full value (issue 13 item 11): Parquet read back with DuckDB, JSON lines and CSV read as text.
 */
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pipeline } from '../../../core/pipeline.js';
import { field, schema } from '../../../core/schema.js';
import { runPipeline } from '../../../test/testing.js';
import { create } from '../../../transforms/create.js';
import { writeCsv } from '../csv/index.js';
import { writeJsonLines } from '../json-lines/index.js';
import { writeParquet } from '../parquet/index.js';
import { duckdb, sqlString } from '../testing/read-output.js';

const LONG = `${'k'.repeat(120)}/é ${'v'.repeat(178)}`; // 300 characters, one of them escaped in a path
const rows = [
  { key: LONG, n: 1 },
  { key: 'short', n: 2 },
];
const rowSchema = schema([field('key', 'string'), field('n', 'int32')]);

async function files(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && !entry.name.startsWith('_') && !entry.parentPath.includes('_'))
    .map((entry) => join(entry.parentPath, entry.name));
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logbeam-long-partition-'));
});

describe('a partition value longer than a directory name allows', () => {
  it('keeps the full value in the Parquet files of its shortened directory, and only there', async () => {
    const output = join(dir, 'parquet');
    const p = Pipeline.create();
    p.apply(create(rows)).apply(writeParquet({ output, schema: rowSchema, partitionBy: ['key'] }));
    await runPipeline(p);
    const written = await files(output);
    const longFile = written.find((file) => !file.includes('key=short'))!;
    expect(longFile).toMatch(/key=k{120}%2F[^/]*~[0-9a-f]{8}\//);
    expect(longFile.split('/').find((segment) => segment.startsWith('key='))!.length).toBeLessThan(200);
    expect(await duckdb(`SELECT key, n FROM read_parquet(${sqlString(longFile)}, hive_partitioning = false)`)).toEqual([
      { key: LONG, n: 1 },
    ]);
    const shortFile = written.find((file) => file.includes('key=short'))!;
    expect(await duckdb(`SELECT * FROM read_parquet(${sqlString(shortFile)}, hive_partitioning = false)`)).toEqual([{ n: 2 }]);
  });

  it('keeps the full value in JSON lines and CSV files of its shortened directory', async () => {
    const jsonOutput = join(dir, 'jsonl');
    const csvOutput = join(dir, 'csv');
    const p = Pipeline.create();
    const records = p.apply(create(rows));
    records.apply(writeJsonLines({ output: jsonOutput, partitionBy: ['key'] }));
    records.apply(writeCsv({ output: csvOutput, schema: rowSchema, partitionBy: ['key'] }));
    await runPipeline(p);
    const json = await Promise.all(
      (await files(jsonOutput)).sort().map(async (file) => [file.includes('key=short'), (await readFile(file, 'utf8')).trim()] as const),
    );
    expect(json).toEqual(
      expect.arrayContaining([
        [false, JSON.stringify({ key: LONG, n: 1 })],
        [true, JSON.stringify({ n: 2 })],
      ]),
    );
    const csv = await Promise.all(
      (await files(csvOutput)).map(async (file) => [file.includes('key=short'), await readFile(file, 'utf8')] as const),
    );
    expect(csv).toEqual(
      expect.arrayContaining([
        [false, `n,key\r\n1,${LONG}\r\n`],
        [true, 'n\r\n2\r\n'],
      ]),
    );
  });
});
