/**
 * @module portable/step-counters
 * How the SDK harness reports step counters to the engine, and how the runner reads them back, as Beam
 * monitoring infos: user counters (`beam:metric:user:sum_int64:v1`, labels PTRANSFORM, NAMESPACE `logbeam`,
 * NAME). Per bundle, the harness reports for each collection of its bundle descriptor the elements its
 * producing operator emitted (`produced:<collection>`), or, for a collection the engine delivered (the output
 * of a GroupByKey or of an engine-run Flatten), the elements that arrived (`received:<collection>`); and for
 * each read, `bytesRead` and `splitsRead`. The engine sums bundles' values; the runner maps collections back
 * to `label|tag` counts.
 */

export const COUNTER_URN = 'beam:metric:user:sum_int64:v1';
export const SUM_INT64_TYPE = 'beam:metrics:sum_int64:v1';
export const COUNTER_NAMESPACE = 'logbeam';
export const BYTES_READ = 'bytesRead';
export const SPLITS_READ = 'splitsRead';

/** One counter value of one transform. */
export interface StepCounter {
  readonly ptransform: string;
  readonly name: string;
  readonly value: number;
}

/** A MonitoringInfo as a plain object for `beam-protos` (payload absent in metadata answers). */
export interface MonitoringInfo {
  readonly urn: string;
  readonly type: string;
  readonly payload?: Buffer;
  readonly labels: Readonly<Record<string, string>>;
}

/** The counter name of the elements an operator emitted into `collection`. */
export function producedName(collection: string): string {
  return `produced:${collection}`;
}

/** The counter name of the elements of `collection` that arrived from the engine. */
export function receivedName(collection: string): string {
  return `received:${collection}`;
}

/** Beam's varint encoding of a non-negative int64 (`beam:coder:varint:v1`), the payload of a sum_int64. */
export function encodeVarint(value: number): Buffer {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`a counter must be a non-negative safe integer, got ${value}`);
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

/** Reads a varint written by {@link encodeVarint} (or by an engine summing such payloads). */
export function decodeVarint(payload: Uint8Array): number {
  let value = 0;
  let scale = 1;
  for (const byte of payload) {
    value += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) return value;
    scale *= 0x80;
  }
  throw new Error('a sum_int64 metric payload ends in the middle of a varint');
}

export function counterInfo(counter: StepCounter): MonitoringInfo {
  return { urn: COUNTER_URN, type: SUM_INT64_TYPE, payload: encodeVarint(counter.value), labels: counterLabels(counter) };
}

export function counterLabels(counter: Pick<StepCounter, 'ptransform' | 'name'>): Record<string, string> {
  return { PTRANSFORM: counter.ptransform, NAMESPACE: COUNTER_NAMESPACE, NAME: counter.name };
}

/** The logbeam counter a MonitoringInfo carries, or `undefined` for other metrics (the engine's own). */
export function counterOf(info: MonitoringInfo): StepCounter | undefined {
  if (info.urn !== COUNTER_URN || info.labels['NAMESPACE'] !== COUNTER_NAMESPACE || info.payload === undefined) return undefined;
  const ptransform = info.labels['PTRANSFORM'];
  const name = info.labels['NAME'];
  if (ptransform === undefined || name === undefined) return undefined;
  return { ptransform, name, value: decodeVarint(info.payload) };
}
