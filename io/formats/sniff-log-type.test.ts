import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { sniffLogType, SNIFF_BYTES } from './sniff-log-type.js';
import type { LogTypeName } from './types.js';

const SAMPLES = fileURLToPath(new URL('../../samples/', import.meta.url));

/**
 * The type each shipped sample is, from where it lives (samples/<type>/..., aws-doc-examples/<type>.txt, and
 * samples/cloudwatch/<type>/... for CloudWatch Logs envelopes carrying <type>).
 */
function expectedType(path: string): LogTypeName {
  const [top, name] = relative(SAMPLES, path).split('/') as [string, string];
  const key = top === 'aws-doc-examples' ? name.replace(/\.(txt|json)$/, '') : top === 'cloudwatch' ? name : top;
  return (
    {
      alb: 'alb',
      clb: 'clb',
      nlb: 'nlb',
      cloudfront: 'cloudfront',
      cloudtrail: 'cloudtrail',
      cur: 'cur',
      csv: 'csv',
      s3_access: 's3_access',
      's3-access': 's3_access',
      vpc_flow: 'vpc_flow',
      'vpc-flow': 'vpc_flow',
      waf: 'waf',
      route53_resolver: 'route53_resolver',
      'route53-resolver': 'route53_resolver',
      network_firewall: 'network_firewall',
      'network-firewall': 'network_firewall',
    } as const
  )[key]!;
}

function sampleFiles(): string[] {
  return (
    readdirSync(SAMPLES, { recursive: true, withFileTypes: true })
      // samples/pipelines/ holds declarative pipelines and their test fixtures, not a sample per log type.
      .filter(
        (entry) => entry.isFile() && !/\.(ts|md|yaml)$/.test(entry.name) && !relative(SAMPLES, entry.parentPath).startsWith('pipelines'),
      )
      .map((entry) => join(entry.parentPath, entry.name))
      .sort()
  );
}

function head(path: string): string {
  const bytes = readFileSync(path);
  return (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).subarray(0, SNIFF_BYTES).toString('utf8');
}

describe('sniffLogType', () => {
  const files = sampleFiles();

  it('finds a sample of every log type', () => {
    expect(new Set(files.map(expectedType))).toEqual(
      new Set([
        'alb',
        'clb',
        'nlb',
        'cloudfront',
        'cloudtrail',
        'cur',
        'csv',
        's3_access',
        'vpc_flow',
        'waf',
        'route53_resolver',
        'network_firewall',
      ]),
    );
  });

  it.each(files.map((file) => [relative(SAMPLES, file), file]))('recognises %s', (name, file) => {
    const sniffed = sniffLogType(head(file));
    expect(sniffed?.type).toBe(expectedType(file));
    expect(sniffed?.envelope).toBe(name.startsWith('cloudwatch/') ? 'cloudwatch' : undefined);
  });

  it('names CloudTrail JSON as such, for the "looks like" message', () => {
    expect(sniffLogType('{"Records":[{"eventVersion":"1.09"}]}')).toEqual({ type: 'cloudtrail', label: 'CloudTrail JSON' });
  });

  it('ignores a line cut off at the end of the head', () => {
    const alb = head(files.find((file) => expectedType(file) === 'alb' && file.endsWith('.gz'))!);
    const cut = `${alb.split('\n').slice(0, 3).join('\n')}\nhttp 2024-06-01T00:0`;
    expect(sniffLogType(cut)?.type).toBe('alb');
  });

  it('recognises nothing in text that is no log', () => {
    expect(sniffLogType('')).toBeUndefined();
    expect(sniffLogType('hello world\nthis is a letter, not a log\n')).toBeUndefined();
    expect(sniffLogType('\u0000\u0001\u0002binary')).toBeUndefined();
  });
});
