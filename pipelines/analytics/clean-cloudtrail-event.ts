/**
 * @module pipelines/analytics/clean-cloudtrail-event
 * The clean CloudTrail event row shared by `cloudtrail-events` and `security-features`: the columns an
 * analyst or a model needs, with defaults instead of nulls (`UNKNOWN_USER`, `Unknown`, false).
 */
import { field, schema, type Schema } from '../../core/schema.js';
import type { CloudTrailRecord, JsonValue } from '../../io/formats/cloudtrail/schema.js';

export const UNKNOWN_USER = 'UNKNOWN_USER';
export const UNKNOWN_IDENTITY_TYPE = 'Unknown';

/** One clean event. `userIdentity_userName` and `userIdentity_type` are `userIdentity.userName` / `.type`. */
export interface CleanCloudTrailEvent {
  readonly eventTime: string;
  readonly eventName: string | null;
  readonly eventSource: string | null;
  readonly awsRegion: string | null;
  readonly sourceIPAddress: string | null;
  readonly readOnly: boolean;
  readonly managementEvent: boolean;
  readonly userIdentity_userName: string;
  readonly userIdentity_type: string;
  readonly errorCode: string | null;
}

export const cleanCloudTrailEventSchema: Schema = schema([
  field('eventTime', 'timestamp', { nullable: false, doc: 'when the request completed, UTC' }),
  field('eventName', 'string', { doc: 'API action' }),
  field('eventSource', 'string', { doc: 'service endpoint, e.g. s3.amazonaws.com' }),
  field('awsRegion', 'string', { doc: 'region the request was made to' }),
  field('sourceIPAddress', 'string', { doc: 'caller IP address or service name' }),
  field('readOnly', 'boolean', { nullable: false, doc: 'read-only operation (false when CloudTrail omits it)' }),
  field('managementEvent', 'boolean', { nullable: false, doc: 'management event (false when CloudTrail omits it)' }),
  field('userIdentity_userName', 'string', { nullable: false, doc: `userIdentity.userName, ${UNKNOWN_USER} when absent` }),
  field('userIdentity_type', 'string', { nullable: false, doc: `userIdentity.type, ${UNKNOWN_IDENTITY_TYPE} when absent` }),
  field('errorCode', 'string', { doc: 'AWS error code, e.g. AccessDenied; null on success' }),
]);

/**
 * A `cloudtrail-events` row: the clean event plus the caller and error details and the API payloads, which the
 * specification of that table names (the security features do not need them).
 */
export interface CloudTrailEventRow extends CleanCloudTrailEvent {
  readonly userAgent: string | null;
  readonly userIdentity_arn: string | null;
  readonly userIdentity_accountId: string | null;
  readonly errorMessage: string | null;
  readonly requestParameters: JsonValue;
  readonly responseElements: JsonValue;
}

export const cloudTrailEventRowSchema: Schema = schema([
  ...cleanCloudTrailEventSchema.fields,
  field('userAgent', 'string', { doc: 'the caller agent: console, SDK, CLI or an AWS service' }),
  field('userIdentity_arn', 'string', { doc: 'userIdentity.arn, null when absent (e.g. AWS service calls)' }),
  field('userIdentity_accountId', 'string', { doc: 'userIdentity.accountId: the account that owns the caller identity' }),
  field('errorMessage', 'string', { doc: 'AWS error message; null on success' }),
  field('requestParameters', 'json', { doc: 'request parameters as JSON text; null when the API takes none' }),
  field('responseElements', 'json', { doc: 'response elements as JSON text; null for read-only calls and errors' }),
]);

/** A member of a JSON object, or undefined. */
export function member(value: JsonValue | undefined, name: string): JsonValue | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value[name] : undefined;
}

function text(value: JsonValue | undefined): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** `userIdentity.userName`, or `UNKNOWN_USER`. */
function userNameOf(record: CloudTrailRecord): string {
  return text(member(record.userIdentity, 'userName')) ?? UNKNOWN_USER;
}

/** `userIdentity.type`, or `Unknown`. */
function identityTypeOf(record: CloudTrailRecord): string {
  return text(member(record.userIdentity, 'type')) ?? UNKNOWN_IDENTITY_TYPE;
}

/**
 * @example cleanCloudTrailEvent({ eventTime: '2024-01-01T00:00:00Z', userIdentity: { type: 'Root' }, readOnly: null, ... })
 * // { eventTime: '2024-01-01T00:00:00Z', userIdentity_userName: 'UNKNOWN_USER', userIdentity_type: 'Root', readOnly: false, ... }
 */
export function cleanCloudTrailEvent(record: CloudTrailRecord): CleanCloudTrailEvent {
  return {
    eventTime: record.eventTime,
    eventName: record.eventName,
    eventSource: record.eventSource,
    awsRegion: record.awsRegion,
    sourceIPAddress: record.sourceIPAddress,
    readOnly: record.readOnly === true,
    managementEvent: record.managementEvent === true,
    userIdentity_userName: userNameOf(record),
    userIdentity_type: identityTypeOf(record),
    errorCode: record.errorCode,
  };
}

/** The clean event with the details of the `cloudtrail-events` table. */
export function cloudTrailEventRow(record: CloudTrailRecord): CloudTrailEventRow {
  return {
    ...cleanCloudTrailEvent(record),
    userAgent: text(record.userAgent),
    userIdentity_arn: text(member(record.userIdentity, 'arn')),
    userIdentity_accountId: text(member(record.userIdentity, 'accountId')),
    errorMessage: text(record.errorMessage),
    requestParameters: record.requestParameters ?? null,
    responseElements: record.responseElements ?? null,
  };
}

/**
 * Who made the call, for per-principal features: the user name, else the session issuer's name (assumed
 * roles), else the ARN, else the principal id, else `UNKNOWN_USER`.
 */
export function principalOf(record: CloudTrailRecord): string {
  const identity = record.userIdentity;
  return (
    text(member(identity, 'userName')) ??
    text(member(member(member(identity, 'sessionContext'), 'sessionIssuer'), 'userName')) ??
    text(member(identity, 'arn')) ??
    text(member(identity, 'principalId')) ??
    UNKNOWN_USER
  );
}
