import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../testing/run-cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logbeam-validate-'));
});

/** The four pipelines of issue 14 that ran with exit 0 and wrong results, in one file; its input does not exist. */
const WRONG = `name: wrong
steps:
  - { name: logs, type: read, config: { format: alb, input: /nonexistent/never-read } }
  - { type: filter, config: { where: "target_status_cod != null" } }
  - { type: filter, config: { where: 'elb_status_code >= "500"' } }
  - type: map_to_fields
    config: { fields: { host: domain_name, latency_s: target_processing_time } }
  - type: combine
    config: { group_by: [hots], aggregations: { mean_latency: { fn: mean, value: latncy_s } } }
  - { type: write, config: { format: jsonl } }
`;

describe('logbeam validate', () => {
  it('exits 0 with a short summary (steps, and the columns each write produces) for the sample pipelines', async () => {
    const { code, stdout } = await runCli([
      'validate',
      'samples/pipelines/alb-hourly-errors.yaml',
      'samples/pipelines/alb-to-parquet.yaml',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('samples/pipelines/alb-hourly-errors.yaml: valid (alb-hourly-errors), 6 steps');
    expect(stdout).toContain(
      '  hourly_by_host: write jsonl: host string, requests int64, errors int64, bytes_sent int64, mean_latency_s double, clients int64, slowest_s json, window_start timestamp, window_end timestamp',
    );
    expect(stdout).toContain('samples/pipelines/alb-to-parquet.yaml: valid (alb-to-parquet), 2 steps');
  });

  it('exits 2 listing every problem with its key path, without reading any data', async () => {
    const path = join(dir, 'wrong.yaml');
    await writeFile(path, WRONG);
    const { code, stdout, stderr } = await runCli(['validate', path]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`${path}: invalid, 4 problem(s):`);
    expect(stderr).toContain('steps[1].config.where: unknown field "target_status_cod" (did you mean "target_status_code"?)');
    expect(stderr).toContain('steps[2].config.where: ">=" compares elb_status_code (int32) with "500" (string)');
    expect(stderr).toContain('steps[4].config.group_by[0]: unknown field "hots" (did you mean "host"?)');
    expect(stderr).toContain('steps[4].config.aggregations.mean_latency.value: unknown field "latncy_s" (did you mean "latency_s"?)');
  });

  it('prints the result as JSON with --json', async () => {
    const path = join(dir, 'wrong-json.yaml');
    await writeFile(path, WRONG);
    const { code, stdout } = await runCli(['validate', '--json', path, 'samples/pipelines/alb-to-parquet.yaml']);
    expect(code).toBe(2);
    const result = JSON.parse(stdout) as { valid: boolean; files: Array<{ file: string; valid: boolean; problems: string[] }> };
    expect(result.valid).toBe(false);
    expect(result.files.map((file) => [file.file, file.valid, file.problems.length])).toEqual([
      [path, false, 4],
      ['samples/pipelines/alb-to-parquet.yaml', true, 0],
    ]);
  });

  it('exits 2 for YAML syntax errors, missing files, other file kinds and no file at all', async () => {
    const broken = join(dir, 'broken.yaml');
    await writeFile(broken, 'steps:\n  - type: read\n   config: [\n');
    const syntax = await runCli(['validate', broken]);
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toMatch(/invalid, \d+ problem\(s\):\n {2}- YAML: /);
    expect((await runCli(['validate', join(dir, 'missing.yaml')])).stderr).toContain(
      `pipeline file ${join(dir, 'missing.yaml')} does not exist`,
    );
    expect((await runCli(['validate', join(dir, 'missing.yaml')])).code).toBe(2);
    expect((await runCli(['validate', 'samples/user-pipeline/status-counts.ts'])).code).toBe(2);
    expect((await runCli(['validate'])).code).toBe(2);
  });
});

describe('logbeam run checks the pipeline file the same way before reading anything', () => {
  it('exits 2 with every problem, and writes nothing', async () => {
    const path = join(dir, 'wrong-run.yaml');
    await writeFile(path, WRONG.replace(', input: /nonexistent/never-read', ''));
    const out = join(dir, 'never');
    const { code, stderr } = await runCli(['run', path, '--input', 'samples/alb', '--output', out, '--workers', '1']);
    expect(code).toBe(2);
    expect(stderr).toContain('is not a valid pipeline:');
    expect(stderr.match(/^ {2}- steps\[/gm)).toHaveLength(4);
    expect(stderr).toContain('logbeam validate checks a pipeline file without running it');
    expect(existsSync(out)).toBe(false);
  });

  it('exits 2 for a YAML syntax error and for an unknown pipeline (usage errors, as documented)', async () => {
    const broken = join(dir, 'broken-run.yaml');
    await writeFile(broken, 'steps: [ { type: read\n');
    expect((await runCli(['run', broken, '-i', 'samples/alb', '-o', join(dir, 'x')])).code).toBe(2);
    expect((await runCli(['explain', broken])).code).toBe(2);
    expect((await runCli(['run', join(dir, 'no-such-pipeline.yaml'), '-i', 'samples/alb', '-o', join(dir, 'x')])).code).toBe(2);
  });
});
