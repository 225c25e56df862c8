/**
 * @module pipelines/analytics/testing/cloudtrail-data
 * Test helpers for the CloudTrail pipelines: generated and sample documents as plain JSON events, and the
 * expected clean fields computed straight from the JSON (independently of the pipeline's code).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export type RawEvent = Record<string, unknown> & { userIdentity?: Record<string, unknown> | null };

/** The events of CloudTrail documents (`{"Records": [...]}`); other documents (digests) give none. */
export function eventsOf(documents: readonly string[]): RawEvent[] {
  return documents.flatMap((text) => {
    const parsed = JSON.parse(text) as { Records?: RawEvent[] };
    return Array.isArray(parsed.Records) ? parsed.Records : [];
  });
}

/** The text of every file under `dir`, gunzipped when named `.gz`. */
export function documentsUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return documentsUnder(path);
    const bytes = readFileSync(path);
    return [(name.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8')];
  });
}

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** The clean row the spec asks for. */
export function expectedClean(event: RawEvent): Record<string, unknown> {
  return {
    eventTime: event['eventTime'],
    eventName: str(event['eventName']),
    eventSource: str(event['eventSource']),
    awsRegion: str(event['awsRegion']),
    sourceIPAddress: str(event['sourceIPAddress']),
    readOnly: event['readOnly'] === true,
    managementEvent: event['managementEvent'] === true,
    userIdentity_userName: str(event.userIdentity?.['userName']) ?? 'UNKNOWN_USER',
    userIdentity_type: str(event.userIdentity?.['type']) ?? 'Unknown',
    errorCode: str(event['errorCode']),
  };
}

const jsonText = (value: unknown): string | null => (value === undefined || value === null ? null : JSON.stringify(value));

/** The `cloudtrail-events` row the spec asks for: the clean row plus caller, error and payload details. */
export function expectedEventRow(event: RawEvent): Record<string, unknown> {
  return {
    ...expectedClean(event),
    userAgent: str(event['userAgent']),
    userIdentity_arn: str(event.userIdentity?.['arn']),
    userIdentity_accountId: str(event.userIdentity?.['accountId']),
    errorMessage: str(event['errorMessage']),
    requestParameters: jsonText(event['requestParameters']),
    responseElements: jsonText(event['responseElements']),
  };
}

/** user name, else the role session issuer's name, else ARN, else principal id. */
export function expectedPrincipal(event: RawEvent): string {
  const identity = event.userIdentity ?? {};
  const issuer = ((identity['sessionContext'] as Record<string, unknown> | undefined)?.['sessionIssuer'] ?? {}) as Record<string, unknown>;
  return str(identity['userName']) ?? str(issuer['userName']) ?? str(identity['arn']) ?? str(identity['principalId']) ?? 'UNKNOWN_USER';
}
