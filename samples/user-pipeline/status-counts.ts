/**
 * A user pipeline, as the README shows it: ALB requests per hour and status class, from raw logs to JSON
 * lines. In your own project import from 'logbeam' (and 'logbeam/pipelines', 'logbeam/testing').
 */
import {
  albFormat,
  definePipeline,
  fixedWindows,
  kv,
  map,
  readLogs,
  windowInto,
  writeDeadLetters,
  writeJsonLines,
  count,
  type AlbRecord,
  type KV,
} from '../../index.js';

export interface StatusCountsOptions {
  readonly input: string;
  readonly output: string;
}

/** `2xx`, `4xx`, `5xx`, or `none` when the load balancer returned no status. */
export function statusClass(record: AlbRecord): string {
  return record.elb_status_code === null ? 'none' : `${Math.floor(record.elb_status_code / 100)}xx`;
}

export const statusCounts = definePipeline(import.meta.url, 'statusCounts', (p, options: StatusCountsOptions) => {
  const { records, deadLetter } = p.apply(readLogs(albFormat, { input: options.input }));
  const counts = records
    .apply(windowInto(fixedWindows(60 * 60 * 1000)))
    .apply(map((r: AlbRecord) => kv(statusClass(r), 1), { label: 'ByStatusClass' }))
    .apply(count.perKey());
  const rows = counts.apply(map((c: KV<string, number>) => ({ status_class: c.key, requests: c.value }), { label: 'ToRow' }));
  rows.apply(writeJsonLines({ output: options.output, timePartitioning: 'hour' }));
  deadLetter.apply(writeDeadLetters(`${options.output}/_dead_letter`));
  return { counts, deadLetter };
});
