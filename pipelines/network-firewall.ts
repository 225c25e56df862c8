/**
 * @module pipelines/network-firewall
 * `logbeam run network_firewall`: AWS Network Firewall events -> Hive-partitioned Parquet (`year=/month=/day=` by
 * event time), rejects to `<output>/_dead_letter` as JSON lines.
 */
import { defineLogPipeline } from './define-log-pipeline.js';
import { networkFirewallFormat } from '../io/formats/network-firewall/index.js';

/**
 * @example (await runDirect(networkFirewallPipeline.create({ input: 'samples/network_firewall', output: 'out/network_firewall' }).pipeline)).commits
 */
export const networkFirewallPipeline = defineLogPipeline(import.meta.url, 'network_firewall', networkFirewallFormat);
