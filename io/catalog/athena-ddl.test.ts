import { describe, expect, it } from '@jest/globals';
import type { Schema } from '../../core/schema.js';
import { albFormat } from '../formats/alb/index.js';
import { clbFormat } from '../formats/clb/index.js';
import { cloudFrontFormat } from '../formats/cloudfront/index.js';
import { cloudTrailFormat } from '../formats/cloudtrail/index.js';
import { curFormat } from '../formats/cur/index.js';
import { nlbFormat } from '../formats/nlb/index.js';
import { networkFirewallFormat } from '../formats/network-firewall/index.js';
import { s3AccessFormat } from '../formats/s3-access/index.js';
import { vpcFlowFormat } from '../formats/vpc-flow/index.js';
import { wafFormat } from '../formats/waf/index.js';
import { route53ResolverFormat } from '../formats/route53-resolver/index.js';
import { athenaDdl } from './athena-ddl.js';
import { expectWellFormed, parseDdl } from './testing/athena-ddl-checks.js';

const FORMATS = [
  albFormat,
  clbFormat,
  nlbFormat,
  cloudFrontFormat,
  s3AccessFormat,
  vpcFlowFormat,
  cloudTrailFormat,
  curFormat,
  wafFormat,
  route53ResolverFormat,
  networkFirewallFormat,
].map((format) => ({ name: format.name, schema: format.schema }));

describe('athenaDdl', () => {
  it.each(FORMATS.map((format) => [format.name, format] as const))(
    'writes well-formed DDL for the %s format at every partition depth',
    (_name, format) => {
      for (const timePartitioning of ['year', 'month', 'day', 'hour', 'none'] as const) {
        const hasHour = format.schema.fields.some((field) => ['year', 'month', 'day', 'hour'].includes(field.name));
        if (hasHour && timePartitioning !== 'none') continue;
        expectWellFormed(athenaDdl(format.schema, { table: 't', location: 's3://logs/x', timePartitioning }), format.schema);
      }
    },
  );

  it('accepts a one-letter bucket and a trailing slash, and rejects a location with a quote', () => {
    expect(parseDdl(athenaDdl(albFormat.schema, { table: 't', location: 's3://b/p/' })).location).toBe('s3://b/p/');
    expect(() => athenaDdl(albFormat.schema, { table: 't', location: "s3://b/p'x" })).toThrow(RangeError);
  });

  it('refuses a table without columns instead of printing an empty column list', () => {
    expect(() => athenaDdl({ fields: [] } as unknown as Schema, { table: 't', location: 's3://b/p' })).toThrow(/no columns/);
  });
});
