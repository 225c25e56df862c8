import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expectWellFormed } from '../../io/catalog/testing/athena-ddl-checks.js';
import { logFormat } from '../../pipelines/log-formats.js';
import { duckdb, sqlString } from '../../io/sinks/testing/read-output.js';
import { filesUnder } from '../testing/alb-samples.js';
import { REPO_ROOT, runCli } from '../testing/run-cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logbeam-json-lines-'));
});

/** Records per UTC day in the shipped samples of `type`, counted from the raw JSON (not through logbeam). */
async function sampleRowsPerDay(
  type: string,
  dayOf: (record: Record<string, unknown>) => string,
): Promise<Array<{ day: string; n: number }>> {
  const counts = new Map<string, number>();
  for (const file of await filesUnder(join(REPO_ROOT, 'samples', type))) {
    const text = gunzipSync(await readFile(file)).toString('utf8');
    for (const line of text.split('\n').filter((l) => l.trim() !== '')) {
      const day = dayOf(JSON.parse(line) as Record<string, unknown>);
      counts.set(day, (counts.get(day) ?? 0) + 1);
    }
  }
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([day, n]) => ({ day, n }));
}

const parquetOf = (output: string) => `read_parquet(${sqlString(`${output}/**/*.parquet`)}, hive_partitioning = true)`;

describe('logbeam run waf', () => {
  it('turns the WAF samples into day-partitioned Parquet that DuckDB reads back, httpRequest flattened', async () => {
    const output = join(dir, 'waf');
    const { code, stderr } = await runCli(['run', 'waf', '--input', join(REPO_ROOT, 'samples', 'waf'), '--output', output]);
    expect({ code, stderr: stderr.includes('logbeam:') ? stderr : '' }).toEqual({ code: 0, stderr: '' });
    const rows = await duckdb(
      `SELECT year || '-' || month || '-' || day AS day, count(*)::INTEGER AS n FROM ${parquetOf(output)} GROUP BY 1 ORDER BY 1`,
    );
    expect(rows).toEqual(await sampleRowsPerDay('waf', (r) => new Date(r['timestamp'] as number).toISOString().slice(0, 10)));
    // The AWS documentation's SQLi example (samples/aws-doc-examples/waf.txt, first line).
    const doc = await duckdb(
      `SELECT CAST("timestamp" AS VARCHAR) AS ts, action, client_ip, country, uri, http_method, terminating_rule_id, json_extract_string(headers, '$[3].value') AS header FROM ${parquetOf(output)} WHERE terminating_rule_id = 'STMTest_SQLi_XSS' AND uri = '/foo'`,
    );
    expect(doc).toEqual([
      {
        ts: '2019-12-13 23:40:12.771+00',
        action: 'BLOCK',
        client_ip: '1.1.1.1',
        country: 'AU',
        uri: '/foo',
        http_method: 'GET',
        terminating_rule_id: 'STMTest_SQLi_XSS',
        header: '10 AND 1=1',
      },
    ]);
  });

  it('sends a record with an undocumented action to the dead letters with its file, line and reason, and keeps the others', async () => {
    const input = join(dir, 'waf-bad-in');
    const output = join(dir, 'waf-bad-out');
    await mkdir(input, { recursive: true });
    const good = '{"timestamp":1717200000000,"action":"ALLOW","httpRequest":{"clientIp":"192.0.2.1","uri":"/"}}';
    await writeFile(join(input, 'waf.log'), `${good}\n${good.replace('"ALLOW"', '"DENY"')}\n${good}\n`);
    const { code } = await runCli(['run', 'waf', '--input', input, '--output', output]);
    expect(code).toBe(0);
    expect(await duckdb(`SELECT count(*)::INTEGER AS n FROM ${parquetOf(output)}`)).toEqual([{ n: 2 }]);
    const rejects = (await readFile((await filesUnder(join(output, '_dead_letter'))).find((file) => file.endsWith('.jsonl'))!, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rejects).toEqual([
      expect.objectContaining({
        line: 2,
        source: expect.stringContaining('waf.log'),
        reason: 'action: "DENY" is not one of ALLOW, BLOCK, COUNT, CAPTCHA, CHALLENGE',
      }),
    ]);
  });
});

describe('logbeam run route53_resolver', () => {
  it('turns the Resolver samples into day-partitioned Parquet that DuckDB reads back, srcport as an integer', async () => {
    const output = join(dir, 'resolver');
    const { code, stderr } = await runCli([
      'run',
      'route53-resolver',
      '--input',
      join(REPO_ROOT, 'samples', 'route53_resolver'),
      '--output',
      output,
    ]);
    expect({ code, stderr: stderr.includes('logbeam:') ? stderr : '' }).toEqual({ code: 0, stderr: '' });
    const rows = await duckdb(
      `SELECT year || '-' || month || '-' || day AS day, count(*)::INTEGER AS n FROM ${parquetOf(output)} GROUP BY 1 ORDER BY 1`,
    );
    expect(rows).toEqual(await sampleRowsPerDay('route53_resolver', (r) => (r['query_timestamp'] as string).slice(0, 10)));
    // The AWS documentation example (samples/aws-doc-examples/route53-resolver.txt).
    const doc = await duckdb(
      `SELECT query_name, srcport, srcids_instance, rcode, firewall_rule_action, json_extract_string(answers, '$[0].Rdata') AS rdata FROM ${parquetOf(output)} WHERE vpc_id = 'vpc-7example'`,
    );
    expect(doc).toEqual([
      {
        query_name: '15.3.4.32.in-addr.arpa.',
        srcport: 56067,
        srcids_instance: 'i-0d15cd0d3example',
        rcode: 'NOERROR',
        firewall_rule_action: 'BLOCK',
        rdata: '203.0.113.9',
      },
    ]);
  });
});

describe.each([['waf'], ['route53_resolver']])('logbeam generate|parse|ddl %s', (type) => {
  it('generates gzip files that parse (named and guessed) without a single reject, and prints well-formed Athena DDL', async () => {
    const out = join(dir, `gen-${type}`);
    expect((await runCli(['generate', type, '--records', '60', '--seed', '7', '--files', '2', '--gzip', '--output', `${out}/`])).code).toBe(
      0,
    );
    const names = (await readdir(out)).sort();
    expect(names).toEqual([`${type}-0001.log.gz`, `${type}-0002.log.gz`]);
    let records = 0;
    for (const name of names) {
      for (const named of [type, 'auto']) {
        const rejects = join(dir, `${type}-${named}-${name}.rejects`);
        const parsed = await runCli(['parse', named, join(out, name), '--dead-letter', rejects]);
        expect({ named, code: parsed.code, rejects: await readFile(rejects, 'utf8') }).toEqual({ named, code: 0, rejects: '' });
        if (named === type) records += parsed.stdout.trim().split('\n').length;
      }
    }
    expect(records).toBe(60);
    const ddl = await runCli(['ddl', type.replace('_', '-'), '--location', `s3://logs/${type}/`]);
    expect(ddl.code).toBe(0);
    expectWellFormed(ddl.stdout, logFormat(type).schema);
  });
});
