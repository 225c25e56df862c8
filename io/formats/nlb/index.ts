/**
 * @module formats/nlb
 * Network Load Balancer access logs: one TLS connection per line (written for TLS listeners only), fields
 * separated by spaces, `-` for missing values.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-access-logs.html
 */
import { isoToMicros } from '../../../core/time.js';
import type { ColumnarLogFormat } from '../types.js';
import { createNlbColumnarParser, createNlbParser } from './parse.js';
import { nlbSchema, type NlbRecord } from './schema.js';

/** The `nlb` log format. Event time: `time` (when the TLS connection ended). */
export const nlbFormat: ColumnarLogFormat<NlbRecord> = {
  name: 'nlb',
  description:
    'Network Load Balancer access logs (TLS listeners; space-separated; https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-access-logs.html)',
  framing: 'lines',
  schema: nlbSchema,
  eventTimeField: 'time',
  eventTimeMicros(record: NlbRecord): number | undefined {
    return isoToMicros(record.time);
  },
  createParser: createNlbParser,
  columnar: { createParser: createNlbColumnarParser },
};

export { nlbSchema, NLB_COLUMNS, NLB_MIN_FIELDS, NLB_FIELDS } from './schema.js';
export { createNlbColumnarParser, createNlbParser } from './parse.js';
export { generateNlbLines } from './generate.js';
export type { NlbRecord } from './schema.js';
