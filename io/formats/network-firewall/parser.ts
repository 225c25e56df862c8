/**
 * @module formats/network-firewall/parser
 * Parses one line of an AWS Network Firewall log (one JSON object per line: `firewall_name`,
 * `availability_zone`, `event_timestamp` and the Suricata EVE `event`) into a `NetworkFirewallRecord`.
 * `event.event_type` must be one of the documented types; TLS error log entries, which carry `tls_error` or
 * `revocation_check` and no `event_type`, are typed `tls`. Numbers written as digit strings (AWS's TLS log
 * examples quote ports) are accepted.
 */
import type { Schema } from '../../../core/schema.js';
import { isoToMicros, microsToIso } from '../../../core/time.js';
import type { JsonValue } from '../cloudtrail/schema.js';
import { Rejection, SKIP, type ParseResult, type RecordParser } from '../types.js';
import { networkFirewallSchema, type NetworkFirewallRecord } from './schema.js';

type Source = { [key: string]: unknown };

/** The documented `event.event_type` values. */
export const NETWORK_FIREWALL_EVENT_TYPES: readonly string[] = ['alert', 'flow', 'netflow', 'tls', 'http'];
const EVENT_TYPES: ReadonlySet<string> = new Set(NETWORK_FIREWALL_EVENT_TYPES);

const TOP_KEYS: ReadonlySet<string> = new Set(['firewall_name', 'availability_zone', 'event_timestamp', 'event', 'aws_category']);
const EVENT_KEYS: ReadonlySet<string> = new Set([
  'timestamp',
  'event_type',
  'flow_id',
  'src_ip',
  'src_port',
  'dest_ip',
  'dest_port',
  'proto',
  'app_proto',
  'tls_inspected',
  'alert',
  'flow',
  'netflow',
  'tls',
  'http',
  'aws_category',
]);
const ALERT_KEYS: ReadonlySet<string> = new Set(['action', 'signature_id', 'rev', 'signature', 'category', 'severity']);
const FLOW_KEYS: ReadonlySet<string> = new Set(['pkts_toserver', 'pkts_toclient', 'bytes_toserver', 'bytes_toclient', 'start', 'end']);
const NETFLOW_KEYS: ReadonlySet<string> = new Set(['pkts', 'bytes', 'start', 'end']);

/** Thrown inside the parser only, turned into a `Rejection` at its edge. */
class Invalid extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  const shown = JSON.stringify(value);
  return shown.length > 80 ? `${shown.slice(0, 77)}...` : shown;
}

function isObject(value: unknown): value is Source {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function text(name: string, value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Invalid(name, `${describe(value)} is not a string`);
}

/** A whole number in [min, max], given as a JSON number or a string of digits. */
function integer(name: string, value: unknown, min: number, max: number): number | null {
  if (value === undefined || value === null) return null;
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(number) || number < min || number > max)
    throw new Invalid(name, `${describe(value)} is not an integer from ${min} to ${max}`);
  return number;
}

const port = (name: string, value: unknown): number | null => integer(name, value, 0, 65535);
const counter = (name: string, value: unknown): number | null => integer(name, value, 0, Number.MAX_SAFE_INTEGER);

function bool(name: string, value: unknown): boolean | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new Invalid(name, `${describe(value)} is not a boolean`);
}

function json(value: unknown): JsonValue {
  return value === undefined ? null : (value as JsonValue);
}

/** Sets an own member, also for the key `__proto__` (which JSON.parse makes an own key). */
function putOwn(target: { [key: string]: JsonValue }, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The members of `source` not in `known`, or undefined when there are none. */
function leftovers(source: Source, known: ReadonlySet<string>): { [key: string]: JsonValue } | undefined {
  let rest: { [key: string]: JsonValue } | undefined;
  for (const key in source) {
    if (known.has(key)) continue;
    rest ??= {};
    putOwn(rest, key, source[key]);
  }
  return rest;
}

/**
 * The event time in epoch µs from `event.timestamp` (Suricata writes `2020-09-25T23:01:05.598481+0000`, an
 * offset without a colon) or, when the event has none, from the record's `event_timestamp` seconds.
 */
function eventTime(event: Source, eventTimestamp: number | null): number {
  const value = event['timestamp'];
  if (value === undefined || value === null) {
    if (eventTimestamp === null) throw new Invalid('timestamp', 'missing (neither event.timestamp nor event_timestamp is given)');
    return eventTimestamp * 1_000_000;
  }
  const micros = typeof value === 'string' ? isoToMicros(value.replace(/([+-]\d\d)(\d\d)$/, '$1:$2')) : undefined;
  if (micros === undefined) throw new Invalid('timestamp', `${describe(value)} is not an ISO-8601 timestamp`);
  return micros;
}

function eventType(event: Source): string {
  const value = event['event_type'];
  if (value === undefined || value === null) {
    if (event['tls_error'] !== undefined || event['revocation_check'] !== undefined) return 'tls';
    throw new Invalid('event_type', `missing (expected one of ${NETWORK_FIREWALL_EVENT_TYPES.join(', ')})`);
  }
  if (typeof value !== 'string' || !EVENT_TYPES.has(value))
    throw new Invalid('event_type', `${describe(value)} is not one of ${NETWORK_FIREWALL_EVENT_TYPES.join(', ')}`);
  return value;
}

function subObject(event: Source, name: string): Source {
  const value = event[name];
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw new Invalid(name, `${describe(value)} is not a JSON object`);
  return value;
}

function toRecord(source: Source): NetworkFirewallRecord {
  const event = source['event'];
  if (event === undefined || event === null) throw new Invalid('event', 'missing (every Network Firewall log record has one)');
  if (!isObject(event)) throw new Invalid('event', `${describe(event)} is not a JSON object`);
  const eventTimestamp = integer('event_timestamp', source['event_timestamp'], 0, 253402300799);
  const type = eventType(event);
  const micros = eventTime(event, eventTimestamp);
  const alert = subObject(event, 'alert');
  const flow = subObject(event, 'flow');
  const netflow = subObject(event, 'netflow');
  let extra: { [key: string]: JsonValue } | null = null;
  const keep = (key: string, value: { [key: string]: JsonValue } | undefined): void => {
    if (value === undefined) return;
    extra ??= {};
    putOwn(extra, key, value);
  };
  const top = leftovers(source, TOP_KEYS);
  if (top !== undefined) for (const key of Object.keys(top)) keep(key, top[key] as { [key: string]: JsonValue });
  keep('event', leftovers(event, EVENT_KEYS));
  keep('alert', leftovers(alert, ALERT_KEYS));
  keep('flow', leftovers(flow, FLOW_KEYS));
  keep('netflow', leftovers(netflow, NETFLOW_KEYS));
  return {
    firewall_name: text('firewall_name', source['firewall_name']),
    availability_zone: text('availability_zone', source['availability_zone']),
    event_timestamp: eventTimestamp,
    timestamp: microsToIso(micros),
    event_type: type,
    flow_id: counter('flow_id', event['flow_id']),
    src_ip: text('src_ip', event['src_ip']),
    src_port: port('src_port', event['src_port']),
    dest_ip: text('dest_ip', event['dest_ip']),
    dest_port: port('dest_port', event['dest_port']),
    proto: text('proto', event['proto']),
    app_proto: text('app_proto', event['app_proto']),
    tls_inspected: bool('tls_inspected', event['tls_inspected']),
    alert_action: text('alert.action', alert['action']),
    alert_signature_id: counter('alert.signature_id', alert['signature_id']),
    alert_rev: integer('alert.rev', alert['rev'], 0, 2_147_483_647),
    alert_signature: text('alert.signature', alert['signature']),
    alert_category: text('alert.category', alert['category']),
    alert_severity: integer('alert.severity', alert['severity'], 0, 255),
    flow_pkts_toserver: counter('flow.pkts_toserver', flow['pkts_toserver']),
    flow_pkts_toclient: counter('flow.pkts_toclient', flow['pkts_toclient']),
    flow_bytes_toserver: counter('flow.bytes_toserver', flow['bytes_toserver']),
    flow_bytes_toclient: counter('flow.bytes_toclient', flow['bytes_toclient']),
    netflow_pkts: counter('netflow.pkts', netflow['pkts']),
    netflow_bytes: counter('netflow.bytes', netflow['bytes']),
    flow_start: text('flow.start', flow['start'] ?? netflow['start']),
    flow_end: text('flow.end', flow['end'] ?? netflow['end']),
    tls: json(event['tls']),
    http: json(event['http']),
    // The field list puts aws_category at the top level; AWS's examples have it inside `event`.
    aws_category: json(source['aws_category'] ?? event['aws_category']),
    extra,
  };
}

/** Parses one Network Firewall log line, or explains why it cannot. */
export function parseNetworkFirewallLine(line: string): ParseResult<NetworkFirewallRecord> {
  if (line.trim() === '') return SKIP;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    return new Rejection(`line is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(parsed)) return new Rejection(`line is not a JSON object: ${describe(parsed)}`);
  try {
    return toRecord(parsed);
  } catch (error) {
    if (error instanceof Invalid) return new Rejection(error.message, error.field);
    throw error;
  }
}

/** A parser for the lines of one Network Firewall log file (stateless: the files carry no header). */
export function createNetworkFirewallParser(): RecordParser<NetworkFirewallRecord> {
  return {
    parse: (line: string, _lineNumber: number) => parseNetworkFirewallLine(line),
    schema: (): Schema => networkFirewallSchema,
  };
}
