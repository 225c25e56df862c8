/**
 * @module formats/waf
 * AWS WAF web ACL logs (one JSON object per line, gzip objects under `AWSLogs/<account>/WAFLogs/...`) as a
 * `LogFormat`. Event time is `timestamp` (epoch milliseconds in the log, ISO-8601 in the record).
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/logging-fields.html
 */
import { isoToMicros } from '../../../core/time.js';
import type { LogFormat } from '../types.js';
import { createWafParser } from './parser.js';
import { wafSchema, type WafRecord } from './schema.js';

/**
 * The `waf` format.
 * @example wafFormat.createParser().parse('{"timestamp":1683355579981,"action":"BLOCK"}', 1)
 * // { timestamp: '2023-05-06T06:46:19.981Z', …, action: 'BLOCK', …, extra: null }
 */
export const wafFormat: LogFormat<WafRecord> = {
  name: 'waf',
  description: 'AWS WAF web ACL logs (JSON lines); httpRequest flattened into columns',
  framing: 'lines',
  schema: wafSchema,
  eventTimeField: 'timestamp',
  eventTimeMicros(record: WafRecord): number | undefined {
    return isoToMicros(record.timestamp);
  },
  createParser: createWafParser,
};

export type { WafRecord } from './schema.js';
export { wafSchema } from './schema.js';
export { createWafParser, WAF_ACTIONS, WAF_TERMINATING_RULE_TYPES } from './parser.js';
export { generateWafLines } from './generate.js';
