/**
 * @module formats/vpc-flow
 * VPC Flow Logs (versions 2 to 11, default and custom formats) as a `LogFormat`. Event time is `start`
 * (epoch seconds). NODATA and SKIPDATA rows are records whose traffic fields are null. Lines can also be read
 * straight into columns (`columnar`), with the same checks.
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html
 */
import { MICROS_PER_SECOND } from '../../../core/time.js';
import type { ColumnarLogFormat } from '../types.js';
import { createVpcFlowColumnarParser } from './columnar-parser.js';
import { createVpcFlowParser } from './parser.js';
import { vpcFlowSchema, type VpcFlowRecord } from './schema.js';

/**
 * The `vpc_flow` format: one record per line; an S3 file's header line sets the column order, otherwise
 * `FormatOptions.vpcFormat` or the default v2 format does.
 * @example vpcFlowFormat.createParser().parse('2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK', 1)
 * // { version: 2, account_id: '123456789010', …, srcport: 20641, bytes: 4249, start: 1418530010, action: 'ACCEPT', log_status: 'OK', … }
 */
export const vpcFlowFormat: ColumnarLogFormat<VpcFlowRecord> = {
  name: 'vpc_flow',
  description: 'VPC Flow Logs v2-v11, default or custom format (S3 header line or --vpc-format)',
  framing: 'lines',
  schema: vpcFlowSchema,
  eventTimeField: 'start',
  eventTimeMicros(record: VpcFlowRecord): number | undefined {
    const start = record.start;
    return typeof start === 'number' ? start * MICROS_PER_SECOND : undefined;
  },
  createParser: createVpcFlowParser,
  columnar: { createParser: createVpcFlowColumnarParser },
};

export type { VpcFlowRecord } from './schema.js';
export { vpcFlowSchema } from './schema.js';
export { createVpcFlowColumnarParser } from './columnar-parser.js';
export { VPC_FIELDS, DEFAULT_VPC_FORMAT, type VpcFieldSpec } from './fields.js';
export { generateVpcFlowLines, generateVpcFlowRows, type VpcFlowGeneratorOptions, type VpcFlowRow } from './generate.js';
