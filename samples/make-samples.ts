/**
 * Regenerates the sample logs in samples/ (deterministic): a few lines from the AWS documentation plus
 * synthetic lines from the format generators, laid out as AWS delivers them. Run from the repository root:
 *   node --import tsx samples/make-samples.ts
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { cloudWatchEnvelopeGenerator, GENERATORS } from '../cli/generators.js';
import type { LogTypeName } from '../io/formats/types.js';

const here = dirname(fileURLToPath(import.meta.url));
const DAY_MICROS = 86_400_000_000;
const JUNE_1 = Date.UTC(2024, 5, 1) * 1000;

function put(relative: string, text: string, gzip: boolean): void {
  const path = join(here, relative);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, gzip ? gzipSync(text, { level: 9 }) /* Node writes mtime 0: samples are byte-identical across runs */ : text);
}

function synthetic(type: LogTypeName, records: number, seed: number, startMicros: number): string {
  return `${[...GENERATORS[type].generate({ records, seed, startMicros })].join('\n')}\n`;
}

const docs = (name: string): string => readFileSync(join(here, 'aws-doc-examples', name), 'utf8');

for (const type of [
  'alb',
  'clb',
  'nlb',
  'cloudfront',
  's3_access',
  'vpc_flow',
  'cloudtrail',
  'cur',
  'csv',
  'waf',
  'route53_resolver',
  'network_firewall',
  'cloudwatch',
])
  rmSync(join(here, type), { recursive: true, force: true });

// ALB: two days of synthetic traffic plus the documented example lines (2018) and one truncated line.
const albPrefix = 'alb/AWSLogs/123456789012/elasticloadbalancing/us-east-1';
put(
  `${albPrefix}/2024/06/01/123456789012_elasticloadbalancing_us-east-1_app.web.50dc6c495c0c9188_20240601T0000Z_10.0.0.10_2bqvxcxb.log.gz`,
  synthetic('alb', 300, 11, JUNE_1),
  true,
);
put(
  `${albPrefix}/2024/06/02/123456789012_elasticloadbalancing_us-east-1_app.web.50dc6c495c0c9188_20240602T0000Z_10.0.0.10_5pl7w1z9.log.gz`,
  synthetic('alb', 300, 12, JUNE_1 + DAY_MICROS),
  true,
);
put(
  `${albPrefix}/2018/07/02/123456789012_elasticloadbalancing_us-east-1_app.my-loadbalancer.50dc6c495c0c9188_20180702T2220Z_10.0.0.1_docs.log.gz`,
  docs('alb.txt'),
  true,
);

const clbPrefix = 'clb/AWSLogs/123456789012/elasticloadbalancing/us-east-1';
put(
  `${clbPrefix}/2024/06/01/123456789012_elasticloadbalancing_us-east-1_my-loadbalancer_20240601T0000Z_172.160.001.192_20sg8hgm.log.gz`,
  synthetic('clb', 200, 21, JUNE_1),
  true,
);
put(
  `${clbPrefix}/2015/05/13/123456789012_elasticloadbalancing_us-east-1_my-loadbalancer_20150513T2335Z_192.168.131.39_docs.log.gz`,
  docs('clb.txt'),
  true,
);

// NLB: TLS connections of one day plus the documented example lines (without and with an ALPN policy).
const nlbPrefix = 'nlb/AWSLogs/123456789012/elasticloadbalancing/us-east-1';
put(
  `${nlbPrefix}/2024/06/01/123456789012_elasticloadbalancing_us-east-1_net.tls-lb.1234567890abcdef_20240601T0000Z_20sg8hgm.log.gz`,
  synthetic('nlb', 200, 91, JUNE_1),
  true,
);
put(
  `${nlbPrefix}/2020/04/01/123456789012_elasticloadbalancing_us-east-1_net.my-network-loadbalancer.c6e77e28c25b2234_20200401T0855Z_docs0001.log.gz`,
  docs('nlb.txt'),
  true,
);

put('cloudfront/E2EXAMPLE123.2024-06-01-00.a1b2c3d4.gz', synthetic('cloudfront', 200, 31, JUNE_1), true);
put('cloudfront/E2EXAMPLE123.2019-12-04-21.docs0001.gz', docs('cloudfront.txt'), true);

put('s3_access/2024-06-01-00-00-00-5A4E1B2C3D4E5F60', synthetic('s3_access', 200, 41, JUNE_1), false);
put('s3_access/2019-02-06-00-00-00-DOCSEXAMPLE00001', docs('s3-access.txt'), false);

const vpcPrefix = 'vpc_flow/AWSLogs/123456789012/vpcflowlogs/us-east-1';
put(
  `${vpcPrefix}/2024/06/01/123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20240601T0000Z_a1b2c3d4.log.gz`,
  synthetic('vpc_flow', 400, 51, JUNE_1),
  true,
);
put(`${vpcPrefix}/2015/05/13/123456789012_vpcflowlogs_us-east-1_fl-docs_20150513T0000Z_docs.log.gz`, docs('vpc-flow.txt'), true);

const trailPrefix = 'cloudtrail/AWSLogs/123456789012/CloudTrail/us-east-1/2024/06/01';
const trail = [...GENERATORS.cloudtrail.generate({ records: 120, seed: 61, startMicros: JUNE_1 })];
for (const [index, document] of trail.entries())
  put(
    `${trailPrefix}/123456789012_CloudTrail_us-east-1_20240601T${String(index).padStart(2, '0')}00Z_EXAMPLE${index}.json.gz`,
    document,
    true,
  );
put(
  'cloudtrail/AWSLogs/123456789012/CloudTrail/us-east-2/2014/03/06/123456789012_CloudTrail_us-east-2_20140306T2125Z_DOCS.json.gz',
  docs('cloudtrail.json'),
  true,
);

put('cur/report-name/20240601-20240701/report-name-00001.csv.gz', synthetic('cur', 300, 71, JUNE_1), true);
put('csv/audit-2024-06-01.csv', synthetic('csv', 200, 81, JUNE_1), false);

// WAF: S3 delivery layout AWSLogs/<account>/WAFLogs/<region>/<web-acl>/YYYY/MM/DD/HH/mm/, five-minute files.
const wafPrefix = 'waf/AWSLogs/123456789012/WAFLogs/us-east-1/my-web-acl';
put(
  `${wafPrefix}/2024/06/01/00/00/123456789012_waflogs_us-east-1_my-web-acl_20240601T0000Z_a1b2c3d4.log.gz`,
  synthetic('waf', 300, 91, JUNE_1),
  true,
);
put(
  'waf/AWSLogs/123456789012/WAFLogs/us-east-1/my-web-acl/2019/12/13/23/40/123456789012_waflogs_us-east-1_my-web-acl_20191213T2340Z_docs0001.log.gz',
  docs('waf.txt'),
  true,
);

// Route 53 Resolver query logs: AWSLogs/<account>/vpcdnsquerylogs/<vpc-id>/YYYY/MM/DD/<vpc-id>_vpcdnsquerylogs_<account>_<time>_<hash>.log.gz.
const resolverPrefix = 'route53_resolver/AWSLogs/123456789012/vpcdnsquerylogs/vpc-0a1b2c3d4e5f60718';
put(
  `${resolverPrefix}/2024/06/01/vpc-0a1b2c3d4e5f60718_vpcdnsquerylogs_123456789012_20240601T0000Z_e5f6a7b8.log.gz`,
  synthetic('route53_resolver', 300, 101, JUNE_1),
  true,
);
put(
  'route53_resolver/AWSLogs/111122223333/vpcdnsquerylogs/vpc-7example/2021/02/04/vpc-7example_vpcdnsquerylogs_111122223333_20210204T1750Z_docs0001.log.gz',
  docs('route53-resolver.txt'),
  true,
);
const firewallPrefix = 'network_firewall/AWSLogs/123456789012/network-firewall/alert/us-east-1/egress-fw';
put(
  `${firewallPrefix}/2024/06/01/00/123456789012_network-firewall_alert_202406010000_a1b2c3d4.log.gz`,
  synthetic('network_firewall', 300, 91, JUNE_1),
  true,
);
put(`${firewallPrefix}/2020/10/13/22/123456789012_network-firewall_alert_202010132210_docs.log.gz`, docs('network-firewall.txt'), true);

// CloudWatch Logs subscription deliveries (Firehose to S3): Firehose's YYYY/MM/DD/HH/ prefix and object names,
// no extension; each Firehose record is one envelope gzipped by CloudWatch Logs, so an object is concatenated
// gzip members of envelopes with nothing between them. A CONTROL_MESSAGE comes first, as after a subscription starts.
function putEnvelopes(relative: string, type: 'vpc_flow' | 'cloudtrail', records: number, seed: number): void {
  const envelopes = [...cloudWatchEnvelopeGenerator(type)!.generate({ records, seed, startMicros: JUNE_1 })];
  const path = join(here, relative);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, Buffer.concat(envelopes.map((envelope) => gzipSync(envelope, { level: 9 }))));
}
putEnvelopes(
  'cloudwatch/vpc_flow/2024/06/01/00/vpc-flow-to-s3-1-2024-06-01-00-05-00-3f1c2a1e-5b7d-4e0a-9c61-2d8f0b6a7e11',
  'vpc_flow',
  200,
  111,
);
putEnvelopes(
  'cloudwatch/cloudtrail/2024/06/01/00/cloudtrail-to-s3-1-2024-06-01-00-10-00-8a2e4c6d-1f3b-4d5e-a7c9-0b1d2e3f4a5b',
  'cloudtrail',
  100,
  121,
);
