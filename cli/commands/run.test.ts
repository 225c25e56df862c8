import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateVpcFlowLines } from '../../io/formats/vpc-flow/index.js';
import { duckdb, sqlString } from '../../io/sinks/testing/read-output.js';
import { ALB_SAMPLES, expectedAlbRowsPerDay, filesUnder, sampleLinesPerDay } from '../testing/alb-samples.js';
import { REPO_ROOT, runCli } from '../testing/run-cli.js';

const SAMPLES = ALB_SAMPLES;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logbeam-run-'));
});

describe('logbeam run', () => {
  it('turns the ALB samples into day-partitioned Parquet that DuckDB reads back', async () => {
    const output = join(dir, 'alb');
    const { code, stdout, stderr } = await runCli(['run', 'alb', '--input', SAMPLES, '--output', output]);
    expect(stderr).not.toContain('logbeam:');
    expect(code).toBe(0);
    expect(stdout).toContain('WriteParquet');
    const rows = await duckdb(
      `SELECT year || '-' || month || '-' || day AS day, count(*)::INTEGER AS n FROM read_parquet(${sqlString(`${output}/**/*.parquet`)}, hive_partitioning = true) GROUP BY 1 ORDER BY 1`,
    );
    // The documentation sample has one truncated line, which has a time but goes to the dead letters.
    expect(rows).toEqual(await expectedAlbRowsPerDay());
    const rejects = (await readFile((await filesUnder(join(output, '_dead_letter'))).find((file) => file.endsWith('.jsonl'))!, 'utf8'))
      .trim()
      .split('\n');
    expect(rejects).toHaveLength(1);
    expect(JSON.parse(rejects[0]!)).toMatchObject({ line: 6, source: expect.stringContaining('_docs.log.gz') });
  });

  it('prints a JSON summary with counts, outputs and throughput', async () => {
    const output = join(dir, 'alb-json');
    const { code, stdout } = await runCli(['run', 'alb', '-i', SAMPLES, '-o', output, '--json', '--workers', '1']);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout) as Record<string, unknown> & {
      outputs: Array<Record<string, unknown>>;
      steps: Array<Record<string, unknown>>;
    };
    const total = [...(await sampleLinesPerDay()).values()].reduce((a, b) => a + b, 0);
    expect(summary).toMatchObject({
      pipeline: 'alb',
      status: 'ok',
      exitCode: 0,
      filesRead: 3,
      recordsRead: total,
      rejected: 1,
      workers: 1,
    });
    expect(summary['rejectRate']).toBeCloseTo(1 / total, 10);
    expect(summary['recordsPerSecond']).toBeGreaterThan(0);
    const parquet = summary.outputs.find((o) => o['step'] === 'WriteParquet')!;
    expect(parquet).toMatchObject({ rowsWritten: total - 1, location: output });
    expect(parquet['partitions']).toHaveLength(4);
    expect(summary.steps.map((step) => step['label'])).toEqual([
      'ReadLogs(alb)/Read',
      'ReadLogs(alb)/Route',
      'WriteParquet',
      'WriteDeadLetters',
    ]);
  });

  it('exits 3 when the reject rate is above --max-reject-rate, after writing the output', async () => {
    const output = join(dir, 'alb-strict');
    const { code, stderr } = await runCli(['run', 'alb', '-i', SAMPLES, '-o', output, '--max-reject-rate', '0.0001', '--workers', '1']);
    expect(code).toBe(3);
    expect(stderr).toContain('above --max-reject-rate');
    expect((await filesUnder(output)).some((file) => file.endsWith('.parquet'))).toBe(true);
  });

  it('lists the inputs and outputs without writing anything on --dry-run', async () => {
    const output = join(dir, 'alb-dry');
    const { code, stdout } = await runCli(['run', 'alb', '-i', SAMPLES, '-o', output, '--dry-run', '--json']);
    expect(code).toBe(0);
    const plan = JSON.parse(stdout) as { inputs: Array<{ files: Array<{ uri: string }> }>; outputs: Array<{ step: string; sink: string }> };
    expect(plan.inputs[0]!.files.map((file) => file.uri)).toEqual(await filesUnder(SAMPLES));
    expect(plan.outputs.map((o) => o.step)).toEqual(['WriteParquet', 'WriteDeadLetters']);
    expect(plan.outputs[0]!.sink).toContain(output);
    await expect(readdir(output)).rejects.toThrow();
  });

  it('reads only the days from --since to --until', async () => {
    const output = join(dir, 'alb-day');
    const { code, stdout } = await runCli([
      'run',
      'alb',
      '-i',
      SAMPLES,
      '-o',
      output,
      '--since',
      '2024-06-02',
      '--until',
      '2024-06-03',
      '--json',
      '--workers',
      '1',
    ]);
    expect(code).toBe(0);
    const perDay = await sampleLinesPerDay();
    const rows = await duckdb(
      `SELECT count(*)::INTEGER AS n, min(time) >= TIMESTAMPTZ '2024-06-02 00:00:00+00' AS inside FROM read_parquet(${sqlString(`${output}/**/*.parquet`)})`,
    );
    expect(rows).toEqual([{ n: perDay.get('2024-06-02'), inside: true }]);
    expect(JSON.parse(stdout)).toMatchObject({ rejected: 0 });
  });

  it('fails with exit 2 naming the missing flags', async () => {
    const { code, stderr } = await runCli(['run', 'alb', '--input', SAMPLES]);
    expect(code).toBe(2);
    expect(stderr).toContain('needs --output');
  });

  it('spills shuffles to disk under a tiny --memory-mb, not under the default, and writes the same output either way', async () => {
    // 40,000 generated flows: their combine state (~12,000 hourly flow groups at ~230 bytes each, kept flat) is
    // several MiB, well past a 1 MiB budget.
    const vpcSamples = join(dir, 'vpc-generated');
    await mkdir(vpcSamples);
    await writeFile(
      join(vpcSamples, 'flows.log'),
      `${[...generateVpcFlowLines({ records: 40_000, seed: 3, spanHours: 48, format: 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id instance-id region' })].join('\n')}\n`,
    );
    const spilled = join(dir, 'vpc-spilled');
    const inMemory = join(dir, 'vpc-in-memory');
    const args = ['--param', 'processingTime=2024-01-01T00:00:00Z', '--workers', '1', '--json'];
    const small = await runCli(['run', 'vpc-flow-egress', '-i', vpcSamples, '-o', spilled, '--memory-mb', '1', ...args]);
    const large = await runCli(['run', 'vpc-flow-egress', '-i', vpcSamples, '-o', inMemory, ...args]);
    expect([small.code, large.code]).toEqual([0, 0]);
    // With the flag ignored both runs would use the default 256 MiB budget and neither would spill.
    const spilledBytes = (run: { stdout: string }) => (JSON.parse(run.stdout) as { spilledBytes: number }).spilledBytes;
    expect(spilledBytes(small)).toBeGreaterThan(0);
    expect(spilledBytes(large)).toBe(0);
    const table = (output: string) => `read_parquet(${sqlString(`${output}/**/*.parquet`)}, hive_partitioning = true)`;
    const [diff] = await duckdb(
      `SELECT (SELECT count(*) FROM ${table(spilled)})::INTEGER AS n, (SELECT count(*) FROM (SELECT * FROM ${table(spilled)} EXCEPT ALL SELECT * FROM ${table(inMemory)}))::INTEGER AS only_spilled, (SELECT count(*) FROM (SELECT * FROM ${table(inMemory)} EXCEPT ALL SELECT * FROM ${table(spilled)}))::INTEGER AS only_in_memory`,
    );
    expect(diff).toMatchObject({ only_spilled: 0, only_in_memory: 0 });
    expect((diff as { n: number }).n).toBeGreaterThan(0);
  });

  it('reports every bad flag value at once', async () => {
    const { code, stderr } = await runCli([
      'run',
      'alb',
      '-i',
      SAMPLES,
      '-o',
      dir,
      '--workers',
      'many',
      '--since',
      'yesterday',
      '--write-mode',
      'replace',
      '--memory-mb',
      '0',
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('--workers: expected a positive integer, got "many"');
    expect(stderr).toContain('--memory-mb: expected a positive integer, got "0"');
    expect(stderr).toContain('--since: expected an ISO-8601 date or instant');
    expect(stderr).toContain('--write-mode: expected one of append, overwrite-partitions, fail-if-exists');
  });

  it('fails with exit 2 (a usage error) and lists the built-in pipelines for an unknown pipeline', async () => {
    const { code, stderr } = await runCli(['run', 'elb', '-i', SAMPLES, '-o', dir]);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown pipeline "elb" (did you mean alb?)');
    expect(stderr).toMatch(/pass a built-in pipeline \(alb, .*vpc_flow.*\)/);
  });

  it('fails with exit 1 and the path for an input that does not exist', async () => {
    const { code, stderr } = await runCli(['run', 'alb', '-i', join(dir, 'missing'), '-o', join(dir, 'x'), '--workers', '1']);
    expect(code).toBe(1);
    expect(stderr).toContain('missing');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('reads nothing the second time with the same --bookmark, and bookmark show counts the inputs', async () => {
    const bookmark = join(dir, 'alb-bookmark.json');
    const args = ['run', 'alb', '-i', SAMPLES, '-o', join(dir, 'alb-bm'), '--bookmark', bookmark, '--json', '--workers', '1'];
    const first = await runCli(args);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ filesRead: 3 });
    const second = await runCli(args);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ filesRead: 0, recordsRead: 0 });
    const show = await runCli(['bookmark', 'show', bookmark]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('3 input(s) processed');
    const reset = await runCli(['bookmark', 'reset', bookmark]);
    expect(reset.stdout).toContain('forgot 3 input(s)');
  });

  it("refuses a run while a crashed run's lock is held, and bookmark unlock --force clears it", async () => {
    const bookmark = join(dir, 'locked-bookmark.json');
    await writeFile(`${bookmark}.lock`, JSON.stringify({ runId: 'crashed-run', host: 'elsewhere', pid: 1, startedAtMs: Date.now() }));
    const args = ['run', 'alb', '-i', SAMPLES, '-o', join(dir, 'alb-locked'), '--bookmark', bookmark, '--workers', '1'];
    const refused = await runCli(args);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`logbeam bookmark unlock ${bookmark}`);
    const young = await runCli(['bookmark', 'unlock', bookmark]);
    expect(young.code).toBe(1);
    expect(young.stderr).toMatch(/refusing to break the lock.*--force/);
    const forced = await runCli(['bookmark', 'unlock', bookmark, '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('removed the lock held by');
    expect((await runCli(args)).code).toBe(0);
  });

  it('runs a TypeScript pipeline module on worker threads, passing --param options', async () => {
    // As in a user's project: TypeScript modules with import/export live in an ES-module package.
    await writeFile(join(dir, 'package.json'), '{ "type": "module" }');
    const module = join(dir, 'lengths.ts');
    const root = pathToFileURL(REPO_ROOT).href;
    await writeFile(
      module,
      `import { definePipeline } from '${root}core/define-pipeline.ts';
import { create } from '${root}transforms/create.ts';
import { map } from '${root}transforms/map.ts';
import { writeJsonLines } from '${root}io/sinks/json-lines/index.ts';
export const lengths = definePipeline(import.meta.url, 'lengths', (p, o: { output: string; words: string[] }) => {
  p.apply(create(o.words, { splits: 2 })).apply(map((w: string) => ({ word: w, n: w.length }), { label: 'Lengths' })).apply(writeJsonLines({ output: o.output }));
});
`,
    );
    const output = join(dir, 'lengths-out');
    const { code, stdout, stderr } = await runCli([
      'run',
      module,
      '-o',
      output,
      '--param',
      'words=["a","bb","ccc","dddd"]',
      '--workers',
      '2',
      '--json',
    ]);
    expect(stderr).not.toContain('logbeam:');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ pipeline: 'lengths', workers: 2 });
    const rows = (await Promise.all((await filesUnder(output)).filter((f) => f.endsWith('.jsonl')).map((f) => readFile(f, 'utf8'))))
      .join('')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown);
    expect(rows).toEqualInAnyOrder([
      { word: 'a', n: 1 },
      { word: 'bb', n: 2 },
      { word: 'ccc', n: 3 },
      { word: 'dddd', n: 4 },
    ]);
  });
});
