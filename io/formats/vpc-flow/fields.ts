/**
 * @module formats/vpc-flow/fields
 * The VPC flow log field table, versions 2 to 11, and the Transit Gateway flow log fields (version 6): the
 * hyphenated token used in format strings and S3 header lines, the record column (hyphens become underscores),
 * the column type, the version that introduced it, and the documented value set of enumerated fields.
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html
 * @see https://docs.aws.amazon.com/vpc/latest/tgw/tgw-flow-logs.html
 */

/** How a token is converted: kept as text, or read as a 32- or 64-bit integer. */
export type VpcValueKind = 'string' | 'int32' | 'int64';

/** One known VPC flow log field. */
export interface VpcFieldSpec {
  /** Token in a format string or header line, e.g. `account-id`. */
  readonly token: string;
  /** Record column, e.g. `account_id`. */
  readonly column: string;
  readonly kind: VpcValueKind;
  /** First flow log version with this field. */
  readonly version: number;
  readonly doc: string;
  /** The documented values of an enumerated text field; any other value rejects the line. */
  readonly values?: readonly string[];
  /** The documented range of an enumerated integer field, inclusive. */
  readonly range?: readonly [min: number, max: number];
}

function spec(
  token: string,
  kind: VpcValueKind,
  version: number,
  doc: string,
  allowed?: readonly string[] | readonly [number, number],
): VpcFieldSpec {
  const base = { token, column: token.replaceAll('-', '_'), kind, version, doc };
  if (allowed === undefined) return base;
  return typeof allowed[0] === 'number'
    ? { ...base, range: allowed as readonly [number, number] }
    : { ...base, values: allowed as readonly string[] };
}

/** Every documented field, in the order of the AWS table. */
export const VPC_FIELDS: readonly VpcFieldSpec[] = [
  spec('version', 'int32', 2, 'flow log version: 2 for the default format, else the highest version of the selected fields'),
  spec('account-id', 'string', 2, 'AWS account id owning the source interface (may be `unknown`); kept as text'),
  spec('interface-id', 'string', 2, 'network interface id (eni-…)'),
  spec('srcaddr', 'string', 2, 'source IPv4 or IPv6 address'),
  spec('dstaddr', 'string', 2, 'destination IPv4 or IPv6 address'),
  spec('srcport', 'int32', 2, 'source port (null for ICMP and NODATA/SKIPDATA)'),
  spec('dstport', 'int32', 2, 'destination port'),
  spec('protocol', 'int32', 2, 'IANA protocol number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6)'),
  spec('packets', 'int64', 2, 'packets transferred during the aggregation interval'),
  spec('bytes', 'int64', 2, 'bytes transferred during the aggregation interval'),
  spec('start', 'int64', 2, 'first packet of the interval, Unix epoch seconds (event time)'),
  spec('end', 'int64', 2, 'last packet of the interval, Unix epoch seconds'),
  spec('action', 'string', 2, 'ACCEPT or REJECT (null for NODATA/SKIPDATA)', ['ACCEPT', 'REJECT']),
  spec('log-status', 'string', 2, 'OK, NODATA (no traffic) or SKIPDATA (records skipped)', ['OK', 'NODATA', 'SKIPDATA']),
  spec('vpc-id', 'string', 3, 'VPC id'),
  spec('subnet-id', 'string', 3, 'subnet id'),
  spec('instance-id', 'string', 3, 'instance id (null for requester-managed interfaces)'),
  spec('tcp-flags', 'int32', 3, 'OR-ed TCP flags: FIN 1, SYN 2, RST 4, SYN-ACK 18'),
  spec('type', 'string', 3, 'traffic type: IPv4, IPv6 or EFA', ['IPv4', 'IPv6', 'EFA']),
  spec('pkt-srcaddr', 'string', 3, 'packet-level original source address (through NAT gateways, EKS pods)'),
  spec('pkt-dstaddr', 'string', 3, 'packet-level original destination address'),
  spec('region', 'string', 4, 'region of the interface'),
  spec('az-id', 'string', 4, 'availability zone id, e.g. use1-az1'),
  spec('sublocation-type', 'string', 4, 'wavelength, outpost or localzone', ['wavelength', 'outpost', 'localzone']),
  spec('sublocation-id', 'string', 4, 'sublocation id'),
  spec('pkt-src-aws-service', 'string', 5, 'AWS ip-ranges service of the packet source (S3, EC2, …)'),
  spec('pkt-dst-aws-service', 'string', 5, 'AWS ip-ranges service of the packet destination'),
  spec('flow-direction', 'string', 5, 'ingress or egress, relative to the interface', ['ingress', 'egress']),
  spec('traffic-path', 'int32', 5, 'egress path: 1 same VPC … 8 internet gateway (see AWS table)', [1, 8]),
  spec('ecs-cluster-arn', 'string', 7, 'ECS cluster ARN'),
  spec('ecs-cluster-name', 'string', 7, 'ECS cluster name'),
  spec('ecs-container-instance-arn', 'string', 7, 'ECS container instance ARN (null on Fargate)'),
  spec('ecs-container-instance-id', 'string', 7, 'ECS container instance id (null on Fargate)'),
  spec('ecs-container-id', 'string', 7, 'Docker runtime id of the first container'),
  spec('ecs-second-container-id', 'string', 7, 'Docker runtime id of the second container'),
  spec('ecs-service-name', 'string', 7, 'ECS service name'),
  spec('ecs-task-definition-arn', 'string', 7, 'ECS task definition ARN'),
  spec('ecs-task-arn', 'string', 7, 'ECS task ARN'),
  spec('ecs-task-id', 'string', 7, 'ECS task id'),
  spec('reject-reason', 'string', 8, 'why the traffic was rejected, e.g. BPA (VPC Block Public Access)'),
  spec('resource-id', 'string', 9, 'resource id, e.g. nat-… for a regional NAT gateway'),
  spec('encryption-status', 'int32', 10, '0 not encrypted, 1 Nitro, 2 application, 3 both', [0, 3]),
  spec('instance-tag', 'string', 11, 'instance tag value (percent-encoded UTF-8)'),
  spec('instance-tag-2', 'string', 11, 'second instance tag value'),
  spec('interface-tag', 'string', 11, 'interface tag value'),
  spec('interface-tag-2', 'string', 11, 'second interface tag value'),
  spec('asg-tag', 'string', 11, 'Auto Scaling group tag value'),
  spec('asg-tag-2', 'string', 11, 'second Auto Scaling group tag value'),
  spec('interface-type', 'string', 11, 'nat_gateway, network_load_balancer, regional_nat_gateway, transit_gateway, vpc_endpoint'),
  spec('next-hop-interface-id', 'string', 11, 'next-hop interface id'),
  spec('next-hop-subnet-id', 'string', 11, 'next-hop subnet id'),
  spec('next-hop-az-id', 'string', 11, 'next-hop availability zone id (compare with az_id for cross-AZ traffic)'),
  spec('next-hop-vpc-id', 'string', 11, 'next-hop VPC id'),
  spec('next-hop-interface-type', 'string', 11, 'next-hop interface type'),
  // Transit Gateway flow logs (their default format is version 6); they share the address, port, count, time
  // and status fields above.
  spec('resource-type', 'string', 6, 'Transit Gateway flow logs: the resource type, TransitGateway', ['TransitGateway']),
  spec('tgw-id', 'string', 6, 'transit gateway id (tgw-…)'),
  spec('tgw-attachment-id', 'string', 6, 'transit gateway attachment id (tgw-attach-…)'),
  spec('tgw-src-vpc-account-id', 'string', 6, 'account of the source VPC'),
  spec('tgw-dst-vpc-account-id', 'string', 6, 'account of the destination VPC'),
  spec('tgw-src-vpc-id', 'string', 6, 'source VPC id'),
  spec('tgw-dst-vpc-id', 'string', 6, 'destination VPC id'),
  spec('tgw-src-subnet-id', 'string', 6, 'source subnet id'),
  spec('tgw-dst-subnet-id', 'string', 6, 'destination subnet id'),
  spec('tgw-src-eni', 'string', 6, 'source attachment network interface id'),
  spec('tgw-dst-eni', 'string', 6, 'destination attachment network interface id'),
  spec('tgw-src-az-id', 'string', 6, 'availability zone id of the source'),
  spec('tgw-dst-az-id', 'string', 6, 'availability zone id of the destination'),
  spec('tgw-pair-attachment-id', 'string', 6, 'the other attachment of the flow (ingress or egress side)'),
  spec('packets-lost-no-route', 'int64', 6, 'packets dropped: no route in the transit gateway route table'),
  spec('packets-lost-blackhole', 'int64', 6, 'packets dropped: blackhole route'),
  spec('packets-lost-mtu-exceeded', 'int64', 6, 'packets dropped: larger than the MTU'),
  spec('packets-lost-ttl-expired', 'int64', 6, 'packets dropped: TTL expired'),
];

/** The default (version 2) format: the 14 fields every flow log without a custom format has, in order. */
export const DEFAULT_VPC_FORMAT: readonly string[] = [
  'version',
  'account-id',
  'interface-id',
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'packets',
  'bytes',
  'start',
  'end',
  'action',
  'log-status',
];

/** The default Transit Gateway flow log format (version 6), in order. */
export const DEFAULT_TGW_FORMAT: readonly string[] = [
  'version',
  'resource-type',
  'account-id',
  'tgw-id',
  'tgw-attachment-id',
  'tgw-src-vpc-account-id',
  'tgw-dst-vpc-account-id',
  'tgw-src-vpc-id',
  'tgw-dst-vpc-id',
  'tgw-src-subnet-id',
  'tgw-dst-subnet-id',
  'tgw-src-eni',
  'tgw-dst-eni',
  'tgw-src-az-id',
  'tgw-dst-az-id',
  'tgw-pair-attachment-id',
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'packets',
  'bytes',
  'start',
  'end',
  'log-status',
  'type',
  'packets-lost-no-route',
  'packets-lost-blackhole',
  'packets-lost-mtu-exceeded',
  'packets-lost-ttl-expired',
  'tcp-flags',
  'region',
  'flow-direction',
  'pkt-src-aws-service',
  'pkt-dst-aws-service',
];

const BY_TOKEN = new Map<string, VpcFieldSpec>();
for (const field of VPC_FIELDS) {
  BY_TOKEN.set(field.token, field);
  BY_TOKEN.set(field.column, field);
}

/** The known field named by a header or format token (`log-status` or `log_status`), or `undefined`. */
export function findVpcField(token: string): VpcFieldSpec | undefined {
  return BY_TOKEN.get(token);
}
