import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queryRows } from '../bench/harness/duckdb-query.js';
import { differences, verifyOutputs } from '../bench/harness/verify.js';

/** Writes `select` (Classic ELB columns) as zstd Parquet partitioned by day under `dir`, as a scenario's tool would. */
async function writeClb(dir: string, select: string): Promise<void> {
  await queryRows(`COPY (${select}) TO '${dir}' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year, month, day))`);
}

const ROWS = `SELECT TIMESTAMPTZ '2024-06-01 00:00:00+00' + INTERVAL (i) SECOND AS time, 'lb' AS elb, '10.0.0.' || i AS client_ip, (1000 + i)::INTEGER AS client_port,
  '10.1.0.1' AS backend_ip, 80 AS backend_port, 0.001 AS request_processing_time, 0.2 AS backend_processing_time, 0.001 AS response_processing_time,
  200 AS elb_status_code, 200 AS backend_status_code, 100::BIGINT AS received_bytes, 1000::BIGINT AS sent_bytes, 'GET' AS request_verb,
  CASE WHEN i % 2 = 0 THEN 'https://a.example/x' ELSE 'https://a.example/y' END AS request_url, 'HTTP/1.1' AS request_proto, 'curl/8' AS user_agent,
  NULL::VARCHAR AS ssl_cipher, NULL::VARCHAR AS ssl_protocol, NULL::VARCHAR AS extra, '2024' AS year, '06' AS month, '01' AS day FROM range(10) r(i)`;

describe('bench --verify on a table compared row by row', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'logbeam-bench-verify-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('passes when the peer wrote the same rows in another order', async () => {
    await writeClb(join(root, 'logbeam'), ROWS);
    await writeClb(join(root, 'peer'), `SELECT * FROM (${ROWS}) ORDER BY client_port DESC`);
    const [result] = await verifyOutputs('clb', join(root, 'logbeam'), join(root, 'peer'));
    expect(result).toMatchObject({ table: 'clb (every row)', equal: true, onlyLogbeam: 0, onlyPeer: 0 });
  });

  it('fails on a difference no aggregate sees, and says how many rows differ', async () => {
    // Two rows swap their URLs: counts, sums and URL lengths stay the same.
    await writeClb(join(root, 'logbeam'), ROWS);
    await writeClb(
      join(root, 'peer'),
      `SELECT * REPLACE (CASE WHEN client_port = 1001 THEN 'https://a.example/x' WHEN client_port = 1002 THEN 'https://a.example/y' ELSE request_url END AS request_url) FROM (${ROWS})`,
    );
    const [result] = await verifyOutputs('clb', join(root, 'logbeam'), join(root, 'peer'));
    expect(result!.equal).toBe(false);
    expect(differences(result!)).toBe("2 rows only in logbeam's output; 2 rows only in the peer's output");
  });

  it('fails on a column of another type, before comparing rows', async () => {
    await writeClb(join(root, 'logbeam'), ROWS);
    await writeClb(join(root, 'peer'), `SELECT * REPLACE (client_port::BIGINT AS client_port) FROM (${ROWS})`);
    const [result] = await verifyOutputs('clb', join(root, 'logbeam'), join(root, 'peer'));
    expect(result!.equal).toBe(false);
    expect(differences(result!)).toBe('column client_port INTEGER vs client_port BIGINT');
  });

  it('names a column the peer left out', async () => {
    await writeClb(join(root, 'logbeam'), ROWS);
    await writeClb(join(root, 'peer'), `SELECT * EXCLUDE (extra) FROM (${ROWS})`);
    const [result] = await verifyOutputs('clb', join(root, 'logbeam'), join(root, 'peer'));
    expect(result!.equal).toBe(false);
    expect(differences(result!)).toBe('column only in logbeam: extra VARCHAR');
  });
});
