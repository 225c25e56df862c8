/**
 * @module sources/key-date
 * The UTC day an AWS log object belongs to, read from its key, so `since`/`until` can prune whole days of
 * objects without reading them. Recognised layouts (docs/formats/README.md describes them per format):
 * - `.../AWSLogs/[o-id/]<account>/<service>/<region>/YYYY/MM/DD/...` (ALB, CLB, VPC flow, CloudTrail) and
 *   S3 access logs' partitioned prefix `<account>/<region>/<bucket>/YYYY/MM/DD/...`: any `/YYYY/MM/DD/` run;
 * - Hive layouts `year=YYYY/month=MM/day=DD` (VPC flow, CUR);
 * - S3 access logs' simple prefix: a file name starting `YYYY-MM-DD-HH-MM-SS-`;
 * - CloudFront: `<distribution>.YYYY-MM-DD-HH.<id>[.gz]`.
 * Keys outside these layouts have no day and are always kept.
 */
import { daysFromCivil } from '../../core/time.js';

const SLASHED = /(?:^|\/)(\d{4})\/(\d{2})\/(\d{2})\//;
const HIVE = /(?:^|\/)year=(\d{4})\/month=(\d{1,2})(?:\/day=(\d{1,2}))?(?:\/|$)/;
const S3_ACCESS_NAME = /(?:^|\/)(\d{4})-(\d{2})-(\d{2})-\d{2}-\d{2}-\d{2}-[0-9A-Za-z]+$/;
const CLOUDFRONT_NAME = /\/[A-Z0-9]+\.(\d{4})-(\d{2})-(\d{2})-\d{2}\.[0-9a-z]+(?:\.gz)?$/;

function dayOf(year: string | undefined, month: string | undefined, day: string | undefined): number | undefined {
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  if (!(y >= 1990 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 && d <= 31)) return undefined;
  return daysFromCivil(y, m, d);
}

/** A span of UTC days, inclusive: `[firstDay, lastDay]` in days since 1970-01-01. */
export interface DaySpan {
  readonly firstDay: number;
  readonly lastDay: number;
}

/**
 * The span of days an object's key says it holds, or `undefined` when the key follows no known layout.
 * A Hive key with a month but no day spans the whole month.
 * @example keyDays('s3://b/AWSLogs/1/elasticloadbalancing/us-east-1/2024/01/02/x.log.gz') // { firstDay: 19724, lastDay: 19724 }
 */
export function keyDays(key: string): DaySpan | undefined {
  let match = SLASHED.exec(key) ?? S3_ACCESS_NAME.exec(key) ?? CLOUDFRONT_NAME.exec(key);
  if (match !== null) {
    const day = dayOf(match[1], match[2], match[3]);
    return day === undefined ? undefined : { firstDay: day, lastDay: day };
  }
  match = HIVE.exec(key);
  if (match === null) return undefined;
  if (match[3] !== undefined) {
    const day = dayOf(match[1], match[2], match[3]);
    return day === undefined ? undefined : { firstDay: day, lastDay: day };
  }
  const first = dayOf(match[1], match[2], '1');
  if (first === undefined) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  return { firstDay: first, lastDay: daysFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - 1 };
}
