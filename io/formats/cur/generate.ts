/**
 * @module formats/cur/generate
 * Deterministic synthetic Cost and Usage Report CSV in the legacy (`lineItem/UsageType`) or CUR 2.0
 * (`line_item_usage_type`) layout: hourly line items for compute, storage, requests and every data-transfer
 * usage-type family, including the egress traps (no-prefix us-east-1, `<region>-CloudFront-Out-Bytes`,
 * inter-region Out/In pairs, Regional bytes, CloudFront geo prefixes, OBytes), Tax lines, and descriptions or
 * tags that need CSV quoting (commas, quotes, a line break at a small rate).
 */
import { MICROS_PER_HOUR, microsToIso } from '../../../core/time.js';
import { SeededRandom } from '../../generate/random.js';
import { formatCsvRecord } from '../common/csv-fields.js';

/** Options for `generateCurCsv`. */
export interface CurGeneratorOptions {
  /** Number of line items (the header record is extra). */
  readonly records: number;
  readonly seed: number;
  readonly variant: 'legacy' | 'cur2';
  /** First usage hour, epoch µs (default 2024-03-01T00:00:00Z). */
  readonly startMicros?: number;
  /** Line items spread over this many hours (default 24 * 30). */
  readonly spanHours?: number;
}

/** Legacy header names; the CUR 2.0 header is derived from them. */
const LEGACY_HEADER = [
  'identity/LineItemId',
  'identity/TimeInterval',
  'bill/PayerAccountId',
  'bill/BillingPeriodStartDate',
  'bill/BillingPeriodEndDate',
  'lineItem/UsageAccountId',
  'lineItem/LineItemType',
  'lineItem/UsageStartDate',
  'lineItem/UsageEndDate',
  'lineItem/ProductCode',
  'lineItem/UsageType',
  'lineItem/Operation',
  'lineItem/AvailabilityZone',
  'lineItem/ResourceId',
  'lineItem/UsageAmount',
  'lineItem/NormalizationFactor',
  'lineItem/CurrencyCode',
  'lineItem/UnblendedRate',
  'lineItem/UnblendedCost',
  'lineItem/BlendedCost',
  'lineItem/LineItemDescription',
  'product/ProductName',
  'product/productFamily',
  'product/region',
  'product/fromLocation',
  'product/toLocation',
  'pricing/unit',
  'resourceTags/user:Name',
];

const CUR2_HEADER = [
  'identity_line_item_id',
  'identity_time_interval',
  'bill_payer_account_id',
  'bill_billing_period_start_date',
  'bill_billing_period_end_date',
  'line_item_usage_account_id',
  'line_item_line_item_type',
  'line_item_usage_start_date',
  'line_item_usage_end_date',
  'line_item_product_code',
  'line_item_usage_type',
  'line_item_operation',
  'line_item_availability_zone',
  'line_item_resource_id',
  'line_item_usage_amount',
  'line_item_normalization_factor',
  'line_item_currency_code',
  'line_item_unblended_rate',
  'line_item_unblended_cost',
  'line_item_blended_cost',
  'line_item_line_item_description',
  'product_product_name',
  'product_product_family',
  'product_region_code',
  'product_from_location',
  'product_to_location',
  'pricing_unit',
  'resource_tags',
];

interface Kind {
  readonly product: string;
  readonly productName: string;
  readonly family: string;
  readonly usageType: string;
  readonly operation: string;
  readonly region: string;
  readonly from: string;
  readonly to: string;
  readonly unit: string;
  readonly rate: number;
  readonly description: string;
  readonly resource: boolean;
}

function dt(
  usageType: string,
  region: string,
  from: string,
  to: string,
  rate: number,
  description: string,
  product = 'AWSDataTransfer',
): Kind {
  const productName =
    product === 'AmazonCloudFront' ? 'Amazon CloudFront' : product === 'AmazonEC2' ? 'Amazon Elastic Compute Cloud' : 'AWS Data Transfer';
  return {
    product,
    productName,
    family: 'Data Transfer',
    usageType,
    operation: '',
    region,
    from,
    to,
    unit: 'GB',
    rate,
    description,
    resource: false,
  };
}

const KINDS: readonly Kind[] = [
  {
    product: 'AmazonEC2',
    productName: 'Amazon Elastic Compute Cloud',
    family: 'Compute Instance',
    usageType: 'USW2-BoxUsage:m5.large',
    operation: 'RunInstances',
    region: 'us-west-2',
    from: '',
    to: '',
    unit: 'Hrs',
    rate: 0.096,
    description: '$0.096 per On Demand Linux m5.large Instance Hour',
    resource: true,
  },
  {
    product: 'AmazonEC2',
    productName: 'Amazon Elastic Compute Cloud',
    family: 'Compute Instance',
    usageType: 'BoxUsage:t3.micro',
    operation: 'RunInstances',
    region: 'us-east-1',
    from: '',
    to: '',
    unit: 'Hrs',
    rate: 0.0104,
    description: '$0.0104 per On Demand Linux t3.micro Instance Hour',
    resource: true,
  },
  {
    product: 'AmazonS3',
    productName: 'Amazon Simple Storage Service',
    family: 'Storage',
    usageType: 'USE2-TimedStorage-ByteHrs',
    operation: 'StandardStorage',
    region: 'us-east-2',
    from: '',
    to: '',
    unit: 'GB-Mo',
    rate: 0.023,
    description: '$0.023 per GB - first 50 TB / month of storage used',
    resource: true,
  },
  {
    product: 'AmazonS3',
    productName: 'Amazon Simple Storage Service',
    family: 'API Request',
    usageType: 'Requests-Tier1',
    operation: 'PutObject',
    region: 'us-east-1',
    from: '',
    to: '',
    unit: 'Requests',
    rate: 0.000005,
    description: '$0.005 per 1,000 PUT, COPY, POST, or LIST requests',
    resource: false,
  },
  dt(
    'DataTransfer-Out-Bytes',
    'us-east-1',
    'US East (N. Virginia)',
    'External',
    0.09,
    '$0.090 per GB - first 10 TB / month data transfer out beyond the global free tier',
  ),
  dt(
    'USE1-DataTransfer-Out-Bytes',
    'us-east-1',
    'US East (N. Virginia)',
    'External',
    0.09,
    '$0.090 per GB - first 10 TB / month data transfer out beyond the global free tier',
  ),
  dt(
    'USW2-DataTransfer-Out-Bytes',
    'us-west-2',
    'US West (Oregon)',
    'External',
    0.09,
    '$0.090 per GB - first 10 TB / month data transfer out beyond the global free tier',
    'AmazonEC2',
  ),
  dt(
    'EUC1-DataTransfer-Out-Bytes',
    'eu-central-1',
    'EU (Frankfurt)',
    'External',
    0.09,
    '$0.090 per GB - first 10 TB / month data transfer out beyond the global free tier',
  ),
  dt(
    'USE1-CloudFront-Out-Bytes',
    'us-east-1',
    'US East (N. Virginia)',
    'Amazon CloudFront',
    0,
    '$0.00 per GB data transfer out of US East (N. Virginia) to CloudFront',
  ),
  dt(
    'APN2-CloudFront-Out-Bytes',
    'ap-northeast-2',
    'Asia Pacific (Seoul)',
    'Amazon CloudFront',
    0,
    '$0.00 per GB data transfer out of Asia Pacific (Seoul) to CloudFront',
  ),
  dt(
    'USE2-APS3-AWS-Out-Bytes',
    'us-east-2',
    'US East (Ohio)',
    'Asia Pacific (Mumbai)',
    0.02,
    '$0.02 per GB - US East (Ohio) data transfer to Asia Pacific (Mumbai)',
  ),
  dt(
    'APS3-USE2-AWS-In-Bytes',
    'ap-south-1',
    'US East (Ohio)',
    'Asia Pacific (Mumbai)',
    0,
    '$0.00 per GB - Asia Pacific (Mumbai) data transfer from US East (Ohio)',
  ),
  dt(
    'USE2-DataTransfer-Regional-Bytes',
    'us-east-2',
    'US East (Ohio)',
    'US East (Ohio)',
    0.01,
    '$0.010 per GB - regional data transfer - in/out/between EC2 AZs or using elastic IPs or ELB',
    'AmazonEC2',
  ),
  dt('USE1-DataTransfer-In-Bytes', 'us-east-1', 'External', 'US East (N. Virginia)', 0, '$0.00 per GB - data transfer in per month'),
  dt(
    'EU-DataTransfer-Out-Bytes',
    '',
    'Europe',
    'External',
    0.085,
    '$0.085 per GB - first 10 TB / month data transfer out (Europe, Israel)',
    'AmazonCloudFront',
  ),
  dt(
    'US-DataTransfer-Out-OBytes',
    '',
    'United States',
    'External',
    0.02,
    '$0.020 per GB - data transfer out to origin',
    'AmazonCloudFront',
  ),
  {
    product: 'AmazonEC2',
    productName: 'Amazon Elastic Compute Cloud',
    family: 'NAT Gateway',
    usageType: 'USE1-NatGateway-Bytes',
    operation: 'NatGateway',
    region: 'us-east-1',
    from: '',
    to: '',
    unit: 'GB',
    rate: 0.045,
    description: '$0.045 per GB Data Processed by NAT Gateways',
    resource: true,
  },
];

const TAGS = ['web', 'api, public', 'batch "nightly"', 'ml\ntraining', ''];

/**
 * Yields a header record, then `records` CUR line items as CSV record texts (no trailing line break; a quoted
 * field may contain one). Deterministic in `seed`; the legacy and cur2 variants of one seed hold the same values.
 * @example [...generateCurCsv({ records: 1, seed: 1, variant: 'legacy' })][0].startsWith('identity/LineItemId,') // true
 */
export function* generateCurCsv(options: CurGeneratorOptions): Generator<string> {
  yield formatCsvRecord(options.variant === 'legacy' ? LEGACY_HEADER : CUR2_HEADER);
  for (const row of generateCurRows(options)) yield row.text;
}

/** One generated line item: its CSV text and the cell written under each CUR 2.0 column name. */
export interface CurRow {
  readonly text: string;
  /** CUR 2.0 column name (`line_item_unblended_cost`, …) -> the cell as written (`''` when empty). */
  readonly cells: Readonly<Record<string, string>>;
}

/**
 * The line items of `generateCurCsv` (without the header), each with the cells it was written from, so tests can
 * compare a parsed line item with what was meant field by field. Deterministic in `seed`.
 */
export function* generateCurRows(options: CurGeneratorOptions): Generator<CurRow> {
  const random = new SeededRandom(options.seed);
  const legacy = options.variant === 'legacy';
  const startMicros = options.startMicros ?? Date.UTC(2024, 2, 1) * 1000;
  const spanHours = options.spanHours ?? 24 * 30;
  const iso = (micros: number): string => (legacy ? microsToIso(micros) : microsToIso(micros).replace('Z', '.000Z'));
  const periodStart = iso(startMicros);
  const periodEnd = iso(startMicros + spanHours * MICROS_PER_HOUR);
  for (let i = 0; i < options.records; i++) {
    const hour = startMicros + Math.floor((spanHours * i) / Math.max(1, options.records)) * MICROS_PER_HOUR;
    const tax = random.chance(0.02);
    const kind = random.pick(KINDS);
    const amount = kind.unit === 'GB' ? random.int(0, 5_000_000) / 1000 : random.int(1, 10_000) / 100;
    const cost = tax ? random.int(1, 10_000) / 100 : Math.round(amount * kind.rate * 1e10) / 1e10;
    const tag = random.pick(TAGS);
    const start = iso(hour);
    const end = iso(hour + MICROS_PER_HOUR);
    const description = random.chance(0.01) ? `${kind.description}\n(line two, with "quotes")` : kind.description;
    const values: string[] = [
      random.hex(52),
      `${start.replace('.000Z', 'Z')}/${end.replace('.000Z', 'Z')}`,
      '111122223333',
      periodStart,
      periodEnd,
      random.pick(['111122223333', '444455556666', '777788889999']),
      tax ? 'Tax' : random.pick(['Usage', 'Usage', 'Usage', 'DiscountedUsage', 'SavingsPlanCoveredUsage']),
      start,
      end,
      kind.product,
      tax ? '' : kind.usageType,
      tax ? '' : kind.operation,
      kind.resource && !tax ? `${kind.region}${random.pick(['a', 'b', 'c'])}` : '',
      kind.resource && !tax ? `i-0${random.hex(16)}` : '',
      tax ? '' : String(amount),
      kind.unit === 'Hrs' ? '4' : '',
      'USD',
      tax ? '' : kind.rate.toFixed(10),
      String(cost),
      tax ? '' : String(cost),
      tax ? 'Tax for product code AmazonEC2' : description,
      kind.productName,
      tax ? '' : kind.family,
      kind.region,
      kind.from,
      kind.to,
      tax ? '' : kind.unit,
      legacy ? tag : tag === '' ? '' : JSON.stringify({ user_name: tag }),
    ];
    yield { text: formatCsvRecord(values), cells: Object.fromEntries(CUR2_HEADER.map((name, index) => [name, values[index]!])) };
  }
}
