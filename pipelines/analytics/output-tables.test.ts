import { describe, expect, it } from '@jest/globals';
import { outputTableDdl } from '../../io/catalog/output-table.js';
import { expectWellFormed, parseDdl } from '../../io/catalog/testing/athena-ddl-checks.js';
import { ANALYTICS_TABLE_PIPELINES, analyticsOutputTables } from './output-tables.js';

describe('outputTableDdl for the analytics pipelines', () => {
  it.each(ANALYTICS_TABLE_PIPELINES.map((name) => [name]))('writes well-formed DDL for every table of %s', async (name) => {
    const tables = (await analyticsOutputTables(name))!;
    expect(tables.length).toBeGreaterThan(0);
    for (const table of tables) {
      const parsed = expectWellFormed(outputTableDdl(table, { location: 's3://lake/out/' }), table.schema);
      expect(parsed.location).toBe(table.directory === undefined ? 's3://lake/out/' : `s3://lake/out/${table.directory}/`);
    }
  });

  it('puts cur-egress usage_date in a date-projected partition, not in the columns', async () => {
    const [table] = (await analyticsOutputTables('cur-egress'))!;
    const parsed = parseDdl(outputTableDdl(table!, { location: 's3://lake/cur_egress' }));
    expect(parsed.partitions).toEqual(['usage_date']);
    expect(parsed.columns.map((c) => c.name)).not.toContain('usage_date');
    expect(parsed.properties.get('storage.location.template')).toBe('s3://lake/cur_egress/usage_date=${usage_date}');
  });
});
