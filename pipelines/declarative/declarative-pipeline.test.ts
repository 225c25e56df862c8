import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { generateAlbLines } from '../../io/formats/alb/generate.js';
import { duckdb, sqlString } from '../../io/sinks/testing/read-output.js';
import { runDirect } from '../../runners/direct/direct-runner.js';
import { runCli } from '../../cli/testing/run-cli.js';
import { parseSpecText } from './load-spec.js';
import { declarativePipeline } from './pipeline.js';

async function jsonLinesUnder(dir: string): Promise<Array<Record<string, unknown>>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const rows: Array<Record<string, unknown>> = [];
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith('.jsonl')) continue;
    for (const line of (await readFile(join(entry.parentPath, entry.name), 'utf8')).split('\n'))
      if (line !== '') rows.push(JSON.parse(line) as Record<string, unknown>);
  }
  return rows;
}

/** The fields the test needs, cut from an ALB line by hand (not with the parser under test). */
function albFields(line: string): { time: string; status: number; bytes: number; client: string; host: string | null } {
  const unquoted = line.replace(/"[^"]*"/g, (quoted) => quoted.replace(/ /g, '\u0001'));
  // biome-ignore lint/suspicious/noControlCharactersInRegex: \u0001 stood in for spaces inside quotes while splitting
  const fields = unquoted.split(' ').map((field) => field.replace(/\u0001/g, ' ').replace(/^"|"$/g, ''));
  const host = fields[18]!;
  return {
    time: fields[1]!,
    status: Number(fields[8]),
    bytes: Number(fields[11]),
    client: fields[3]!.slice(0, fields[3]!.lastIndexOf(':')),
    host: host === '-' ? null : host,
  };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logbeam-declarative-'));
});

describe('declarativePipeline', () => {
  it('computes hourly per-host error aggregates from a YAML file run by the CLI, matching a hand computation', async () => {
    const lines = [...generateAlbLines({ records: 600, seed: 99, spanHours: 3 })];
    await mkdir(join(dir, 'alb'), { recursive: true });
    await writeFile(join(dir, 'alb', 'a.log.gz'), gzipSync(`${lines.slice(0, 300).join('\n')}\n`));
    await writeFile(join(dir, 'alb', 'b.log.gz'), gzipSync(`${lines.slice(300).join('\n')}\n`));
    const specPath = join(dir, 'errors.yaml');
    await writeFile(
      specPath,
      `name: errors-per-hour
steps:
  - { name: logs, type: read, config: { format: alb } }
  - { name: errors, type: filter, config: { where: "elb_status_code >= 400" } }
  - name: fields
    type: map_to_fields
    config:
      fields: { host: 'coalesce(lower(domain_name), "none")', bytes: sent_bytes, client: client_ip }
  - { name: hourly, type: window, config: { fixed: 1h } }
  - name: per_host
    type: combine
    config:
      group_by: [host]
      aggregations:
        requests: { fn: count }
        bytes: { fn: sum, value: bytes }
        largest: { fn: max, value: bytes }
        clients: { fn: countDistinct, value: client }
  - { name: out, type: write, config: { format: jsonl } }
`,
    );
    const { code, stderr } = await runCli(['run', specPath, '--input', join(dir, 'alb'), '--output', join(dir, 'out'), '--workers', '2']);
    expect(stderr).not.toContain('logbeam:');
    expect(code).toBe(0);

    const expected = new Map<
      string,
      { host: string; requests: number; bytes: number; largest: number; clients: Set<string>; window_start: string }
    >();
    for (const line of lines) {
      const f = albFields(line);
      if (f.status < 400) continue;
      const hour = `${f.time.slice(0, 13)}:00:00Z`;
      const host = f.host ?? 'none';
      const entry = expected.get(`${hour} ${host}`) ?? {
        host,
        requests: 0,
        bytes: 0,
        largest: -Infinity,
        clients: new Set<string>(),
        window_start: hour,
      };
      entry.requests++;
      entry.bytes += f.bytes;
      entry.largest = Math.max(entry.largest, f.bytes);
      entry.clients.add(f.client);
      expected.set(`${hour} ${host}`, entry);
    }
    const rows = await jsonLinesUnder(join(dir, 'out', 'out'));
    expect(rows.length).toBeGreaterThan(3);
    expect(rows).toEqualInAnyOrder(
      [...expected.values()].map((e) => ({
        host: e.host,
        requests: e.requests,
        bytes: e.bytes,
        largest: e.largest,
        clients: e.clients.size,
        window_start: e.window_start,
        window_end: new Date(Date.parse(e.window_start) + 3_600_000).toISOString().replace('.000Z', 'Z'),
      })),
    );
  });

  it('writes the ALB sample pipeline as day-partitioned Parquet with the ALB schema', async () => {
    const { code } = await runCli([
      'run',
      'samples/pipelines/alb-to-parquet.yaml',
      '-i',
      'samples/alb',
      '-o',
      join(dir, 'alb-yaml'),
      '--workers',
      '1',
    ]);
    expect(code).toBe(0);
    const rows = await duckdb(
      `SELECT count(*)::INTEGER AS n, count(DISTINCT year || month || day)::INTEGER AS days, typeof(any_value(time)) AS time_type FROM read_parquet(${sqlString(`${join(dir, 'alb-yaml', 'requests')}/**/*.parquet`)}, hive_partitioning = true)`,
    );
    expect(rows).toEqual([{ n: 605, days: 4, time_type: 'TIMESTAMP WITH TIME ZONE' }]);
  });

  it('joins two CSV inputs on a computed key (inner and left)', async () => {
    await writeFile(join(dir, 'cost.csv'), 'date,service,cost\n2024-06-01,s3,1.5\n2024-06-01,ec2,10\n2024-06-02,s3,2\n');
    await writeFile(join(dir, 'usage.csv'), 'date,service,requests\n2024-06-01,s3,100\n2024-06-02,s3,150\n2024-06-02,lambda,7\n');
    const join2 = (how: string): string => `
steps:
  - { name: cost, type: read, config: { format: csv, input: ${JSON.stringify(join(dir, 'cost.csv'))} } }
  - { name: usage, type: read, config: { format: csv, input: ${JSON.stringify(join(dir, 'usage.csv'))} } }
  - name: both
    type: join
    input: { cost: cost, usage: usage }
    config: { on: 'concat(date(date), "/", service)', how: ${how} }
  - name: flat
    type: map_to_fields
    config:
      fields: { key: key, cost: number(cost.cost), requests: number(usage.requests) }
  - { name: out, type: write, config: { format: jsonl, path: ${JSON.stringify(join(dir, `join-${how}`))} } }
`;
    for (const how of ['inner', 'left']) {
      const spec = parseSpecText(join2(how));
      const result = await runDirect(declarativePipeline.create({ spec, deadLetter: join(dir, `dl-${how}`) }).pipeline, { workers: 1 });
      expect(result.rejected).toBe(0);
    }
    expect(await jsonLinesUnder(join(dir, 'join-inner'))).toEqualInAnyOrder([
      { key: '2024-06-01/s3', cost: 1.5, requests: 100 },
      { key: '2024-06-02/s3', cost: 2, requests: 150 },
    ]);
    expect(await jsonLinesUnder(join(dir, 'join-left'))).toEqualInAnyOrder([
      { key: '2024-06-01/s3', cost: 1.5, requests: 100 },
      { key: '2024-06-01/ec2', cost: 10, requests: null },
      { key: '2024-06-02/s3', cost: 2, requests: 150 },
    ]);
  });

  it('fails the run with every spec problem listed and exit 2 (a usage error), writing nothing', async () => {
    const specPath = join(dir, 'bad.yaml');
    await writeFile(
      specPath,
      'steps:\n  - { type: read, config: { format: alb } }\n  - { type: filter, config: { where: "status >" } }\n  - { type: write, config: { format: avro } }\n',
    );
    const { code, stderr } = await runCli(['run', specPath, '-i', 'samples/alb', '-o', join(dir, 'never')]);
    expect(code).toBe(2);
    expect(stderr).toContain('steps[1].config.where: the expression ends too early');
    expect(stderr).toContain('steps[2].config.format: expected "parquet" | "jsonl" | "csv", got "avro"');
  });

  it('aggregates per session and per sliding window by event time', async () => {
    await writeFile(
      join(dir, 'clicks.csv'),
      'time,user\n2024-06-01T00:00:00Z,ana\n2024-06-01T00:10:00Z,ana\n2024-06-01T01:00:00Z,ana\n2024-06-01T00:20:00Z,bo\n',
    );
    const spec = (window: string, path: string): string => `
steps:
  - { name: clicks, type: read, config: { format: csv, input: ${JSON.stringify(join(dir, 'clicks.csv'))} } }
  - { name: windows, type: window, config: ${window} }
  - { name: per_user, type: combine, config: { group_by: [user], aggregations: { clicks: { fn: count } } } }
  - { name: out, type: write, config: { format: jsonl, time_partitioning: none, path: ${JSON.stringify(join(dir, path))} } }
`;
    await runDirect(
      declarativePipeline.create({ spec: parseSpecText(spec('{ sessions: { gap: 30m } }', 'sessions')), deadLetter: join(dir, 'dl-s') })
        .pipeline,
      { workers: 1 },
    );
    await runDirect(
      declarativePipeline.create({
        spec: parseSpecText(spec('{ sliding: { size: 1h, period: 30m } }', 'sliding')),
        deadLetter: join(dir, 'dl-w'),
      }).pipeline,
      { workers: 1 },
    );
    expect(await jsonLinesUnder(join(dir, 'sessions'))).toEqualInAnyOrder([
      { user: 'ana', clicks: 2, window_start: '2024-06-01T00:00:00Z', window_end: '2024-06-01T00:40:00Z' },
      { user: 'ana', clicks: 1, window_start: '2024-06-01T01:00:00Z', window_end: '2024-06-01T01:30:00Z' },
      { user: 'bo', clicks: 1, window_start: '2024-06-01T00:20:00Z', window_end: '2024-06-01T00:50:00Z' },
    ]);
    // Hour-long windows every 30 minutes: each click is in two of them.
    expect(await jsonLinesUnder(join(dir, 'sliding'))).toEqualInAnyOrder([
      { user: 'ana', clicks: 2, window_start: '2024-05-31T23:30:00Z', window_end: '2024-06-01T00:30:00Z' },
      { user: 'ana', clicks: 2, window_start: '2024-06-01T00:00:00Z', window_end: '2024-06-01T01:00:00Z' },
      { user: 'ana', clicks: 1, window_start: '2024-06-01T00:30:00Z', window_end: '2024-06-01T01:30:00Z' },
      { user: 'ana', clicks: 1, window_start: '2024-06-01T01:00:00Z', window_end: '2024-06-01T02:00:00Z' },
      { user: 'bo', clicks: 1, window_start: '2024-05-31T23:30:00Z', window_end: '2024-06-01T00:30:00Z' },
      { user: 'bo', clicks: 1, window_start: '2024-06-01T00:00:00Z', window_end: '2024-06-01T01:00:00Z' },
    ]);
  });
});
