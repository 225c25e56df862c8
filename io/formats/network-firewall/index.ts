/**
 * @module formats/network-firewall
 * AWS Network Firewall logs (alert, flow and TLS logs; one JSON object per line, delivered to S3 under
 * `AWSLogs/<account>/network-firewall/<alert|flow|tls>/...`) as a `LogFormat`. Event time is `event.timestamp`.
 * @see https://docs.aws.amazon.com/network-firewall/latest/developerguide/firewall-logging-contents.html
 */
import { isoToMicros } from '../../../core/time.js';
import type { LogFormat } from '../types.js';
import { createNetworkFirewallParser } from './parser.js';
import { networkFirewallSchema, type NetworkFirewallRecord } from './schema.js';

/**
 * The `network_firewall` format.
 * @example networkFirewallFormat.createParser().parse('{"firewall_name":"fw","event":{"timestamp":"2020-09-25T23:01:05.598481+0000","event_type":"alert"}}', 1)
 * // { firewall_name: 'fw', timestamp: '2020-09-25T23:01:05.598481Z', event_type: 'alert', … }
 */
export const networkFirewallFormat: LogFormat<NetworkFirewallRecord> = {
  name: 'network_firewall',
  description: 'AWS Network Firewall alert, flow and TLS logs (JSON lines); one table, event_type as a column',
  framing: 'lines',
  schema: networkFirewallSchema,
  eventTimeField: 'timestamp',
  eventTimeMicros(record: NetworkFirewallRecord): number | undefined {
    return isoToMicros(record.timestamp);
  },
  createParser: createNetworkFirewallParser,
};

export type { NetworkFirewallRecord } from './schema.js';
export { networkFirewallSchema } from './schema.js';
export { NETWORK_FIREWALL_EVENT_TYPES } from './parser.js';
export { generateNetworkFirewallLines, type NetworkFirewallGeneratorOptions } from './generate.js';
