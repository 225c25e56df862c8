/**
 * @module pipelines/analytics/output-tables
 * The Parquet tables each analytics pipeline writes, by pipeline name, for `logbeam ddl`. Loaded lazily: the
 * pipelines load the Parquet writer.
 */
import type { OutputTable } from '../../io/catalog/output-table.js';

const LOADERS: Readonly<Record<string, () => Promise<readonly OutputTable[]>>> = {
  'cur-egress': async () => [(await import('../cur-egress.js')).curEgressTable],
  'vpc-flow-egress': async () => [(await import('../vpc-flow-egress.js')).vpcFlowEgressTable],
  'egress-features': async () => [(await import('../egress-features.js')).egressFeaturesTable],
  'cloudtrail-events': async () => [(await import('../cloudtrail-events.js')).cloudTrailEventsTable],
  'security-features': async () => (await import('../security-features.js')).securityFeaturesTables,
};

/** Names of the analytics pipelines that write Parquet tables. */
export const ANALYTICS_TABLE_PIPELINES: readonly string[] = Object.keys(LOADERS);

/** The tables `pipeline` writes, or `undefined` for a name that is not an analytics pipeline with tables. */
export async function analyticsOutputTables(pipeline: string): Promise<readonly OutputTable[] | undefined> {
  const load = Object.hasOwn(LOADERS, pipeline) ? LOADERS[pipeline] : undefined;
  return load === undefined ? undefined : load();
}
