/**
 * @module portable/harness/monitoring-short-ids
 * Short ids for the harness's monitoring infos. Engines such as Prism read only `monitoring_data` (short id ->
 * payload) and ask a harness once per unknown id for the metric it stands for. The id encodes the metric's
 * labels, so every harness of a job gives the same metric the same id, different metrics different ids, and
 * any harness can describe an id another harness issued.
 */
import { COUNTER_URN, counterInfo, counterLabels, type MonitoringInfo, type StepCounter, SUM_INT64_TYPE } from '../step-counters.js';

/** What a bundle response (or progress response) carries. */
export interface MonitoringPayload {
  readonly monitoring_infos: MonitoringInfo[];
  readonly monitoring_data: Record<string, Buffer>;
}

const PREFIX = 'logbeam:';

/** The short id of `counter`'s metric. */
export function shortId(counter: Pick<StepCounter, 'ptransform' | 'name'>): string {
  return PREFIX + Buffer.from(JSON.stringify([counter.ptransform, counter.name])).toString('base64url');
}

/** The metric a short id stands for, or `undefined` for an id no logbeam harness issued. */
export function describeShortId(id: string): MonitoringInfo | undefined {
  if (!id.startsWith(PREFIX)) return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(id.slice(PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(decoded) || decoded.length !== 2 || typeof decoded[0] !== 'string' || typeof decoded[1] !== 'string') return undefined;
  return { urn: COUNTER_URN, type: SUM_INT64_TYPE, labels: counterLabels({ ptransform: decoded[0], name: decoded[1] }) };
}

/** Both encodings of `counters`: full infos (read by Flink's runner) and short-id data (read by Prism). */
export function monitoringPayload(counters: readonly StepCounter[]): MonitoringPayload {
  const monitoring_data: Record<string, Buffer> = {};
  const monitoring_infos: MonitoringInfo[] = [];
  for (const counter of counters) {
    const info = counterInfo(counter);
    monitoring_infos.push(info);
    monitoring_data[shortId(counter)] = info.payload!;
  }
  return { monitoring_infos, monitoring_data };
}

/** The metrics behind short ids (a MonitoringInfosMetadataResponse's map); ids no logbeam harness issued are left out. */
export function describeShortIds(ids: readonly string[]): Record<string, MonitoringInfo> {
  const known: Record<string, MonitoringInfo> = {};
  for (const id of ids) {
    const info = describeShortId(id);
    if (info !== undefined) known[id] = info;
  }
  return known;
}
