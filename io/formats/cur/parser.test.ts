import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { Rejection, SKIP } from '../types.js';
import { microsToIso } from '../../../core/time.js';
import type { FieldType } from '../../../core/schema.js';
import { formatCsvRecord, splitCsvFields } from '../common/csv-fields.js';
import { frameCsvRecords } from '../common/csv-framing.js';
import { readExpectedJsonl, runParser } from '../common/fixture-harness.js';
import { schemaViolations } from '../common/testing/schema-check.js';
import { curFormat, curSchema, generateCurCsv, generateCurRows, type CurRecord } from './index.js';
import { emptyCurRecord } from './schema.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** A written cell as the record should hold it: empty is null, numbers and timestamps typed (ISO, UTC). */
function cellValue(cell: string, type: FieldType): unknown {
  if (cell === '') return null;
  if (type === 'double' || type === 'int32' || type === 'int64') return Number(cell);
  if (type === 'timestamp') return microsToIso(Date.parse(cell) * 1000);
  return cell;
}

function parseAll(records: readonly string[]): unknown[] {
  const parser = curFormat.createParser();
  return records.map((text, i) => parser.parse(text, i + 1));
}

function full(values: Partial<CurRecord>): CurRecord {
  return { ...emptyCurRecord(), ...values };
}

// The data-transfer row of the public fixture quoted in 07-cost-and-usage-report.md (account, product name,
// location, usage type, usage amount, cost, description), written as legacy and as CUR 2.0 CSV.
const SEOUL_VALUES = [
  '129335065553',
  'AWS Data Transfer',
  'Asia Pacific (Seoul)',
  'APN2-CloudFront-Out-Bytes',
  '2017-11-01T00:00:00Z',
  '0.7930481553000002',
  '0.0',
  '$0.00 per GB data transfer out of Asia Pacific (Seoul) to CloudFront',
  'key_test2',
];
const SEOUL_RECORD = full({
  line_item_usage_account_id: '129335065553',
  product_product_name: 'AWS Data Transfer',
  product_from_location: 'Asia Pacific (Seoul)',
  line_item_usage_type: 'APN2-CloudFront-Out-Bytes',
  line_item_usage_start_date: '2017-11-01T00:00:00Z',
  line_item_usage_amount: 0.7930481553000002,
  line_item_unblended_cost: 0,
  line_item_line_item_description: '$0.00 per GB data transfer out of Asia Pacific (Seoul) to CloudFront',
  extra: { resource_tags_user_name: 'key_test2' },
});

describe('curFormat', () => {
  test('parses the documented APN2-CloudFront-Out-Bytes row from a legacy CUR header', () => {
    const header =
      'lineItem/UsageAccountId,product/ProductName,product/fromLocation,lineItem/UsageType,lineItem/UsageStartDate,lineItem/UsageAmount,lineItem/UnblendedCost,lineItem/LineItemDescription,resourceTags/user:Name';
    expect(parseAll([header, formatCsvRecord(SEOUL_VALUES)])).toEqual([SKIP, SEOUL_RECORD]);
  });

  test('gives the same record for a legacy row and a CUR 2.0 row with the same content', () => {
    const legacy =
      'lineItem/UsageAccountId,product/ProductName,product/fromLocation,lineItem/UsageType,lineItem/UsageStartDate,lineItem/UsageAmount,lineItem/UnblendedCost,lineItem/LineItemDescription,resourceTags/user:Name';
    const cur2 =
      'line_item_usage_account_id,product_product_name,product_from_location,line_item_usage_type,line_item_usage_start_date,line_item_usage_amount,line_item_unblended_cost,line_item_line_item_description,resource_tags_user_name';
    const row = formatCsvRecord(SEOUL_VALUES);
    expect(parseAll([cur2, row])[1]).toEqual(parseAll([legacy, row])[1]);
  });

  test('gives equal records for legacy and CUR 2.0 rows with arbitrary content', () => {
    const legacyHeader = [
      'lineItem/UsageStartDate',
      'lineItem/UsageType',
      'lineItem/ProductCode',
      'lineItem/UnblendedCost',
      'lineItem/UsageAmount',
      'product/region',
      'lineItem/ResourceId',
      'bill/PayerAccountId',
      'lineItem/LineItemType',
      'pricing/unit',
      'lineItem/NormalizationFactor',
    ];
    const cur2Header = [
      'line_item_usage_start_date',
      'line_item_usage_type',
      'line_item_product_code',
      'line_item_unblended_cost',
      'line_item_usage_amount',
      'product_region_code',
      'line_item_resource_id',
      'bill_payer_account_id',
      'line_item_line_item_type',
      'pricing_unit',
      'line_item_normalization_factor',
    ];
    const row = fc.tuple(
      fc.integer({ min: 0, max: 4e9 }).map((s) => new Date(s * 1000).toISOString().replace('.000Z', 'Z')),
      fc.string(),
      fc.string(),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
      fc.integer().map(String),
      fc.string(),
      fc.string(),
      fc.string(),
      fc.string(),
      fc.string(),
      fc.string(),
    );
    fc.assert(
      fc.property(row, (values) => {
        const text = formatCsvRecord(values);
        const legacy = curFormat.createParser();
        const cur2 = curFormat.createParser();
        legacy.parse(formatCsvRecord(legacyHeader), 1);
        cur2.parse(formatCsvRecord(cur2Header), 1);
        const a = legacy.parse(text, 2);
        expect(a).not.toBeInstanceOf(Rejection);
        expect(cur2.parse(text, 2)).toEqual(a);
      }),
      { numRuns: 200 },
    );
  });

  test('maps legacy product/region to product_region_code unless the header also has product/regionCode', () => {
    const [, a] = parseAll(['lineItem/UsageStartDate,product/region', '2024-03-01T00:00:00Z,us-east-1']) as CurRecord[];
    expect(a!.product_region_code).toBe('us-east-1');
    const [, b] = parseAll([
      'lineItem/UsageStartDate,product/region,product/regionCode',
      '2024-03-01T00:00:00Z,US East,us-east-1',
    ]) as CurRecord[];
    expect([b!.product_region_code, b!.extra]).toEqual(['us-east-1', { product_region: 'US East' }]);
  });

  test('reads empty cells as null and keeps blank resource ids of data-transfer lines as null', () => {
    const [, record] = parseAll([
      'lineItem/UsageStartDate,lineItem/ResourceId,lineItem/BlendedCost',
      '2024-03-01T00:00:00Z,,',
    ]) as CurRecord[];
    expect(record).toEqual(full({ line_item_usage_start_date: '2024-03-01T00:00:00Z' }));
  });

  test('reads scientific notation and flexible CUR 2.0 timestamps', () => {
    const [, record] = parseAll(['line_item_usage_start_date,line_item_unblended_cost', '2024-03-01 05:00:00.000,1.0E-8']) as CurRecord[];
    expect([record!.line_item_usage_start_date, record!.line_item_unblended_cost]).toEqual(['2024-03-01T05:00:00Z', 1e-8]);
    expect(curFormat.eventTimeMicros(record!)).toBe(Date.UTC(2024, 2, 1, 5) * 1000);
  });

  test('keeps columns that appear in one month only (dynamic schema) in extra under snake_case names', () => {
    const [, record] = parseAll([
      'lineItem/UsageStartDate,resourceTags/user:CostCenter,costCategory/Team',
      '2024-03-01T00:00:00Z,cc-1,',
    ]) as CurRecord[];
    expect(record!.extra).toEqual({ resource_tags_user_cost_center: 'cc-1' });
  });

  test('rejects bad numbers and timestamps naming the column and value, and short rows with both counts', () => {
    const results = parseAll([
      'lineItem/UsageStartDate,lineItem/UnblendedCost',
      '2024-03-01T00:00:00Z,1,5',
      '2024-03-01T00:00:00Z,12 USD',
      'soon,1',
      '2024-03-01T00:00:00Z',
    ]);
    expect(results.slice(2)).toEqual([
      new Rejection('line_item_unblended_cost: "12 USD" is not a number', 'line_item_unblended_cost'),
      new Rejection('line_item_usage_start_date: "soon" is not a timestamp', 'line_item_usage_start_date'),
      new Rejection('row has 1 fields, the header has 2'),
    ]);
  });

  test('rejects rows of a file whose header has no usage start date', () => {
    expect(parseAll(['lineItem/UsageType', 'X'])[1]).toEqual(
      new Rejection(
        'line_item_usage_start_date: the header has no usage start date column (lineItem/UsageStartDate)',
        'line_item_usage_start_date',
      ),
    );
  });

  test('matches every fixture file with its expected output', () => {
    const names = readdirSync(FIXTURES).filter((name) => name.endsWith('.csv'));
    expect(names.length).toBeGreaterThanOrEqual(3);
    for (const name of names) {
      const expected = readExpectedJsonl(readFileSync(join(FIXTURES, name.replace(/\.csv$/, '.expected.jsonl')), 'utf8'));
      const outputs = runParser(curFormat.createParser(), frameCsvRecords(readFileSync(join(FIXTURES, name), 'utf8'))).outputs;
      expect({ name, outputs }).toEqual({ name, outputs: expected });
    }
  });

  test('never throws, and every record it returns follows the schema', () => {
    const cell = fc.oneof(fc.constantFrom('', '2024-03-01T00:00:00Z', '1.5', 'x,y', '"', '""', '\n'), fc.string({ maxLength: 8 }));
    const text = fc.oneof(
      fc.array(cell, { maxLength: 6 }).map((cells) => cells.join(',')),
      fc.string({ maxLength: 40 }),
    );
    fc.assert(
      fc.property(fc.array(text, { maxLength: 15 }), (rows) => {
        const parser = curFormat.createParser();
        for (const row of ['lineItem/UsageStartDate,lineItem/UnblendedCost,product/region', ...rows]) {
          const result = parser.parse(row, 1);
          if (result instanceof Rejection) expect(result.reason.length).toBeGreaterThan(0);
          else if (result !== SKIP) expect({ row, problems: schemaViolations(result, parser.schema()) }).toEqual({ row, problems: [] });
        }
      }),
      { numRuns: 300 },
    );
  });

  test('rejects a line item with a damaged number or date, naming the column, and gives the items around it their own records', () => {
    const rows = [...generateCurRows({ records: 200, seed: 6, variant: 'cur2' })].map((row) => row.text);
    const [header] = generateCurCsv({ records: 0, seed: 6, variant: 'cur2' });
    const names = header!.split(',');
    const parseAlone = (text: string) => {
      const parser = curFormat.createParser();
      parser.parse(names.join(','), 1);
      return parser.parse(text, 2);
    };
    const damages = [
      { column: 'line_item_unblended_cost', value: '1.2.3', reason: 'line_item_unblended_cost: "1.2.3" is not a number' },
      { column: 'line_item_usage_amount', value: '12x', reason: 'line_item_usage_amount: "12x" is not a number' },
      {
        column: 'line_item_usage_start_date',
        value: '2024-13-01T00:00:00Z',
        reason: 'line_item_usage_start_date: "2024-13-01T00:00:00Z" is not a timestamp',
      },
    ];
    const cellsOf = (text: string) => {
      const cells: string[] = [];
      splitCsvFields(text, 44, cells);
      return cells;
    };
    const item = fc.oneof(
      fc.constantFrom(...rows).map((text) => ({ text, expected: () => parseAlone(text) })),
      fc.tuple(fc.constantFrom(...rows), fc.constantFrom(...damages)).map(([text, damage]) => ({
        text: formatCsvRecord(cellsOf(text).map((cell, index) => (names[index] === damage.column ? damage.value : cell))),
        expected: () => new Rejection(damage.reason, damage.column),
      })),
    );
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 20 }), (sequence) => {
        const parser = curFormat.createParser();
        expect(parser.parse(names.join(','), 1)).toBe(SKIP);
        sequence.forEach(({ text, expected }, index) => {
          expect({ text, result: parser.parse(text, index + 2) }).toEqual({ text, result: expected() });
        });
      }),
      { numRuns: 200 },
    );
  });
});

describe('generateCurCsv', () => {
  test('round-trips both variants: each line item parses to the cells it was written from, column by column', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 1, max: 300 }),
        fc.constantFrom('legacy' as const, 'cur2' as const),
        (seed, records, variant) => {
          const parser = curFormat.createParser();
          const [header] = generateCurCsv({ records: 0, seed, variant });
          expect(parser.parse(header!, 1)).toBe(SKIP);
          let count = 0;
          for (const row of generateCurRows({ records, seed, variant })) {
            const record = parser.parse(row.text, ++count + 1) as unknown as Record<string, unknown>;
            const columns = curSchema.fields.filter((field) => field.name in row.cells);
            const meant = Object.fromEntries(columns.map((field) => [field.name, cellValue(row.cells[field.name]!, field.type)]));
            expect({ text: row.text, record: Object.fromEntries(columns.map((field) => [field.name, record[field.name]])) }).toEqual({
              text: row.text,
              record: meant,
            });
          }
          expect(count).toBe(records);
        },
      ),
      { numRuns: 30 },
    );
  });

  test('gives the same canonical columns for the legacy and cur2 variants of one seed', () => {
    const strip = (records: readonly unknown[]) => records.map((r) => ({ ...(r as CurRecord), extra: null }));
    const legacy = runParser(curFormat.createParser(), generateCurCsv({ records: 500, seed: 4, variant: 'legacy' })).outputs;
    const cur2 = runParser(curFormat.createParser(), generateCurCsv({ records: 500, seed: 4, variant: 'cur2' })).outputs;
    expect(strip(cur2)).toEqual(strip(legacy));
  });

  test('includes the egress usage types and their traps, and quoted fields with line breaks', () => {
    const records = [...generateCurCsv({ records: 3000, seed: 2, variant: 'legacy' })];
    const text = records.join('\n');
    for (const usageType of [
      ',DataTransfer-Out-Bytes,',
      'USW2-DataTransfer-Out-Bytes',
      'USE1-CloudFront-Out-Bytes',
      'USE2-APS3-AWS-Out-Bytes',
      'APS3-USE2-AWS-In-Bytes',
      'DataTransfer-Regional-Bytes',
      'DataTransfer-In-Bytes',
    ]) {
      expect(text).toContain(usageType);
    }
    expect(frameCsvRecords(text).length).toBe(records.length);
    expect(records.some((record) => record.includes('\n'))).toBe(true);
  });
});
