/**
 * @module formats/cloudtrail/parser
 * Parses the JSON text of one element of a CloudTrail file's `Records` array (the source streams the array and
 * hands over one element at a time). Only `eventTime` is required; every other member is optional, because
 * Insights events lack userIdentity/eventName and older event versions lack newer members.
 */
import type { Schema } from '../../../core/schema.js';
import { isoToMicros, microsToIso } from '../../../core/time.js';
import { Rejection, SKIP, type ParseResult, type RecordParser } from '../types.js';
import { cloudTrailSchema, KNOWN_CLOUDTRAIL_KEYS, type CloudTrailRecord, type JsonValue } from './schema.js';

type Source = { [key: string]: unknown };

/** A string column: strings as they are, other scalars as text (apiVersion is a number in some events). */
function text(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function json(value: unknown): JsonValue {
  return value === undefined ? null : (value as JsonValue);
}

/** Booleans, also written as the strings "true" / "false" (sessionCredentialFromConsole is). `undefined` = invalid. */
function bool(value: unknown): boolean | null | undefined {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  const shown = JSON.stringify(value);
  return shown.length > 80 ? `${shown.slice(0, 77)}...` : shown;
}

/**
 * `eventTime` in the canonical form `microsToIso` would write. CloudTrail writes `YYYY-MM-DDTHH:MM:SSZ`,
 * which is already canonical unless the second is a leap second (60, which rolls over to the next minute):
 * returning the text then saves building a Date and formatting it for every event.
 */
function canonicalEventTime(eventTime: string, micros: number): string {
  const isCanonical =
    eventTime.length === 20 &&
    eventTime.charCodeAt(10) === 84 /* T */ &&
    eventTime.charCodeAt(19) === 90 /* Z */ &&
    eventTime.charCodeAt(17) <= 53 /* 0-5 */;
  return isCanonical ? eventTime : microsToIso(micros);
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 32 && code !== 9 && code !== 10 && code !== 13) return false;
  }
  return true;
}

/** The documented `eventType` values (network activity events are `AwsVpceEvent`). */
const EVENT_TYPES: ReadonlySet<string> = new Set([
  'AwsApiCall',
  'AwsServiceEvent',
  'AwsConsoleAction',
  'AwsConsoleSignIn',
  'AwsVpceEvent',
  'AwsCloudTrailInsight',
]);
/** The documented `eventCategory` values. */
const EVENT_CATEGORIES: ReadonlySet<string> = new Set(['Management', 'Data', 'NetworkActivity', 'Insight']);

/** Parses one CloudTrail record text into a `CloudTrailRecord`, or explains why it cannot. */
export function parseCloudTrailRecord(recordText: string): ParseResult<CloudTrailRecord> {
  if (isBlank(recordText)) return SKIP;
  let parsed: unknown;
  try {
    parsed = JSON.parse(recordText);
  } catch (error) {
    return new Rejection(`record is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return new Rejection(`record is not a JSON object: ${describe(parsed)}`);
  }
  const source = parsed as Source;
  const eventTime = source['eventTime'];
  // A digest file handed over by mistake is not data (docs/formats/cloudtrail.md, "Digest files"): it has digest times and no eventTime.
  if (eventTime === undefined && source['digestEndTime'] !== undefined) return SKIP;
  const micros = typeof eventTime === 'string' ? isoToMicros(eventTime) : undefined;
  if (eventTime === undefined || eventTime === null)
    return new Rejection('eventTime: missing (every CloudTrail event has one)', 'eventTime');
  if (micros === undefined) return new Rejection(`eventTime: ${describe(eventTime)} is not an ISO-8601 timestamp`, 'eventTime');
  const managementEvent = bool(source['managementEvent']);
  if (managementEvent === undefined)
    return new Rejection(`managementEvent: ${describe(source['managementEvent'])} is not a boolean`, 'managementEvent');
  const readOnly = bool(source['readOnly']);
  if (readOnly === undefined) return new Rejection(`readOnly: ${describe(source['readOnly'])} is not a boolean`, 'readOnly');
  const fromConsole = bool(source['sessionCredentialFromConsole']);
  if (fromConsole === undefined) {
    return new Rejection(
      `sessionCredentialFromConsole: ${describe(source['sessionCredentialFromConsole'])} is not a boolean`,
      'sessionCredentialFromConsole',
    );
  }
  const eventType = text(source['eventType']);
  if (eventType !== null && !EVENT_TYPES.has(eventType))
    return new Rejection(`eventType: ${describe(eventType)} is not one of ${[...EVENT_TYPES].join(', ')}`, 'eventType');
  const eventCategory = text(source['eventCategory']);
  if (eventCategory !== null && !EVENT_CATEGORIES.has(eventCategory))
    return new Rejection(`eventCategory: ${describe(eventCategory)} is not one of ${[...EVENT_CATEGORIES].join(', ')}`, 'eventCategory');
  let extra: { [key: string]: JsonValue } | null = null;
  for (const key in source) {
    if (KNOWN_CLOUDTRAIL_KEYS.has(key)) continue;
    if (extra === null) extra = {};
    // JSON.parse makes "__proto__" an own key; plain assignment would set the prototype instead.
    if (key === '__proto__')
      Object.defineProperty(extra, key, { value: source[key], enumerable: true, writable: true, configurable: true });
    else extra[key] = source[key] as JsonValue;
  }
  return {
    eventVersion: text(source['eventVersion']),
    eventTime: canonicalEventTime(eventTime as string, micros),
    eventSource: text(source['eventSource']),
    eventName: text(source['eventName']),
    awsRegion: text(source['awsRegion']),
    sourceIPAddress: text(source['sourceIPAddress']),
    userAgent: text(source['userAgent']),
    userIdentity: json(source['userIdentity']),
    errorCode: text(source['errorCode']),
    errorMessage: text(source['errorMessage']),
    requestParameters: json(source['requestParameters']),
    responseElements: json(source['responseElements']),
    additionalEventData: json(source['additionalEventData']),
    requestID: text(source['requestID']),
    eventID: text(source['eventID']),
    eventType,
    apiVersion: text(source['apiVersion']),
    managementEvent,
    readOnly,
    resources: json(source['resources']),
    recipientAccountId: text(source['recipientAccountId']),
    serviceEventDetails: json(source['serviceEventDetails']),
    sharedEventID: text(source['sharedEventID']),
    vpcEndpointId: text(source['vpcEndpointId']),
    eventCategory,
    addendum: json(source['addendum']),
    sessionCredentialFromConsole: fromConsole,
    edgeDeviceDetails: json(source['edgeDeviceDetails']),
    tlsDetails: json(source['tlsDetails']),
    insightDetails: json(source['insightDetails']),
    eventContext: json(source['eventContext']),
    extra,
  };
}

/** A parser for the records of one CloudTrail file (stateless: CloudTrail files carry no header). */
export function createCloudTrailParser(): RecordParser<CloudTrailRecord> {
  return {
    parse: function parseCloudTrail(recordText: string, _recordNumber: number) {
      return parseCloudTrailRecord(recordText);
    },
    schema: (): Schema => cloudTrailSchema,
  };
}
