import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { networkFirewallFormat } from '../../io/formats/network-firewall/index.js';
import { expectWellFormed } from '../../io/catalog/testing/athena-ddl-checks.js';
import { duckdb, sqlString } from '../../io/sinks/testing/read-output.js';
import { filesUnder } from '../testing/alb-samples.js';
import { REPO_ROOT, runCli } from '../testing/run-cli.js';

const SAMPLES = join(REPO_ROOT, 'samples', 'network_firewall');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logbeam-nfw-'));
});

/** Events per UTC day and event type, read from the sample files with plain JSON.parse (event_type absent: tls). */
async function sampleCounts(): Promise<Array<{ day: string; event_type: string; n: number }>> {
  const counts = new Map<string, number>();
  for (const file of await filesUnder(SAMPLES)) {
    for (const line of gunzipSync(await readFile(file))
      .toString('utf8')
      .split('\n')
      .filter((l) => l !== '')) {
      const event = (JSON.parse(line) as { event: { timestamp: string; event_type?: string } }).event;
      const key = `${new Date(event.timestamp.replace('+0000', 'Z')).toISOString().slice(0, 10)}|${event.event_type ?? 'tls'}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return [...counts]
    .map(([key, n]) => ({ day: key.split('|')[0]!, event_type: key.split('|')[1]!, n }))
    .sort((a, b) => (a.day + a.event_type).localeCompare(b.day + b.event_type));
}

describe('logbeam with network_firewall', () => {
  it('runs the shipped samples into day-partitioned Parquet that DuckDB reads back, every event in its day and type', async () => {
    const output = join(dir, 'run');
    const { code, stderr } = await runCli(['run', 'network_firewall', '--input', SAMPLES, '--output', output]);
    expect(stderr).not.toContain('logbeam:');
    expect(code).toBe(0);
    const rows = await duckdb(
      `SELECT year || '-' || month || '-' || day AS day, event_type, count(*)::INTEGER AS n FROM read_parquet(${sqlString(`${output}/**/*.parquet`)}, hive_partitioning = true) GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    expect(rows).toEqual(await sampleCounts());
    const [alert] = await duckdb(
      `SELECT firewall_name, src_port, alert_signature, CAST("timestamp" AS VARCHAR) AS t FROM read_parquet(${sqlString(`${output}/**/*.parquet`)}) WHERE flow_id = 1582438383425873`,
    );
    expect(alert).toEqual({
      firewall_name: 'test-firewall',
      src_port: 55555,
      alert_signature: 'test_tcp',
      t: '2020-10-13 22:10:01.006481+00',
    });
  });

  it('parses one file to JSON lines and sends a line with an undocumented event_type to the dead letters with its line and reason', async () => {
    const { code, stdout, stderr } = await runCli([
      'parse',
      'network_firewall',
      join(REPO_ROOT, 'io/formats/network-firewall/fixtures/edge-cases.log'),
    ]);
    expect(code).toBe(0);
    expect(
      stdout
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { event_type: string }).event_type),
    ).toEqual(['flow', 'netflow']);
    const rejects = stderr
      .trim()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { line: number; reason: string });
    expect(rejects.find((reject) => reject.line === 4)?.reason).toBe('event_type: "dns" is not one of alert, flow, netflow, tls, http');
  });

  it('prints Athena DDL that is well formed and names every column with its type', async () => {
    const { code, stdout } = await runCli(['ddl', 'network_firewall', '--location', 's3://logs/parquet/network_firewall']);
    expect(code).toBe(0);
    expectWellFormed(stdout, networkFirewallFormat.schema);
  });
});
