/**
 * @module formats/cloudtrail/generate
 * Deterministic synthetic CloudTrail files: whole `{"Records":[...]}` documents as S3 would hold them (before
 * gzip). Principals of every common type (IAMUser, AssumedRole, Root, AWSService), read and write calls, errors
 * (AccessDenied, throttling), several regions, and times spread over nights and weekends. Records within a file
 * are not sorted, as in real deliveries.
 */
import { MICROS_PER_DAY, microsToIso } from '../../../core/time.js';
import { SeededRandom } from '../../generate/random.js';

/** Options for `generateCloudTrailDocuments`. */
export interface CloudTrailGeneratorOptions {
  /** Total number of event records over all documents. */
  readonly records: number;
  readonly seed: number;
  /** Records per document (default 100; the last document may hold fewer). */
  readonly recordsPerFile?: number;
  /** Earliest event time, epoch µs (default 2024-03-01T00:00:00Z, a Friday). */
  readonly startMicros?: number;
  /** Events spread over this many days (default 7, so nights and a weekend are included). */
  readonly spanDays?: number;
}

const ACCOUNT = '123456789012';
const REGIONS = ['us-east-1', 'us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'ap-northeast-1'];
const USER_AGENTS = [
  'aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0 exe/x86_64.amzn.2',
  'console.amazonaws.com',
  'Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux',
  'aws-sdk-js/3.540.0 os/linux lang/js md/nodejs#20.11.1',
  'signin.amazonaws.com',
];

interface Api {
  readonly source: string;
  readonly name: string;
  readonly readOnly: boolean;
  readonly category?: string;
}

const APIS: readonly Api[] = [
  { source: 'ec2.amazonaws.com', name: 'DescribeInstances', readOnly: true },
  { source: 'ec2.amazonaws.com', name: 'StartInstances', readOnly: false },
  { source: 'ec2.amazonaws.com', name: 'StopInstances', readOnly: false },
  { source: 's3.amazonaws.com', name: 'GetObject', readOnly: true, category: 'Data' },
  { source: 's3.amazonaws.com', name: 'PutObject', readOnly: false, category: 'Data' },
  { source: 's3.amazonaws.com', name: 'ListBuckets', readOnly: true },
  { source: 'iam.amazonaws.com', name: 'CreateAccessKey', readOnly: false },
  { source: 'iam.amazonaws.com', name: 'ListUsers', readOnly: true },
  { source: 'sts.amazonaws.com', name: 'AssumeRole', readOnly: false },
  { source: 'kms.amazonaws.com', name: 'Decrypt', readOnly: true },
  { source: 'cloudtrail.amazonaws.com', name: 'UpdateTrail', readOnly: false },
  { source: 'monitoring.amazonaws.com', name: 'GetMetricData', readOnly: true },
  { source: 'signin.amazonaws.com', name: 'ConsoleLogin', readOnly: false },
];

function identity(random: SeededRandom, at: number): { type: string; value: Record<string, unknown> } {
  const roll = random.next();
  if (roll < 0.35) {
    const user = random.pick(['Alice', 'Bob', 'deploy-bot', 'Zoë']);
    return {
      type: 'IAMUser',
      value: {
        type: 'IAMUser',
        principalId: `AIDA${random.hex(16).toUpperCase()}`,
        arn: `arn:aws:iam::${ACCOUNT}:user/${user}`,
        accountId: ACCOUNT,
        accessKeyId: `AKIA${random.hex(16).toUpperCase()}`,
        userName: user,
      },
    };
  }
  if (roll < 0.75) {
    const role = random.pick(['Admin', 'ReadOnly', 'lambda-exec', 'eks-node']);
    const basic = random.chance(0.1);
    const created = microsToIso(at - random.int(60, 3600) * 1_000_000);
    return {
      type: 'AssumedRole',
      value: {
        type: 'AssumedRole',
        principalId: `AROA${random.hex(16).toUpperCase()}:session-${random.hex(6)}`,
        arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/session`,
        accountId: ACCOUNT,
        accessKeyId: random.chance(0.1) ? '' : `ASIA${random.hex(16).toUpperCase()}`,
        sessionContext: {
          attributes: {
            mfaAuthenticated: random.chance(0.3) ? 'true' : 'false',
            creationDate: basic ? created.replaceAll('-', '').replaceAll(':', '') : created,
          },
          sessionIssuer: {
            type: 'Role',
            principalId: `AROA${random.hex(16).toUpperCase()}`,
            arn: `arn:aws:iam::${ACCOUNT}:role/${role}`,
            accountId: ACCOUNT,
            userName: role,
          },
        },
      },
    };
  }
  if (roll < 0.8)
    return {
      type: 'Root',
      value: { type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, userName: 'my-account-alias' },
    };
  return {
    type: 'AWSService',
    value: {
      type: 'AWSService',
      invokedBy: random.pick(['cloudtrail.amazonaws.com', 'autoscaling.amazonaws.com', 'lambda.amazonaws.com']),
    },
  };
}

function uuid(random: SeededRandom): string {
  return `${random.hex(8)}-${random.hex(4)}-4${random.hex(3)}-a${random.hex(3)}-${random.hex(12)}`;
}

function makeEvent(random: SeededRandom, at: number): Record<string, unknown> {
  const who = identity(random, at);
  const api = random.pick(APIS);
  const region = api.source === 'iam.amazonaws.com' || api.source === 'signin.amazonaws.com' ? 'us-east-1' : random.pick(REGIONS);
  const denied = random.chance(0.05);
  const throttled = !denied && random.chance(0.01);
  const service = who.type === 'AWSService';
  const event: Record<string, unknown> = {
    eventVersion: random.pick(['1.08', '1.09', '1.10', '1.11']),
    userIdentity: who.value,
    // Whole seconds as CloudTrail writes them; a few with milliseconds, which parsers must also accept.
    eventTime: random.chance(0.02) ? microsToIso(at - (at % 1000) + 1000 * random.int(1, 999)) : microsToIso(at - (at % 1_000_000)),
    eventSource: api.source,
    eventName: api.name,
    awsRegion: region,
    sourceIPAddress: service
      ? (who.value['invokedBy'] as string)
      : random.chance(0.05)
        ? 'AWS Internal'
        : random.chance(0.05)
          ? random.ipv6()
          : random.ipv4('public'),
    userAgent: service ? (who.value['invokedBy'] as string) : random.pick(USER_AGENTS),
  };
  if (denied) {
    event['errorCode'] = 'AccessDenied';
    event['errorMessage'] =
      `User: ${String(who.value['arn'] ?? 'unknown')} is not authorized to perform: ${api.source.split('.')[0]}:${api.name} because no identity-based policy allows the "${api.name}" action`;
  } else if (throttled) {
    event['errorCode'] = 'ThrottlingException';
    event['errorMessage'] = 'Rate exceeded';
  }
  event['requestParameters'] =
    api.readOnly && random.chance(0.4)
      ? null
      : {
          region,
          maxResults: random.int(1, 1000),
          filterSet: {
            items: [{ name: 'tag:env', valueSet: { items: [{ value: random.pick(['prod', 'dev, test', 'ünïcode "quoted"']) }] } }],
          },
        };
  event['responseElements'] = api.readOnly || denied ? null : { requestId: uuid(random), result: { code: 0, name: 'pending' } };
  event['requestID'] = uuid(random);
  event['eventID'] = uuid(random);
  event['readOnly'] = api.readOnly;
  if (random.chance(0.3))
    event['resources'] = [
      { ARN: `arn:aws:ec2:${region}:${ACCOUNT}:instance/i-${random.hex(17)}`, accountId: ACCOUNT, type: 'AWS::EC2::Instance' },
    ];
  event['eventType'] = api.name === 'ConsoleLogin' ? 'AwsConsoleSignIn' : service ? 'AwsServiceEvent' : 'AwsApiCall';
  event['managementEvent'] = api.category !== 'Data';
  event['recipientAccountId'] = ACCOUNT;
  event['eventCategory'] = api.category ?? 'Management';
  if (random.chance(0.2))
    event['tlsDetails'] = {
      tlsVersion: 'TLSv1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      clientProvidedHostHeader: `${api.source.split('.')[0]}.${region}.amazonaws.com`,
    };
  if (random.chance(0.02)) event['sessionCredentialFromConsole'] = 'true';
  if (random.chance(0.02)) event['someFutureField'] = { added: 'in eventVersion 1.12' };
  return event;
}

/**
 * Yields `{"Records":[...]}` documents holding `records` events in all, `recordsPerFile` per document.
 * Deterministic in `seed`.
 * @example JSON.parse([...generateCloudTrailDocuments({ records: 2, seed: 1 })][0]).Records.length // 2
 */
export function* generateCloudTrailDocuments(options: CloudTrailGeneratorOptions): Generator<string> {
  const random = new SeededRandom(options.seed);
  const perFile = Math.max(1, options.recordsPerFile ?? 100);
  const startMicros = options.startMicros ?? Date.UTC(2024, 2, 1) * 1000;
  const spanMicros = (options.spanDays ?? 7) * MICROS_PER_DAY;
  let made = 0;
  while (made < options.records) {
    const count = Math.min(perFile, options.records - made);
    const fileStart = startMicros + Math.floor((spanMicros * made) / options.records);
    const fileSpan = Math.max(1, Math.floor((spanMicros * count) / options.records));
    const events: Record<string, unknown>[] = [];
    for (let i = 0; i < count; i++) events.push(makeEvent(random, fileStart + random.int(0, fileSpan - 1)));
    made += count;
    yield JSON.stringify({ Records: events });
  }
}
