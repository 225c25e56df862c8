import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { queryRows } from '../bench/harness/duckdb-query.js';
import { readCsvCall } from '../bench/harness/read-csv-call.js';
import { albToParquetSql } from '../bench/peers/alb-to-parquet.sql.js';
import { generateAlbLines } from '../io/formats/alb/generate.js';

describe('readCsvCall', () => {
  it("cuts out the peer's read_csv call whole, even with parentheses and quotes in the input path", async () => {
    const dir = await mkdtemp(join(tmpdir(), "logbeam-read-csv it's :) "));
    try {
      await writeFile(join(dir, 'alb.log.gz'), gzipSync(`${[...generateAlbLines({ records: 3, seed: 1 })].join('\n')}\n`));
      const call = readCsvCall(albToParquetSql(join(dir, '*.gz'), join(dir, 'out')));
      expect(call.startsWith('read_csv(')).toBe(true);
      const [row] = await queryRows(`SELECT count(*) AS n FROM ${call}`);
      expect(Number(row?.['n'])).toBe(3);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails loudly on SQL without a whole read_csv call', () => {
    expect(() => readCsvCall('SELECT 1')).toThrow('no read_csv(...) call');
    expect(() => readCsvCall("SELECT * FROM read_csv('a.csv'")).toThrow('unbalanced');
  });
});
