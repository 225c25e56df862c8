/**
 * @module formats/cloudtrail/schema
 * The CloudTrail event record, keeping CloudTrail's own (camelCase) field names. Objects whose shape depends on
 * the API (`requestParameters`, `responseElements`, …) are opaque `json` columns, because their types clash
 * across services; top-level keys this schema does not know are kept together in `extra`.
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 */
import { field, schema, type FieldType, type Schema } from '../../../core/schema.js';

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One CloudTrail event. `eventTime` is an ISO-8601 UTC string; optional members are null when absent. */
export interface CloudTrailRecord {
  eventVersion: string | null;
  eventTime: string;
  eventSource: string | null;
  eventName: string | null;
  awsRegion: string | null;
  sourceIPAddress: string | null;
  userAgent: string | null;
  userIdentity: JsonValue;
  errorCode: string | null;
  errorMessage: string | null;
  requestParameters: JsonValue;
  responseElements: JsonValue;
  additionalEventData: JsonValue;
  requestID: string | null;
  eventID: string | null;
  eventType: string | null;
  apiVersion: string | null;
  managementEvent: boolean | null;
  readOnly: boolean | null;
  resources: JsonValue;
  recipientAccountId: string | null;
  serviceEventDetails: JsonValue;
  sharedEventID: string | null;
  vpcEndpointId: string | null;
  eventCategory: string | null;
  addendum: JsonValue;
  sessionCredentialFromConsole: boolean | null;
  edgeDeviceDetails: JsonValue;
  tlsDetails: JsonValue;
  insightDetails: JsonValue;
  eventContext: JsonValue;
  /** Top-level keys not listed above, as one JSON object; null when there are none. */
  extra: { [key: string]: JsonValue } | null;
}

type Column = [name: keyof CloudTrailRecord, type: FieldType, nullable: boolean, doc: string];

const COLUMNS: readonly Column[] = [
  ['eventVersion', 'string', true, 'record format version, major.minor (compare the minor numerically: 1.10 > 1.09)'],
  ['eventTime', 'timestamp', false, 'when the request completed, UTC (event time)'],
  ['eventSource', 'string', true, 'service endpoint, e.g. ec2.amazonaws.com'],
  ['eventName', 'string', true, 'API action'],
  ['awsRegion', 'string', true, 'region the request was made to'],
  ['sourceIPAddress', 'string', true, 'caller IP address, or a service DNS name, or AWS Internal/#'],
  ['userAgent', 'string', true, 'caller agent (at most 1 KB)'],
  ['userIdentity', 'json', true, 'who made the request: type, principalId, arn, accountId, sessionContext, …'],
  ['errorCode', 'string', true, 'AWS error code, e.g. AccessDenied'],
  ['errorMessage', 'string', true, 'error message'],
  ['requestParameters', 'json', true, 'request parameters (API-specific, at most 100 KB)'],
  ['responseElements', 'json', true, 'response elements (API-specific, at most 100 KB)'],
  ['additionalEventData', 'json', true, 'additional event data'],
  ['requestID', 'string', true, 'request id'],
  ['eventID', 'string', true, 'GUID of the event (dedupe key)'],
  ['eventType', 'string', true, 'AwsApiCall, AwsServiceEvent, AwsConsoleAction, AwsConsoleSignIn, AwsCloudTrailInsight, …'],
  ['apiVersion', 'string', true, 'API version'],
  ['managementEvent', 'boolean', true, 'whether it is a management event'],
  ['readOnly', 'boolean', true, 'true for read-only operations'],
  ['resources', 'json', true, 'resources accessed: array of {ARN, accountId, type}'],
  ['recipientAccountId', 'string', true, 'account that received the event'],
  ['serviceEventDetails', 'json', true, 'service event details'],
  ['sharedEventID', 'string', true, 'GUID shared by copies of the event delivered to several accounts'],
  ['vpcEndpointId', 'string', true, 'VPC endpoint the request went through'],
  ['eventCategory', 'string', true, 'Management, Data, Insight or NetworkActivity'],
  ['addendum', 'json', true, 'delivery delay / updated data details'],
  ['sessionCredentialFromConsole', 'boolean', true, 'true when the session credentials came from the console'],
  ['edgeDeviceDetails', 'json', true, 'S3 on Outposts device details'],
  ['tlsDetails', 'json', true, 'TLS version, cipher suite, host header'],
  ['insightDetails', 'json', true, 'Insights event details'],
  ['eventContext', 'json', true, 'enriched event context'],
  ['extra', 'json', true, 'top-level keys not in this schema, as a JSON object'],
];

/** The CloudTrail record schema. */
export const cloudTrailSchema: Schema = schema(COLUMNS.map(([name, type, nullable, doc]) => field(name, type, { nullable, doc })));

/** The top-level keys that have a column of their own (everything else goes to `extra`). */
export const KNOWN_CLOUDTRAIL_KEYS: ReadonlySet<string> = new Set(COLUMNS.map(([name]) => name).filter((name) => name !== 'extra'));
