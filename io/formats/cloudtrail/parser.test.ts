import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { microsToIso } from '../../../core/time.js';
import { Rejection, SKIP } from '../types.js';
import { readExpectedJsonl, runParser } from '../common/fixture-harness.js';
import { schemaViolations } from '../common/testing/schema-check.js';
import { cloudTrailFormat, generateCloudTrailDocuments, isCloudTrailDigestKey as isDigest, type CloudTrailRecord } from './index.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** The record texts a json-records source hands over for one document. */
function recordTexts(document: string): string[] {
  const parsed = JSON.parse(document) as { Records?: unknown[] };
  return Array.isArray(parsed.Records) ? parsed.Records.map((record) => JSON.stringify(record)) : [];
}

const NULLS: CloudTrailRecord = {
  eventVersion: null,
  eventTime: '',
  eventSource: null,
  eventName: null,
  awsRegion: null,
  sourceIPAddress: null,
  userAgent: null,
  userIdentity: null,
  errorCode: null,
  errorMessage: null,
  requestParameters: null,
  responseElements: null,
  additionalEventData: null,
  requestID: null,
  eventID: null,
  eventType: null,
  apiVersion: null,
  managementEvent: null,
  readOnly: null,
  resources: null,
  recipientAccountId: null,
  serviceEventDetails: null,
  sharedEventID: null,
  vpcEndpointId: null,
  eventCategory: null,
  addendum: null,
  sessionCredentialFromConsole: null,
  edgeDeviceDetails: null,
  tlsDetails: null,
  insightDetails: null,
  eventContext: null,
  extra: null,
};

function parseFixture(name: string): unknown[] {
  const parser = cloudTrailFormat.createParser();
  return recordTexts(readFileSync(join(FIXTURES, name), 'utf8')).map((text, i) => parser.parse(text, i + 1));
}

const ALICE = {
  type: 'IAMUser',
  principalId: 'EX_PRINCIPAL_ID',
  arn: 'arn:aws:iam::123456789012:user/Alice',
  accessKeyId: 'EXAMPLE_KEY_ID',
  accountId: '123456789012',
  userName: 'Alice',
};

describe('cloudTrailFormat', () => {
  // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html
  test('parses the AWS StartInstances example with nested objects as JSON values', () => {
    expect(parseFixture('aws-start-instances.json')).toEqual([
      {
        ...NULLS,
        eventVersion: '1.0',
        userIdentity: ALICE,
        eventTime: '2014-03-06T21:22:54Z',
        eventSource: 'ec2.amazonaws.com',
        eventName: 'StartInstances',
        awsRegion: 'us-east-2',
        sourceIPAddress: '205.251.233.176',
        userAgent: 'ec2-api-tools 1.6.12.2',
        requestParameters: { instancesSet: { items: [{ instanceId: 'i-ebeaf9e2' }] } },
        responseElements: {
          instancesSet: {
            items: [{ instanceId: 'i-ebeaf9e2', currentState: { code: 0, name: 'pending' }, previousState: { code: 80, name: 'stopped' } }],
          },
        },
      },
    ]);
  });

  test('parses the AWS UpdateTrail example with its error code, message and null response', () => {
    expect(parseFixture('aws-update-trail-error.json')).toEqual([
      {
        ...NULLS,
        eventVersion: '1.04',
        userIdentity: ALICE,
        eventTime: '2016-07-14T19:15:45Z',
        eventSource: 'cloudtrail.amazonaws.com',
        eventName: 'UpdateTrail',
        awsRegion: 'us-east-2',
        sourceIPAddress: '205.251.233.182',
        userAgent: 'aws-cli/1.10.32 Python/2.7.9 Windows/7 botocore/1.4.22',
        errorCode: 'TrailNotFoundException',
        errorMessage: 'Unknown trail: myTrail2 for the user: 123456789012',
        requestParameters: { name: 'myTrail2' },
        responseElements: null,
        requestID: '5d40662a-49f7-11e6-97e4-d9cb6ff7d6a3',
        eventID: 'b7d4398e-b2f0-4faa-9c76-e2d316a8d67f',
        eventType: 'AwsApiCall',
        recipientAccountId: '123456789012',
      },
    ]);
  });

  test('keeps the AWS assumed-role identity, with its string mfaAuthenticated and basic-format creationDate, unchanged', () => {
    const [record] = parseFixture('aws-assumed-role-identity.json') as CloudTrailRecord[];
    expect(record!.userIdentity).toEqual({
      type: 'AssumedRole',
      principalId: 'AROAIDPPEZS35WEXAMPLE:AssumedRoleSessionName',
      arn: 'arn:aws:sts::123456789012:assumed-role/RoleToBeAssumed/MySessionName',
      accountId: '123456789012',
      accessKeyId: '',
      sessionContext: {
        attributes: { mfaAuthenticated: 'false', creationDate: '20131102T010628Z' },
        sessionIssuer: {
          type: 'Role',
          principalId: 'AROAIDPPEZS35WEXAMPLE',
          arn: 'arn:aws:iam::123456789012:role/RoleToBeAssumed',
          accountId: '123456789012',
          userName: 'RoleToBeAssumed',
        },
      },
    });
    expect([record!.readOnly, record!.managementEvent, record!.eventCategory]).toEqual([true, true, 'Management']);
  });

  test('accepts an Insights event that has no userIdentity, eventName or eventSource', () => {
    const parser = cloudTrailFormat.createParser();
    const result = parser.parse(
      '{"eventVersion":"1.07","eventTime":"2023-05-01T10:00:00Z","eventType":"AwsCloudTrailInsight","eventCategory":"Insight","insightDetails":{"state":"Start"}}',
      1,
    );
    expect(result).toEqual({
      ...NULLS,
      eventVersion: '1.07',
      eventTime: '2023-05-01T10:00:00Z',
      eventType: 'AwsCloudTrailInsight',
      eventCategory: 'Insight',
      insightDetails: { state: 'Start' },
    });
  });

  test('keeps unknown top-level keys in extra and turns a numeric apiVersion into text', () => {
    const result = cloudTrailFormat
      .createParser()
      .parse('{"eventTime":"2024-03-02T23:59:59.123Z","apiVersion":2006,"futureField":{"a":1},"__proto__":{"x":1}}', 1) as CloudTrailRecord;
    expect(result.apiVersion).toBe('2006');
    expect(result.extra).toEqual({ futureField: { a: 1 }, ['__proto__']: { x: 1 } });
    expect(Object.getPrototypeOf(result.extra)).toBe(Object.prototype);
    expect(cloudTrailFormat.eventTimeMicros(result)).toBe(Date.UTC(2024, 2, 2, 23, 59, 59, 123) * 1000);
  });

  test('reads readOnly and sessionCredentialFromConsole given as the strings "true" and "false"', () => {
    const result = cloudTrailFormat
      .createParser()
      .parse('{"eventTime":"2024-01-01T00:00:00Z","readOnly":"false","sessionCredentialFromConsole":"true"}', 1) as CloudTrailRecord;
    expect([result.readOnly, result.sessionCredentialFromConsole]).toEqual([false, true]);
  });

  test("writes eventTime in canonical UTC form: CloudTrail's own form unchanged, other forms and leap seconds normalised", () => {
    const timeOf = (eventTime: string) =>
      (cloudTrailFormat.createParser().parse(JSON.stringify({ eventTime }), 1) as CloudTrailRecord).eventTime;
    expect(timeOf('2024-03-02T23:59:59Z')).toBe('2024-03-02T23:59:59Z');
    expect(timeOf('2024-03-02T23:59:59+00:00')).toBe('2024-03-02T23:59:59Z');
    expect(timeOf('2024-03-02 23:59:59Z')).toBe('2024-03-02T23:59:59Z');
    expect(timeOf('2024-03-02T23:59:59.000Z')).toBe('2024-03-02T23:59:59Z');
    expect(timeOf('2016-12-31T23:59:60Z')).toBe('2017-01-01T00:00:00Z');
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2200, 0, 1) }),
        fc.constantFrom('Z', '.000Z', '+00:00'),
        (ms, suffix) => {
          const canonical = microsToIso(Math.floor(ms / 1000) * 1_000_000);
          expect(timeOf(canonical.replace('Z', suffix))).toBe(canonical);
        },
      ),
    );
  });

  test('rejects a record without eventTime, with an invalid eventTime, or with a non-boolean readOnly, naming the field', () => {
    const parser = cloudTrailFormat.createParser();
    expect(parser.parse('{"eventName":"X"}', 1)).toEqual(new Rejection('eventTime: missing (every CloudTrail event has one)', 'eventTime'));
    expect(parser.parse('{"eventTime":"yesterday"}', 2)).toEqual(
      new Rejection('eventTime: "yesterday" is not an ISO-8601 timestamp', 'eventTime'),
    );
    expect(parser.parse('{"eventTime":1700000000}', 3)).toEqual(
      new Rejection('eventTime: 1700000000 is not an ISO-8601 timestamp', 'eventTime'),
    );
    expect(parser.parse('{"eventTime":"2024-01-01T00:00:00Z","readOnly":"maybe"}', 4)).toEqual(
      new Rejection('readOnly: "maybe" is not a boolean', 'readOnly'),
    );
  });

  test('rejects text that is not a JSON object and skips blank text', () => {
    const parser = cloudTrailFormat.createParser();
    expect((parser.parse('{"eventTime":', 1) as Rejection).reason).toMatch(/^record is not valid JSON: /);
    expect(parser.parse('[1,2]', 2)).toEqual(new Rejection('record is not a JSON object: [1,2]'));
    expect(parser.parse('  \n', 3)).toBe(SKIP);
  });

  test('skips a digest document handed over as a record instead of rejecting it', () => {
    expect(
      cloudTrailFormat
        .createParser()
        .parse('{"awsAccountId":"111122223333","digestStartTime":"2015-08-17T14:01:31Z","digestEndTime":"2015-08-17T15:01:31Z"}', 1),
    ).toBe(SKIP);
  });

  test('matches every fixture file with its expected output', () => {
    const names = readdirSync(FIXTURES).filter((name) => name.endsWith('.json'));
    expect(names.length).toBeGreaterThanOrEqual(5);
    for (const name of names) {
      const expected = readExpectedJsonl(readFileSync(join(FIXTURES, name.replace(/\.json$/, '.expected.jsonl')), 'utf8'));
      const outputs = runParser(cloudTrailFormat.createParser(), recordTexts(readFileSync(join(FIXTURES, name), 'utf8'))).outputs;
      expect({ name, outputs }).toEqual({ name, outputs: expected });
    }
  });

  test('never throws, and every record it returns follows the schema', () => {
    const texts = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.jsonValue().map((value) => JSON.stringify(value)),
      fc
        .record(
          {
            eventTime: fc.oneof(fc.constant('2024-01-01T00:00:00Z'), fc.string(), fc.integer()),
            readOnly: fc.jsonValue(),
            extraKey: fc.jsonValue(),
          },
          { requiredKeys: [] },
        )
        .map((value) => JSON.stringify(value)),
    );
    fc.assert(
      fc.property(fc.array(texts, { maxLength: 20 }), (inputs) => {
        const parser = cloudTrailFormat.createParser();
        for (const text of inputs) {
          const result = parser.parse(text, 1);
          if (result instanceof Rejection) expect(result.reason.length).toBeGreaterThan(0);
          else if (result !== SKIP) expect({ text, problems: schemaViolations(result, parser.schema()) }).toEqual({ text, problems: [] });
        }
      }),
      { numRuns: 300 },
    );
  });

  test('rejects an event with a damaged eventTime or flag, naming the field, and gives the events around it their own records', () => {
    const events = [...generateCloudTrailDocuments({ records: 200, seed: 21 })].flatMap(
      (document) => (JSON.parse(document) as { Records: Array<Record<string, unknown>> }).Records,
    );
    const parseAlone = (text: string) => cloudTrailFormat.createParser().parse(text, 1);
    const damages = [
      { field: 'eventTime', value: 'yesterday', reason: 'eventTime: "yesterday" is not an ISO-8601 timestamp' },
      { field: 'eventTime', value: '2024-02-30T00:00:00Z', reason: 'eventTime: "2024-02-30T00:00:00Z" is not an ISO-8601 timestamp' },
      { field: 'eventTime', value: null, reason: 'eventTime: missing (every CloudTrail event has one)' },
      { field: 'readOnly', value: 'maybe', reason: 'readOnly: "maybe" is not a boolean' },
      { field: 'managementEvent', value: 1, reason: 'managementEvent: 1 is not a boolean' },
    ];
    const event = fc.oneof(
      fc.constantFrom(...events).map((value) => ({ text: JSON.stringify(value), expected: () => parseAlone(JSON.stringify(value)) })),
      fc.tuple(fc.constantFrom(...events), fc.constantFrom(...damages)).map(([value, damage]) => ({
        text: JSON.stringify({ ...value, [damage.field]: damage.value }),
        expected: () => new Rejection(damage.reason, damage.field),
      })),
    );
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 20 }), (sequence) => {
        const parser = cloudTrailFormat.createParser();
        sequence.forEach(({ text, expected }, index) => {
          expect({ text, result: parser.parse(text, index + 1) }).toEqual({ text, result: expected() });
        });
      }),
      { numRuns: 200 },
    );
  });
});

describe('isCloudTrailDigestKey', () => {
  test('recognises digest keys in plain and organization-trail layouts', () => {
    expect(
      isDigest(
        'AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/17/111122223333_CloudTrail-Digest_us-east-2_your-trail-name_us-east-2_20150817T150131Z.json.gz',
      ),
    ).toBe(true);
    expect(isDigest('prefix/AWSLogs/o-aaaabbbbcc/111122223333/CloudTrail-Digest/us-east-2/2015/08/17/x.json.gz')).toBe(true);
  });

  test('does not flag log files, organization-trail log files or Insights files', () => {
    expect(
      isDigest(
        'AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/01/111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz',
      ),
    ).toBe(false);
    expect(
      isDigest(
        'AWSLogs/o-aaaabbbbcc/111122223333/CloudTrail/us-east-2/2015/08/01/111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz',
      ),
    ).toBe(false);
    expect(isDigest('AWSLogs/111122223333/CloudTrail-Insight/us-east-2/2015/08/01/x.json.gz')).toBe(false);
  });
});
