/**
 * Every run writes its run manifest (`<output>/_runs/<runId>.json`), on S3 too: per-step counts equal to the
 * `--json` summary, partitions with the row counts DuckDB reads back from the Parquet files, rejects by reason
 * with the rejected line. A `--report` path that cannot be written fails before the run reads anything.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { duckdb, sqlString, withLocalCopy } from '../../io/sinks/testing/read-output.js';
import { useMotoCli } from '../../test/servers/moto-cli.js';
import { ALB_SAMPLE_TRUNCATED_LINE } from '../testing/alb-samples.js';
import { REPO_ROOT, runCli } from '../testing/run-cli.js';
import type { RunSummary } from '../summary.js';
import type { RunData } from './run-data.js';

const moto = useMotoCli();

describe('the run manifest', () => {
  it('is written under an s3:// output with the summary counts, the partitions DuckDB reads back and the rejects', async () => {
    const output = moto.s3.prefix('run-manifest-alb');
    const run = await runCli(['run', 'alb', '-i', join(REPO_ROOT, 'samples', 'alb'), '-o', output, ...moto.s3Flags(), '--json'], {
      env: moto.env(),
      timeoutMs: 120_000,
    });
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as RunSummary;
    await withLocalCopy(output, moto.s3.settings, async (local) => {
      expect(await readdir(join(local, '_runs'))).toEqual([`${summary.runId}.json`]);
      const data = JSON.parse(await readFile(join(local, '_runs', `${summary.runId}.json`), 'utf8')) as RunData;

      expect(data.runId).toBe(summary.runId);
      expect(data.steps.map((step) => ({ label: step.label, kind: step.kind, in: step.in, out: step.out }))).toEqual(
        summary.steps.map((step) => ({ label: step.label, kind: step.kind, in: step.in, out: step.out })),
      );
      const perPartition = await duckdb(
        `SELECT 'year=' || year || '/month=' || month || '/day=' || day AS partition, count(*)::INTEGER AS rows FROM read_parquet(${sqlString(`${local}/**/*.parquet`)}, hive_partitioning = true) GROUP BY 1 ORDER BY 1`,
      );
      expect(data.partitions.filter((p) => p.step === 'WriteParquet').map((p) => ({ partition: p.partition, rows: p.rows }))).toEqual(
        perPartition,
      );
      expect(data.rejects.total).toBe(summary.rejected);
      expect(data.rejects.reasons).toHaveLength(1);
      expect(data.rejects.reasons[0]!.samples).toEqual([
        expect.objectContaining({
          line: ALB_SAMPLE_TRUNCATED_LINE.line,
          source: expect.stringContaining(ALB_SAMPLE_TRUNCATED_LINE.fileSuffix),
        }),
      ]);
      expect(data.phases.map((phase) => phase.name)).toEqual(['prepare', 'list', 'read', 'commit']);
      expect(data.phases.reduce((sum, phase) => sum + phase.ms, 0)).toBeLessThanOrEqual(summary.wallMs + 1);
      expect(data.throughput.samples[data.throughput.samples.length - 1]!.out[0]).toBe(summary.steps[0]!.out['main']);
      expect(data.memory.peakRssBytes).toBeGreaterThan(data.memory.driverPeakHeapBytes);
      expect(data.memory.workerPeakHeapBytes).toHaveLength(summary.workers > 1 ? summary.workers : 0);
    });
  }, 180_000);
});

describe('the throughput series', () => {
  it('is sampled while worker threads are inside a file, not only when they finish one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'logbeam-throughput-'));
    const input = join(dir, 'in');
    const generated = await runCli(['generate', 'alb', '--records', '60000', '--seed', '3', '--files', '2', '--output', input]);
    expect(generated.code).toBe(0);
    const linesPerFile = await Promise.all(
      (await readdir(input)).map(
        async (name) => (await readFile(join(input, name), 'utf8')).split('\n').filter((line) => line !== '').length,
      ),
    );
    expect(linesPerFile).toHaveLength(2);
    const output = join(dir, 'out');
    const run = await runCli(['run', 'alb', '-i', input, '-o', output, '--workers', '2', '--json'], { timeoutMs: 240_000 });
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as RunSummary;
    const data = JSON.parse(await readFile(join(output, '_runs', `${summary.runId}.json`), 'utf8')) as RunData;
    const readIndex = data.steps.findIndex((step) => step.kind === 'read');
    // Counts a worker could report only at file boundaries: none, either file, both.
    const atBoundaries = new Set([0, linesPerFile[0]!, linesPerFile[1]!, linesPerFile[0]! + linesPerFile[1]!]);
    const inside = data.throughput.samples.filter((sample) => sample.stage === 'read' && !atBoundaries.has(sample.out[readIndex]!));
    expect(inside.length).toBeGreaterThan(0);
    expect(data.throughput.samples[data.throughput.samples.length - 1]!.out[readIndex]).toBe(linesPerFile[0]! + linesPerFile[1]!);
    expect(data.memory.workerPeakHeapBytes).toHaveLength(2);
    for (const peak of data.memory.workerPeakHeapBytes) expect(peak).toBeGreaterThan(0);
  }, 300_000);
});

describe('run --report', () => {
  it('fails before the run when the report cannot be written there', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'logbeam-report-flag-'));
    const output = join(dir, 'out');
    const missing = await runCli(['run', 'alb', '-i', 'samples/alb', '-o', output, '--report', join(dir, 'no-such-dir', 'r.html')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`directory ${join(dir, 'no-such-dir')} does not exist`);
    const remote = await runCli(['run', 'alb', '-i', 'samples/alb', '-o', output, '--report', 's3://bucket/r.html']);
    expect(remote.code).toBe(2);
    expect(remote.stderr).toContain('written to a local file');
    await expect(stat(output)).rejects.toThrow(/ENOENT/);
  });
});
