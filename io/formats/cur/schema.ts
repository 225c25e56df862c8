/**
 * @module formats/cur/schema
 * One record shape for legacy CUR (`lineItem/UsageType`) and CUR 2.0 (`line_item_usage_type`) CSV rows: the
 * CUR 2.0 snake_case names of the columns cost and egress analysis use. Every other column is kept in `extra`
 * under its snake_case name (legacy headers normalised), so both report kinds give the same record.
 * @see https://docs.aws.amazon.com/cur/latest/userguide/table-dictionary-cur2.html
 */
import { field, schema, type FieldType, type Schema } from '../../../core/schema.js';

/** One CUR line item. Timestamps are ISO-8601 UTC strings; amounts are doubles; empty cells are null. */
export interface CurRecord {
  identity_line_item_id: string | null;
  identity_time_interval: string | null;
  bill_payer_account_id: string | null;
  bill_billing_period_start_date: string | null;
  bill_billing_period_end_date: string | null;
  line_item_usage_account_id: string | null;
  line_item_line_item_type: string | null;
  line_item_usage_start_date: string;
  line_item_usage_end_date: string | null;
  line_item_product_code: string | null;
  line_item_usage_type: string | null;
  line_item_operation: string | null;
  line_item_availability_zone: string | null;
  line_item_resource_id: string | null;
  line_item_usage_amount: number | null;
  line_item_unblended_rate: number | null;
  line_item_unblended_cost: number | null;
  line_item_blended_cost: number | null;
  line_item_line_item_description: string | null;
  line_item_currency_code: string | null;
  product_product_name: string | null;
  product_product_family: string | null;
  product_servicecode: string | null;
  product_region_code: string | null;
  product_from_location: string | null;
  product_from_location_type: string | null;
  product_from_region_code: string | null;
  product_to_location: string | null;
  product_to_location_type: string | null;
  product_to_region_code: string | null;
  pricing_unit: string | null;
  /** Other non-empty columns by snake_case name (`resource_tags_user_name`, `line_item_normalization_factor`), or null. */
  extra: { [column: string]: string } | null;
}

/** A canonical column: name, type, the other normalised header names that mean it, and its doc line. */
export interface CurColumn {
  readonly name: Exclude<keyof CurRecord, 'extra'>;
  readonly type: Extract<FieldType, 'string' | 'double' | 'timestamp'>;
  readonly aliases: readonly string[];
  readonly doc: string;
}

function column(name: CurColumn['name'], type: CurColumn['type'], doc: string, aliases: readonly string[] = []): CurColumn {
  return { name, type, aliases, doc };
}

/** The canonical columns, in record order. */
export const CUR_COLUMNS: readonly CurColumn[] = [
  column('identity_line_item_id', 'string', 'line item id, unique only within one report version'),
  column('identity_time_interval', 'string', 'start/end of the line item, ISO-8601 UTC interval'),
  column('bill_payer_account_id', 'string', 'payer (management) account id'),
  column('bill_billing_period_start_date', 'timestamp', 'billing period start, UTC'),
  column('bill_billing_period_end_date', 'timestamp', 'billing period end, UTC'),
  column('line_item_usage_account_id', 'string', 'account that used the resource'),
  column('line_item_line_item_type', 'string', 'Usage, DiscountedUsage, SavingsPlanCoveredUsage, Tax, Credit, Fee, …'),
  column('line_item_usage_start_date', 'timestamp', 'usage start, UTC, inclusive (event time)'),
  column('line_item_usage_end_date', 'timestamp', 'usage end, UTC, exclusive'),
  column('line_item_product_code', 'string', 'product, e.g. AmazonEC2, AWSDataTransfer'),
  column('line_item_usage_type', 'string', 'usage type, e.g. USE1-DataTransfer-Out-Bytes'),
  column('line_item_operation', 'string', 'operation, e.g. RunInstances'),
  column('line_item_availability_zone', 'string', 'availability zone'),
  column('line_item_resource_id', 'string', 'resource id (blank for data transfer, requests, discounts, taxes)'),
  column('line_item_usage_amount', 'double', 'usage quantity in pricing_unit (GB for data transfer)'),
  column('line_item_unblended_rate', 'double', 'unblended rate per pricing unit, in line_item_currency_code'),
  column('line_item_unblended_cost', 'double', 'unblended cost = rate x amount, in line_item_currency_code'),
  column('line_item_blended_cost', 'double', 'blended cost, in line_item_currency_code (blank for discounts)'),
  column('line_item_line_item_description', 'string', 'description, e.g. $0.09 per GB - first 10 TB / month data transfer out'),
  column('line_item_currency_code', 'string', 'currency, e.g. USD'),
  column('product_product_name', 'string', 'product name, e.g. AWS Data Transfer'),
  column('product_product_family', 'string', 'product family, e.g. Data Transfer'),
  column('product_servicecode', 'string', 'service code'),
  column('product_region_code', 'string', 'region code, e.g. us-east-1 (legacy product/region)', ['product_region']),
  column('product_from_location', 'string', 'transfer source, e.g. US East (N. Virginia)'),
  column('product_from_location_type', 'string', 'AWS Region, AWS Edge Location, …'),
  column('product_from_region_code', 'string', 'transfer source region code'),
  column('product_to_location', 'string', 'transfer destination, e.g. External (internet)'),
  column('product_to_location_type', 'string', 'destination location type'),
  column('product_to_region_code', 'string', 'transfer destination region code'),
  column('pricing_unit', 'string', 'pricing unit: GB, Hrs, Requests, …'),
];

/** The CUR record schema; the event time column is the only required one. */
export const curSchema: Schema = schema([
  ...CUR_COLUMNS.map((c) => field(c.name, c.type, { nullable: c.name !== 'line_item_usage_start_date', doc: c.doc })),
  field('extra', 'json', { doc: 'other non-empty columns by snake_case name, as a JSON object of strings' }),
]);

/** A record with every column null, filled in by the parser. One literal keeps one hidden class. */
export function emptyCurRecord(): CurRecord {
  return {
    identity_line_item_id: null,
    identity_time_interval: null,
    bill_payer_account_id: null,
    bill_billing_period_start_date: null,
    bill_billing_period_end_date: null,
    line_item_usage_account_id: null,
    line_item_line_item_type: null,
    line_item_usage_start_date: '',
    line_item_usage_end_date: null,
    line_item_product_code: null,
    line_item_usage_type: null,
    line_item_operation: null,
    line_item_availability_zone: null,
    line_item_resource_id: null,
    line_item_usage_amount: null,
    line_item_unblended_rate: null,
    line_item_unblended_cost: null,
    line_item_blended_cost: null,
    line_item_line_item_description: null,
    line_item_currency_code: null,
    product_product_name: null,
    product_product_family: null,
    product_servicecode: null,
    product_region_code: null,
    product_from_location: null,
    product_from_location_type: null,
    product_from_region_code: null,
    product_to_location: null,
    product_to_location_type: null,
    product_to_region_code: null,
    pricing_unit: null,
    extra: null,
  };
}
