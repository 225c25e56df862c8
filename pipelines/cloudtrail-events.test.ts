import { afterAll, describe, expect, it } from '@jest/globals';
import { join, resolve } from 'node:path';
import { Pipeline } from '../core/pipeline.js';
import { generateCloudTrailDocuments } from '../io/formats/cloudtrail/generate.js';
import type { CloudTrailRecord } from '../io/formats/cloudtrail/schema.js';
import { sqlString } from '../io/sinks/testing/read-output.js';
import { collect, runPipeline } from '../test/testing.js';
import { create } from '../transforms/create.js';
import { documentsUnder, eventsOf, expectedEventRow } from './analytics/testing/cloudtrail-data.js';
import { query, readParquetRows, removeTempDirs, tempDir, writeLines } from './analytics/testing/parquet-rows.js';
import { cloudTrailEvents, cloudTrailEventsPipeline } from './cloudtrail-events.js';

const COLUMNS =
  'eventName, eventSource, awsRegion, sourceIPAddress, readOnly, managementEvent, userIdentity_userName, userIdentity_type, errorCode, userAgent, userIdentity_arn, userIdentity_accountId, errorMessage, requestParameters, responseElements';

function record(overrides: Partial<CloudTrailRecord>): CloudTrailRecord {
  const empty = Object.fromEntries(
    [
      'eventVersion',
      'eventSource',
      'eventName',
      'awsRegion',
      'sourceIPAddress',
      'userAgent',
      'userIdentity',
      'errorCode',
      'errorMessage',
      'requestParameters',
      'responseElements',
      'additionalEventData',
      'requestID',
      'eventID',
      'eventType',
      'apiVersion',
      'managementEvent',
      'readOnly',
      'resources',
      'recipientAccountId',
      'serviceEventDetails',
      'sharedEventID',
      'vpcEndpointId',
      'eventCategory',
      'addendum',
      'sessionCredentialFromConsole',
      'edgeDeviceDetails',
      'tlsDetails',
      'insightDetails',
      'eventContext',
      'extra',
    ].map((k) => [k, null]),
  );
  return { ...empty, eventTime: '2024-01-01T00:00:00Z', ...overrides } as CloudTrailRecord;
}

const NO_DETAILS = {
  userAgent: null,
  userIdentity_arn: null,
  userIdentity_accountId: null,
  errorMessage: null,
  requestParameters: null,
  responseElements: null,
};

afterAll(removeTempDirs);

describe('cloudTrailEvents', () => {
  it('fills missing user names, identity types and flags with defaults and keeps agent, ARN, account, error message and payloads', async () => {
    const p = Pipeline.create();
    const input = [
      record({
        eventTime: '2024-01-01T10:00:00Z',
        eventName: 'GetObject',
        userIdentity: { type: 'IAMUser', userName: 'alice', arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333' },
        readOnly: true,
        managementEvent: false,
        userAgent: 'aws-cli/2.15.0',
        requestParameters: { bucketName: 'b', key: 'k' },
        responseElements: null,
      }),
      record({
        eventTime: '2024-01-01T09:00:00Z',
        eventName: 'AssumeRole',
        userIdentity: { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' },
        errorCode: 'AccessDenied',
        errorMessage: 'not authorized',
      }),
      record({ eventTime: '2024-01-02T00:00:00Z', userIdentity: null }),
    ];
    const out = collect(p.apply(create(input)).apply(cloudTrailEvents()));
    await runPipeline(p);
    expect(out.values()).toEqualInAnyOrder([
      {
        eventTime: '2024-01-01T10:00:00Z',
        eventName: 'GetObject',
        eventSource: null,
        awsRegion: null,
        sourceIPAddress: null,
        readOnly: true,
        managementEvent: false,
        userIdentity_userName: 'alice',
        userIdentity_type: 'IAMUser',
        errorCode: null,
        userAgent: 'aws-cli/2.15.0',
        userIdentity_arn: 'arn:aws:iam::111122223333:user/alice',
        userIdentity_accountId: '111122223333',
        errorMessage: null,
        requestParameters: { bucketName: 'b', key: 'k' },
        responseElements: null,
      },
      {
        eventTime: '2024-01-01T09:00:00Z',
        eventName: 'AssumeRole',
        eventSource: null,
        awsRegion: null,
        sourceIPAddress: null,
        readOnly: false,
        managementEvent: false,
        userIdentity_userName: 'UNKNOWN_USER',
        userIdentity_type: 'AWSService',
        errorCode: 'AccessDenied',
        ...NO_DETAILS,
        errorMessage: 'not authorized',
      },
      {
        eventTime: '2024-01-02T00:00:00Z',
        eventName: null,
        eventSource: null,
        awsRegion: null,
        sourceIPAddress: null,
        readOnly: false,
        managementEvent: false,
        userIdentity_userName: 'UNKNOWN_USER',
        userIdentity_type: 'Unknown',
        errorCode: null,
        ...NO_DETAILS,
      },
    ]);
  });
});

async function expectTableMatches(output: string, documents: string[]): Promise<void> {
  const rows = await readParquetRows(output, `epoch_us(eventTime) AS eventTime, ${COLUMNS}`);
  const expected = eventsOf(documents).map((event) => ({
    ...expectedEventRow(event),
    eventTime: Date.parse(event['eventTime'] as string) * 1000,
  }));
  expect(expected.length).toBeGreaterThan(0);
  expect(rows).toEqualInAnyOrder(expected);
}

/** Each Parquet file's rows in stored order are in non-decreasing event time. */
async function expectEachFileSorted(output: string): Promise<number> {
  const files = await query(`SELECT DISTINCT filename FROM read_parquet(${sqlString(join(output, '**', '*.parquet'))}, filename = true)`);
  for (const { filename } of files) {
    const times = (await query(`SELECT epoch_us(eventTime) AS t FROM read_parquet(${sqlString(filename as string)})`)).map(
      (row) => row['t'] as number,
    );
    expect(times).toEqual([...times].sort((a, b) => a - b));
  }
  return files.length;
}

describe('cloudTrailEventsPipeline', () => {
  it.each([1, 2])('writes every generated event, cleaned and sorted within each day file, with %i worker(s)', async (workers) => {
    const dir = tempDir();
    const documents = [...generateCloudTrailDocuments({ records: 900, seed: 4, recordsPerFile: 120, spanDays: 3 })];
    for (const [i, text] of documents.entries()) writeLines(dir, `in/doc-${i}.json`, [text]);
    const output = join(dir, 'out');
    await runPipeline(cloudTrailEventsPipeline.create({ input: join(dir, 'in'), output }).pipeline, { workers });
    await expectTableMatches(output, documents);
    expect(await expectEachFileSorted(output)).toBeGreaterThanOrEqual(3);
  });

  it('processes the CloudTrail samples in the repository', async () => {
    const input = resolve('samples/cloudtrail');
    const output = join(tempDir(), 'out');
    await runPipeline(cloudTrailEventsPipeline.create({ input, output }).pipeline);
    await expectTableMatches(output, documentsUnder(input));
    await expectEachFileSorted(output);
  });
});
