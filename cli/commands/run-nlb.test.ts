import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expectWellFormed } from '../../io/catalog/testing/athena-ddl-checks.js';
import { nlbFormat } from '../../io/formats/nlb/index.js';
import { duckdb, sqlString } from '../../io/sinks/testing/read-output.js';
import { filesUnder } from '../testing/alb-samples.js';
import { REPO_ROOT, runCli } from '../testing/run-cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logbeam-nlb-'));
});

const parquetOf = (output: string) => `read_parquet(${sqlString(`${output}/**/*.parquet`)}, hive_partitioning = true)`;

// AWS doc example "TLS listener with an ALPN policy" (NLB user guide), on one line.
const DOC_LINE =
  'tls 2.0 2020-04-01T08:51:42 net/my-network-loadbalancer/c6e77e28c25b2234 g3d4b5e8bb8464cd 72.21.218.154:51341 172.100.100.185:443 5 2 98 246 - arn:aws:acm:us-east-2:671290407336:certificate/2a108f19-aded-46b0-8493-c63eb1ef4a99 - ECDHE-RSA-AES128-SHA tlsv12 - my-network-loadbalancer-c6e77e28c25b2234.elb.us-east-2.amazonaws.com h2 h2 "h2","http/1.1" 2020-04-01T08:51:20';

describe('logbeam run nlb', () => {
  it('turns the NLB samples into day-partitioned Parquet that DuckDB reads back', async () => {
    const output = join(dir, 'samples-out');
    const { code, stderr } = await runCli(['run', 'nlb', '--input', join(REPO_ROOT, 'samples', 'nlb'), '--output', output]);
    expect({ code, stderr: stderr.includes('logbeam:') ? stderr : '' }).toEqual({ code: 0, stderr: '' });
    // Rows per day counted from the raw lines (the third field is the time), not through logbeam.
    const counts = new Map<string, number>();
    for (const file of await filesUnder(join(REPO_ROOT, 'samples', 'nlb'))) {
      for (const line of gunzipSync(await readFile(file))
        .toString('utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')) {
        const day = line.split(' ')[2]!.slice(0, 10);
        counts.set(day, (counts.get(day) ?? 0) + 1);
      }
    }
    const expected = [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([day, n]) => ({ day, n }));
    expect(
      await duckdb(
        `SELECT year || '-' || month || '-' || day AS day, count(*)::INTEGER AS n FROM ${parquetOf(output)} GROUP BY 1 ORDER BY 1`,
      ),
    ).toEqual(expected);
    const doc = await duckdb(
      `SELECT CAST("time" AS VARCHAR) AS t, client_ip, client_port, destination_port, connection_time, tls_handshake_time, sent_bytes, incoming_tls_alert, tls_protocol_version, alpn_fe_protocol, alpn_client_preference_list FROM ${parquetOf(output)} WHERE "time" = TIMESTAMPTZ '2020-04-01 08:51:42+00'`,
    );
    expect(doc).toEqual([
      {
        t: '2020-04-01 08:51:42+00',
        client_ip: '72.21.218.154',
        client_port: 51341,
        destination_port: 443,
        connection_time: 5,
        tls_handshake_time: 2,
        sent_bytes: 246n,
        incoming_tls_alert: null,
        tls_protocol_version: 'tlsv12',
        alpn_fe_protocol: 'h2',
        alpn_client_preference_list: '"h2","http/1.1"',
      },
    ]);
  });

  it('sends lines with an undocumented value or a bad number to the dead letters with file, line and reason, and keeps the others', async () => {
    const input = join(dir, 'bad-in');
    const output = join(dir, 'bad-out');
    await mkdir(input, { recursive: true });
    await writeFile(
      join(input, 'nlb.log'),
      `${DOC_LINE}\n${DOC_LINE.replace(' tlsv12 ', ' tlsv14 ')}\n${DOC_LINE.replace(' 98 246 ', ' 98 24x ')}\n${DOC_LINE}\n`,
    );
    const { code } = await runCli(['run', 'nlb', '--input', input, '--output', output]);
    expect(code).toBe(0);
    expect(await duckdb(`SELECT count(*)::INTEGER AS n FROM ${parquetOf(output)}`)).toEqual([{ n: 2 }]);
    const deadLetterFile = (await filesUnder(join(output, '_dead_letter'))).find((file) => file.endsWith('.jsonl'))!;
    const rejects = (await readFile(deadLetterFile, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rejects.sort((a, b) => Number(a['line']) - Number(b['line']))).toEqual([
      expect.objectContaining({
        line: 2,
        source: expect.stringContaining('nlb.log'),
        reason: 'tls_protocol_version: "tlsv14" is not one of tlsv10, tlsv11, tlsv12, tlsv13',
      }),
      expect.objectContaining({ line: 3, source: expect.stringContaining('nlb.log'), reason: 'sent_bytes: "24x" is not an integer' }),
    ]);
  });
});

describe('logbeam ddl nlb', () => {
  it('prints well-formed Athena DDL for the nlb table', async () => {
    const { code, stdout } = await runCli(['ddl', 'nlb', '--location', 's3://bucket/nlb/']);
    expect(code).toBe(0);
    expectWellFormed(stdout, nlbFormat.schema);
  });
});
