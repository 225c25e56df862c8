import { toSnakeCase } from './snake-case.js';

describe('toSnakeCase', () => {
  test('normalises legacy CUR headers to their CUR 2.0 names', () => {
    expect(
      [
        'lineItem/UsageStartDate',
        'lineItem/LineItemType',
        'bill/PayerAccountId',
        'product/productFamily',
        'pricing/unit',
        'identity/LineItemId',
        'resourceTags/user:Name',
        'product/fromLocation',
      ].map(toSnakeCase),
    ).toEqual([
      'line_item_usage_start_date',
      'line_item_line_item_type',
      'bill_payer_account_id',
      'product_product_family',
      'pricing_unit',
      'identity_line_item_id',
      'resource_tags_user_name',
      'product_from_location',
    ]);
  });

  test('splits acronyms, collapses separators and leaves snake_case unchanged', () => {
    expect(['sourceIPAddress', '  Event  Time ', 'a.b-c', 'line_item_usage_type', 'S3Bucket', '__proto__', '***'].map(toSnakeCase)).toEqual(
      ['source_ip_address', 'event_time', 'a_b_c', 'line_item_usage_type', 's3_bucket', 'proto', ''],
    );
  });
});
