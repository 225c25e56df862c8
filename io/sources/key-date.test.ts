import { describe, expect, it } from '@jest/globals';
import { daysFromCivil } from '../../core/time.js';
import { globBase, globToRegExp } from './glob.js';
import { keyDays } from './key-date.js';

const day = (y: number, m: number, d: number) => daysFromCivil(y, m, d);

describe('keyDays', () => {
  it.each([
    ['s3://b/AWSLogs/123/elasticloadbalancing/us-east-1/2024/02/29/x.log.gz', day(2024, 2, 29)],
    ['s3://b/AWSLogs/o-abc/123/CloudTrail/eu-west-1/2023/12/31/123_CloudTrail_x.json.gz', day(2023, 12, 31)],
    [
      's3://b/AWSLogs/aws-account-id=1/aws-service=vpcflowlogs/aws-region=us-east-1/year=2024/month=01/day=05/hour=03/f.log.gz',
      day(2024, 1, 5),
    ],
    ['s3://b/access/123/us-east-1/my-bucket/2024/03/01/2024-03-01-10-00-00-ABCDEF', day(2024, 3, 1)],
    ['s3://b/access/2024-03-02-10-00-00-0123456789ABCDEF', day(2024, 3, 2)],
    ['s3://b/cf/E1ABC.2024-03-03-10.a1b2c3d4.gz', day(2024, 3, 3)],
    // Route 53 Resolver query logs: one folder per VPC before the date.
    [
      's3://b/dns/AWSLogs/123456789012/vpcdnsquerylogs/vpc-0a1b2c3d4e5f60718/2024/03/04/vpc-0a1b2c3d4e5f60718_vpcdnsquerylogs_123456789012_20240304T2355Z_e5f6a7b8.log.gz',
      day(2024, 3, 4),
    ],
    // Firehose (CloudWatch Logs subscriptions): YYYY/MM/DD/HH/ in UTC, object names without extension.
    ['s3://b/cw/vpc/2024/03/05/23/vpc-to-s3-1-2024-03-05-23-55-00-3f1c2a1e-5b7d-4e0a-9c61-2d8f0b6a7e11', day(2024, 3, 5)],
  ])('reads the day of %s', (key, expected) => {
    expect(keyDays(key)).toEqual({ firstDay: expected, lastDay: expected });
  });

  it('spans a whole month for a Hive key without a day', () => {
    expect(keyDays('s3://b/cur/report/year=2024/month=2/part-0.parquet')).toEqual({ firstDay: day(2024, 2, 1), lastDay: day(2024, 2, 29) });
  });

  it('has no day for keys outside the layouts or with impossible dates', () => {
    expect(keyDays('/data/logs/app.log')).toBeUndefined();
    expect(keyDays('s3://b/AWSLogs/1/elb/us-east-1/2024/13/01/x.log')).toBeUndefined();
  });
});

describe('globToRegExp', () => {
  it('matches * within a segment, ** across segments, classes and alternatives', () => {
    const re = globToRegExp('logs/**/*.{log,log.gz}');
    expect(re.test('logs/a.log')).toBe(true);
    expect(re.test('logs/x/y/a.log.gz')).toBe(true);
    expect(re.test('logs/x/a.txt')).toBe(false);
    expect(globToRegExp('a/*/b').test('a/x/y/b')).toBe(false);
    expect(globToRegExp('f[0-2].txt').test('f1.txt')).toBe(true);
    expect(globToRegExp('f[!0-2].txt').test('f1.txt')).toBe(false);
    expect(globToRegExp('a.b+c').test('a.b+c')).toBe(true);
    expect(globToRegExp('a.b+c').test('aXb+c')).toBe(false);
  });

  it('has the fixed directory before the first wildcard as its base', () => {
    expect(globBase('s3://b/AWSLogs/*/x/**')).toBe('s3://b/AWSLogs/');
    expect(globBase('*.log')).toBe('');
  });
});
