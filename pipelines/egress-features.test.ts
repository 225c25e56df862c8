import { afterAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pipeline } from '../core/pipeline.js';
import { generateCurCsv } from '../io/formats/cur/generate.js';
import { generateVpcFlowLines } from '../io/formats/vpc-flow/generate.js';
import { collect, runPipeline } from '../test/testing.js';
import { create } from '../transforms/create.js';
import { parseArtifact, type PreprocessorArtifact } from '../transforms/features/preprocessor.js';
import { readParquetRows, removeTempDirs, tempDir, writeLines } from './analytics/testing/parquet-rows.js';
import type { CurEgressRow } from './cur-egress.js';
import { dailyEgress, egressFeaturesPipeline, egressPreprocessorSpec, engineerEgressFeatures } from './egress-features.js';
import type { VpcEgressRow } from './vpc-flow-egress.js';

const PROCESSED = '2024-07-01T00:00:00Z';

function cur(date: string, region: string | null, usageType: string, usage: number, cost = usage * 0.09): CurEgressRow {
  return {
    usage_date: date,
    service_code: 'AWSDataTransfer',
    usage_type: usageType,
    region,
    resource_id: null,
    total_cost: cost,
    total_usage_amount: usage,
    line_item_count: 1,
    processing_timestamp: PROCESSED,
  };
}

function vpc(date: string, hour: number, region: string | null, bytes: number): VpcEgressRow {
  return {
    flow_date: date,
    flow_hour: hour,
    flow_hour_start: `${date}T0${hour}:00:00Z`,
    srcaddr: '10.0.0.1',
    dstaddr: '8.8.8.8',
    dstport: 443,
    protocol: 6,
    vpc_id: null,
    instance_id: null,
    interface_id: null,
    region,
    total_egress_bytes: bytes,
    total_egress_packets: 1,
    flow_count: 1,
    processing_timestamp: PROCESSED,
  };
}

afterAll(removeTempDirs);

describe('dailyEgress and engineerEgressFeatures', () => {
  it('joins CUR and VPC egress per day and region and adds share, time, lag and rolling features', async () => {
    const curRows = [
      cur('2024-03-01', 'us-east-1', 'USE1-DataTransfer-Out-Bytes', 1),
      cur('2024-03-01', 'us-east-1', 'USE1-DataTransfer-Out-Bytes', 2),
      cur('2024-03-01', 'us-east-1', 'DataTransfer-Out-Bytes', 1),
      cur('2024-03-02', 'us-east-1', 'USE1-DataTransfer-Out-Bytes', 5),
      cur('2024-03-08', 'us-east-1', 'USE1-DataTransfer-Out-Bytes', 7),
    ];
    const vpcRows = [vpc('2024-03-01', 0, 'us-east-1', 100), vpc('2024-03-01', 1, 'us-east-1', 50), vpc('2024-03-02', 0, 'eu-west-1', 9)];
    const p = Pipeline.create();
    const rows = p
      .applyTransform(
        { cur: p.apply(create(curRows, { label: 'Cur', splits: 2 })), vpc: p.apply(create(vpcRows, { label: 'Vpc' })) },
        dailyEgress(),
      )
      .apply(engineerEgressFeatures());
    const out = collect(rows);
    await runPipeline(p);
    const values = out.values();
    const find = (date: string, region: string, usageType: string | null) =>
      values.find((r) => r['usage_date'] === date && r['region'] === region && r['usage_type'] === usageType)!;

    expect(values).toHaveLength(5);
    const first = find('2024-03-01', 'us-east-1', 'USE1-DataTransfer-Out-Bytes');
    expect(first).toMatchObject({
      total_usage_amount: 3,
      vpc_egress_bytes: 150,
      vpc_flow_count: 2,
      usage_share_of_region: 0.75,
      day_of_week: 4,
      is_weekend: 0,
      total_usage_amount_lag_1d: null,
    });
    expect(find('2024-03-02', 'us-east-1', 'USE1-DataTransfer-Out-Bytes')).toMatchObject({
      vpc_egress_bytes: 0,
      usage_share_of_region: 1,
      is_weekend: 1,
      total_usage_amount_lag_1d: 3,
      total_usage_amount_lag_7d: null,
    });
    const week = find('2024-03-08', 'us-east-1', 'USE1-DataTransfer-Out-Bytes');
    expect(week).toMatchObject({ total_usage_amount_lag_1d: null, total_usage_amount_lag_7d: 3, total_usage_amount_rolling_7d_mean: 6 });
    expect(week['total_usage_amount_rolling_7d_std']).toBeCloseTo(Math.SQRT2, 12);
    expect(find('2024-03-02', 'eu-west-1', null)).toMatchObject({
      service_code: null,
      total_cost: 0,
      total_usage_amount: 0,
      vpc_egress_bytes: 9,
      usage_share_of_region: 0,
    });
  });
});

describe('dailyEgress with null regions', () => {
  it('never joins a null region: a CUR row without region keeps zero VPC egress and a VPC row without region gets no CUR line', async () => {
    const curRows = [cur('2024-03-01', null, 'CloudFront-Out-Bytes', 4), cur('2024-03-01', 'us-east-1', 'USE1-DataTransfer-Out-Bytes', 2)];
    const vpcRows = [vpc('2024-03-01', 0, null, 100), vpc('2024-03-01', 1, 'us-east-1', 7)];
    const p = Pipeline.create();
    const out = collect(
      p.applyTransform({ cur: p.apply(create(curRows, { label: 'Cur' })), vpc: p.apply(create(vpcRows, { label: 'Vpc' })) }, dailyEgress()),
    );
    await runPipeline(p);
    const values = out.values();
    expect(values).toHaveLength(3);
    expect(values.find((r) => r.usage_type === 'CloudFront-Out-Bytes')).toMatchObject({
      region: null,
      total_usage_amount: 4,
      vpc_egress_bytes: 0,
      vpc_flow_count: 0,
    });
    expect(values.find((r) => r.region === null && r.usage_type === null)).toMatchObject({
      service_code: null,
      total_cost: 0,
      total_usage_amount: 0,
      vpc_egress_bytes: 100,
      vpc_flow_count: 1,
    });
    expect(values.find((r) => r.region === 'us-east-1')).toMatchObject({ total_usage_amount: 2, vpc_egress_bytes: 7 });
  });
});

interface FeatureTable {
  rows: Record<string, unknown>[];
  artifact: PreprocessorArtifact;
}

async function runFeatures(dir: string, name: string, workers: number, preprocessor?: string): Promise<FeatureTable & { output: string }> {
  const output = join(dir, name);
  const options = {
    curInput: join(dir, 'cur'),
    vpcFlowInput: join(dir, 'vpc'),
    output,
    region: 'us-east-1',
    processingTime: PROCESSED,
    ...(preprocessor === undefined ? {} : { preprocessor }),
  };
  await runPipeline(egressFeaturesPipeline.create(options).pipeline, { workers });
  const rows = (await readParquetRows(output)).map((row) => ({ ...row, features: JSON.parse(row['features'] as string) as number[] }));
  const artifact = parseArtifact(readFileSync(preprocessor ?? join(output, '_preprocessor.json'), 'utf8'));
  return { rows, artifact, output };
}

function generateInputs(): string {
  const dir = tempDir();
  writeLines(dir, 'cur/report.csv', generateCurCsv({ records: 2000, seed: 21, variant: 'cur2', spanHours: 24 * 12 }));
  writeLines(dir, 'vpc/flows.log', generateVpcFlowLines({ records: 2000, seed: 22, spanHours: 24 * 12 }));
  return dir;
}

const rowKey = (row: Record<string, unknown>) => [row['usage_date'], row['region'], row['service_code'], row['usage_type']].join('|');

describe('egressFeaturesPipeline', () => {
  it('fits a preprocessor whose scaling and one-hot blocks check out against the rows themselves', async () => {
    const { rows, artifact } = await runFeatures(generateInputs(), 'fit', 2);
    expect(rows.length).toBeGreaterThan(20);
    expect(new Set(rows.map(rowKey)).size).toBe(rows.length);
    expect(artifact.featureNames.slice(0, egressPreprocessorSpec.numeric.length)).toEqual(egressPreprocessorSpec.numeric);

    // Every scaled column with values has mean 0 and (population) std 1 over the rows, up to imputed nulls.
    for (const [i, stats] of artifact.numeric.entries()) {
      if (stats.count !== rows.length || stats.std === 0) continue;
      const column = rows.map((row) => (row['features'] as number[])[i]!);
      const mean = column.reduce((a, b) => a + b, 0) / column.length;
      const std = Math.sqrt(column.reduce((a, v) => a + (v - mean) ** 2, 0) / column.length);
      expect([stats.column, mean]).toEqual([stats.column, expect.closeTo(0, 9)]);
      expect([stats.column, std]).toEqual([stats.column, expect.closeTo(1, 9)]);
    }

    // The one-hot blocks mark the row's own categories.
    for (const row of rows) {
      const features = row['features'] as number[];
      for (const column of ['service_code', 'region', 'usage_type']) {
        const hot = artifact.featureNames.flatMap((name, i) =>
          name.startsWith(`${column}=`) && features[i] === 1 ? [name.slice(column.length + 1)] : [],
        );
        expect(hot).toEqual(row[column] === null ? [] : [row[column]]);
      }
    }

    // Unscaled, the previous-day lag equals the previous day's usage of the same series.
    const unscale = (row: Record<string, unknown>, column: string) => {
      const stats = artifact.numeric.find((s) => s.column === column)!;
      return (row[column] as number) * (stats.std > 0 ? stats.std : 1) + stats.mean;
    };
    let checked = 0;
    for (const row of rows) {
      const previous = new Date(Date.parse(`${row['usage_date'] as string}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      const before = rows.find((other) => rowKey(other) === rowKey({ ...row, usage_date: previous }));
      if (before === undefined) continue;
      expect(unscale(row, 'total_usage_amount_lag_1d')).toBeCloseTo(unscale(before, 'total_usage_amount'), 6);
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('applies a saved preprocessor without refitting, giving the fitted run its exact features, with 1 or 2 workers', async () => {
    const dir = generateInputs();
    const fitted = await runFeatures(dir, 'fit', 1);
    const artifactFile = join(fitted.output, '_preprocessor.json');
    const applied1 = await runFeatures(dir, 'apply-1', 1, artifactFile);
    const applied2 = await runFeatures(dir, 'apply-2', 2, artifactFile);
    const refit2 = await runFeatures(dir, 'fit-2', 2);
    expect(applied1.rows).toEqualInAnyOrder(fitted.rows);
    expect(applied2.rows).toEqualInAnyOrder(fitted.rows);
    expect(refit2.artifact).toEqual(fitted.artifact);
    expect(refit2.rows).toEqualInAnyOrder(fitted.rows);
  });

  it('encodes new data with the training statistics, not statistics of the new data', async () => {
    const fitted = await runFeatures(generateInputs(), 'fit', 1);
    const other = tempDir();
    const june = Date.UTC(2024, 5, 1) * 1000;
    writeLines(other, 'cur/report.csv', generateCurCsv({ records: 400, seed: 99, variant: 'legacy', spanHours: 72, startMicros: june }));
    writeLines(other, 'vpc/flows.log', generateVpcFlowLines({ records: 400, seed: 98, spanHours: 72, startMicros: june }));
    const applied = await runFeatures(other, 'apply', 2, join(fitted.output, '_preprocessor.json'));
    const ownFit = await runFeatures(other, 'own-fit', 2);
    expect(applied.rows.length).toBe(ownFit.rows.length);
    let compared = 0;
    for (const [i, own] of ownFit.artifact.numeric.entries()) {
      const train = fitted.artifact.numeric[i]!;
      if (own.count !== ownFit.rows.length || own.std === 0 || train.std === 0) continue;
      for (const row of ownFit.rows) {
        const raw = (row[own.column] as number) * own.std + own.mean;
        const appliedRow = applied.rows.find((other) => rowKey(other) === rowKey(row))!;
        expect(appliedRow[own.column] as number).toBeCloseTo((raw - train.mean) / train.std, 6);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(50);
    for (const row of applied.rows) expect((row['features'] as number[]).length).toBe(fitted.artifact.featureNames.length);
  });

  it('refuses a bookmark and an unreadable preprocessor file with messages that say what to do', () => {
    const base = { curInput: 'a', vpcFlowInput: 'b', output: 'c' };
    expect(() => egressFeaturesPipeline.create({ ...base, bookmark: 'bm' })).toThrow(/--bookmark is not supported/);
    expect(() => egressFeaturesPipeline.create({ ...base, preprocessor: '/nonexistent/p.json' })).toThrow(
      /_preprocessor.json of a fitting run/,
    );
  });
});
