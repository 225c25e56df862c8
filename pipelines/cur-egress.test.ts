import { afterAll, describe, expect, it } from '@jest/globals';
import { join, resolve } from 'node:path';
import { Pipeline } from '../core/pipeline.js';
import { generateCurCsv } from '../io/formats/cur/generate.js';
import type { CurRecord } from '../io/formats/cur/schema.js';
import { sqlString } from '../io/sinks/testing/read-output.js';
import { collect, runPipeline } from '../test/testing.js';
import { create } from '../transforms/create.js';
import { query, readParquetRows, removeTempDirs, tempDir, writeLines } from './analytics/testing/parquet-rows.js';
import { curEgress, curEgressPipeline } from './cur-egress.js';

const PROCESSED = '2024-07-01T00:00:00Z';

function line(usageType: string, overrides: Partial<CurRecord> = {}): CurRecord {
  return {
    identity_line_item_id: null,
    identity_time_interval: null,
    bill_payer_account_id: null,
    bill_billing_period_start_date: null,
    bill_billing_period_end_date: null,
    line_item_usage_account_id: '111122223333',
    line_item_line_item_type: 'Usage',
    line_item_usage_start_date: '2024-03-05T10:00:00Z',
    line_item_usage_end_date: null,
    line_item_product_code: 'AWSDataTransfer',
    line_item_usage_type: usageType,
    line_item_operation: null,
    line_item_availability_zone: null,
    line_item_resource_id: null,
    line_item_usage_amount: 1,
    line_item_unblended_rate: null,
    line_item_unblended_cost: 0.09,
    line_item_blended_cost: null,
    line_item_line_item_description: null,
    line_item_currency_code: 'USD',
    product_product_name: null,
    product_product_family: null,
    product_servicecode: null,
    product_region_code: 'us-east-1',
    product_from_location: null,
    product_from_location_type: null,
    product_from_region_code: null,
    product_to_location: null,
    product_to_location_type: null,
    product_to_region_code: null,
    pricing_unit: 'GB',
    extra: null,
    ...overrides,
  };
}

afterAll(removeTempDirs);

describe('curEgress', () => {
  it('keeps internet and CloudFront data transfer out and leaves out inter-region, inter-AZ traffic and non-usage lines', async () => {
    const records = [
      line('DataTransfer-Out-Bytes', { line_item_usage_amount: 2, line_item_unblended_cost: 0.18 }),
      line('DataTransfer-Out-Bytes', {
        line_item_usage_amount: 3,
        line_item_unblended_cost: 0.27,
        line_item_usage_start_date: '2024-03-05T23:00:00Z',
      }),
      line('USW2-DataTransfer-Out-Bytes', {
        line_item_product_code: 'AmazonEC2',
        product_region_code: 'us-west-2',
        line_item_resource_id: 'i-1',
      }),
      line('EU-DataTransfer-Out-Bytes', {
        line_item_product_code: 'AmazonCloudFront',
        product_region_code: null,
        line_item_usage_start_date: '2024-03-06T00:00:00Z',
      }),
      line('USE1-CloudFront-Out-Bytes', { line_item_unblended_cost: 0 }),
      line('USE2-APS3-AWS-Out-Bytes'),
      line('USE2-DataTransfer-Regional-Bytes'),
      line('US-DataTransfer-Out-OBytes', { line_item_product_code: 'AmazonCloudFront' }),
      line('DataTransfer-Out-Bytes', { line_item_line_item_type: 'Tax' }),
      line('USE1-BoxUsage:t3.micro'),
    ];
    const p = Pipeline.create();
    const out = collect(p.apply(create(records, { splits: 3 })).apply(curEgress({ processingTime: PROCESSED })));
    await runPipeline(p);
    const base = { resource_id: null, processing_timestamp: PROCESSED };
    expect(out.values()).toEqualInAnyOrder([
      {
        ...base,
        usage_date: '2024-03-05',
        service_code: 'AWSDataTransfer',
        usage_type: 'DataTransfer-Out-Bytes',
        region: 'us-east-1',
        total_cost: 0.45,
        total_usage_amount: 5,
        line_item_count: 2,
      },
      {
        ...base,
        usage_date: '2024-03-05',
        service_code: 'AmazonEC2',
        usage_type: 'USW2-DataTransfer-Out-Bytes',
        region: 'us-west-2',
        resource_id: 'i-1',
        total_cost: 0.09,
        total_usage_amount: 1,
        line_item_count: 1,
      },
      {
        ...base,
        usage_date: '2024-03-06',
        service_code: 'AmazonCloudFront',
        usage_type: 'EU-DataTransfer-Out-Bytes',
        region: null,
        total_cost: 0.09,
        total_usage_amount: 1,
        line_item_count: 1,
      },
      {
        ...base,
        usage_date: '2024-03-05',
        service_code: 'AWSDataTransfer',
        usage_type: 'USE1-CloudFront-Out-Bytes',
        region: 'us-east-1',
        total_cost: 0,
        total_usage_amount: 1,
        line_item_count: 1,
      },
    ]);
  });

  const cloudFrontLines = [
    line('USE1-CloudFront-Out-Bytes', { line_item_unblended_cost: 0, line_item_usage_amount: 4 }),
    line('CloudFront-Out-Bytes', { line_item_unblended_cost: 0, line_item_usage_amount: 2 }),
    line('CloudFront-Bytes-Out', { line_item_unblended_cost: 0.5, line_item_usage_amount: 3 }),
    line('DataTransfer-Out-Bytes', { product_region_code: '', line_item_usage_amount: 7, line_item_unblended_cost: 0.63 }),
    line('EU-DataTransfer-Out-Bytes', { line_item_product_code: 'AmazonCloudFront', product_region_code: '' }),
  ];

  async function egressOf(records: CurRecord[], excludeCloudFrontOut?: boolean): Promise<Record<string, unknown>[]> {
    const p = Pipeline.create();
    const out = collect(
      p
        .apply(create(records))
        .apply(curEgress({ processingTime: PROCESSED, ...(excludeCloudFrontOut === undefined ? {} : { excludeCloudFrontOut }) })),
    );
    await runPipeline(p);
    return out.values().map((row) => ({
      usage_type: row.usage_type,
      region: row.region,
      total_cost: row.total_cost,
      total_usage_amount: row.total_usage_amount,
    }));
  }

  it('includes the three CloudFront usage types by default with their cost, even 0, and gives an unprefixed DataTransfer-Out-Bytes line without region us-east-1', async () => {
    expect(await egressOf(cloudFrontLines)).toEqualInAnyOrder([
      { usage_type: 'USE1-CloudFront-Out-Bytes', region: 'us-east-1', total_cost: 0, total_usage_amount: 4 },
      { usage_type: 'CloudFront-Out-Bytes', region: 'us-east-1', total_cost: 0, total_usage_amount: 2 },
      { usage_type: 'CloudFront-Bytes-Out', region: 'us-east-1', total_cost: 0.5, total_usage_amount: 3 },
      { usage_type: 'DataTransfer-Out-Bytes', region: 'us-east-1', total_cost: 0.63, total_usage_amount: 7 },
      { usage_type: 'EU-DataTransfer-Out-Bytes', region: null, total_cost: 0.09, total_usage_amount: 1 },
    ]);
  });

  it('leaves the CloudFront usage types out with excludeCloudFrontOut', async () => {
    expect((await egressOf(cloudFrontLines, true)).map((row) => row['usage_type'])).toEqualInAnyOrder([
      'DataTransfer-Out-Bytes',
      'EU-DataTransfer-Out-Bytes',
    ]);
  });

  it('rejects a processing time that is not ISO-8601', () => {
    expect(() => curEgress({ processingTime: 'yesterday' })).toThrow(/processingTime "yesterday"/);
  });
});

/** The egress aggregation computed by DuckDB straight from the CSV (legacy or CUR 2.0 headers). */
async function expectedFromCsv(path: string, legacy: boolean): Promise<Record<string, unknown>[]> {
  const c = legacy
    ? {
        start: '"lineItem/UsageStartDate"',
        product: '"lineItem/ProductCode"',
        type: '"lineItem/UsageType"',
        region: '"product/region"',
        resource: '"lineItem/ResourceId"',
        cost: '"lineItem/UnblendedCost"',
        amount: '"lineItem/UsageAmount"',
        kind: '"lineItem/LineItemType"',
      }
    : {
        start: 'line_item_usage_start_date',
        product: 'line_item_product_code',
        type: 'line_item_usage_type',
        region: 'product_region_code',
        resource: 'line_item_resource_id',
        cost: 'line_item_unblended_cost',
        amount: 'line_item_usage_amount',
        kind: 'line_item_line_item_type',
      };
  return query(`
    SELECT substr(${c.start}, 1, 10) AS usage_date, ${c.product} AS service_code, ${c.type} AS usage_type,
           coalesce(NULLIF(${c.region}, ''), CASE WHEN ${c.type} = 'DataTransfer-Out-Bytes' THEN 'us-east-1' END) AS region,
           NULLIF(${c.resource}, '') AS resource_id, sum(CAST(${c.cost} AS DOUBLE)) AS total_cost, sum(CAST(${c.amount} AS DOUBLE)) AS total_usage_amount, count(*) AS line_item_count
    FROM read_csv(${sqlString(path)}, header = true, all_varchar = true, quote = '"', escape = '"', strict_mode = false)
    WHERE regexp_matches(${c.type}, '(^|-)(DataTransfer-Out-Bytes|CloudFront-Out-Bytes|CloudFront-Bytes-Out)$') AND ${c.kind} IN ('Usage', 'DiscountedUsage', 'SavingsPlanCoveredUsage')
    GROUP BY ALL`);
}

function expectSameAggregates(actual: Record<string, unknown>[], expected: Record<string, unknown>[]): void {
  const key = (row: Record<string, unknown>) =>
    [row['usage_date'], row['service_code'], row['usage_type'], row['region'], row['resource_id']].join('|');
  expect(actual.map(key).sort()).toEqual(expected.map(key).sort());
  for (const want of expected) {
    const got = actual.find((row) => key(row) === key(want))!;
    expect(got['line_item_count']).toBe(want['line_item_count']);
    expect(got['total_cost'] as number).toBeCloseTo(want['total_cost'] as number, 9);
    expect(got['total_usage_amount'] as number).toBeCloseTo(want['total_usage_amount'] as number, 9);
    expect(got['processing_timestamp']).toBe(PROCESSED);
  }
}

describe('curEgressPipeline', () => {
  it.each(['legacy', 'cur2'] as const)(
    'writes the same egress totals as SQL over the generated %s report, partitioned by usage_date',
    async (variant) => {
      const dir = tempDir();
      const csv = writeLines(dir, `in/${variant}.csv`, generateCurCsv({ records: 1500, seed: 7, variant, spanHours: 24 * 5 }));
      const output = join(dir, 'out');
      const { pipeline } = curEgressPipeline.create({ input: join(dir, 'in'), output, processingTime: PROCESSED });
      await runPipeline(pipeline, { workers: 2 });
      const actual = await readParquetRows(output);
      const expected = await expectedFromCsv(csv, variant === 'legacy');
      expect(expected.length).toBeGreaterThan(5);
      expectSameAggregates(actual, expected);
      const partitions = await query(
        `SELECT DISTINCT regexp_extract(filename, 'usage_date=([0-9-]+)', 1) AS d FROM read_parquet(${sqlString(join(output, '**', '*.parquet'))}, filename = true)`,
      );
      expect(partitions.map((row) => row['d']).sort()).toEqual([...new Set(expected.map((row) => row['usage_date']))].sort());
    },
  );

  it('gives identical rows with one and two workers', async () => {
    const dir = tempDir();
    writeLines(dir, 'in/cur.csv', generateCurCsv({ records: 800, seed: 3, variant: 'legacy', spanHours: 72 }));
    const results = [];
    for (const workers of [1, 2]) {
      const output = join(dir, `out-${workers}`);
      await runPipeline(curEgressPipeline.create({ input: join(dir, 'in'), output, processingTime: PROCESSED }).pipeline, { workers });
      results.push(await readParquetRows(output));
    }
    expect(results[1]).toEqualInAnyOrder(results[0]!);
  });

  it('processes the CUR sample in the repository', async () => {
    const input = resolve('samples/cur');
    const output = join(tempDir(), 'out');
    await runPipeline(curEgressPipeline.create({ input, output, processingTime: PROCESSED }).pipeline);
    const expected = await expectedFromCsv(join(input, 'report-name/20240601-20240701/report-name-00001.csv.gz'), true);
    expect(expected.length).toBeGreaterThan(0);
    expectSameAggregates(await readParquetRows(output), expected);
  });
});
