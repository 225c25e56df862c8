/**
 * @module formats/vpc-flow/schema
 * The VPC flow log record: every known field (versions 2 to 11) as a nullable column, so files with different
 * custom formats produce the same columns; fields absent from a file's format are null. `start` and `end` stay
 * Unix epoch seconds (int64). Tokens beyond the format are kept in `extra`; unknown header names become string
 * columns of their own (the parser's schema widens).
 */
import { field, schema, type Schema } from '../../../core/schema.js';
import { VPC_FIELDS } from './fields.js';

/** One flow log record. Numbers are JS numbers (int64 values stay below 2^53). */
export interface VpcFlowRecord {
  readonly version: number | null;
  readonly account_id: string | null;
  readonly interface_id: string | null;
  readonly srcaddr: string | null;
  readonly dstaddr: string | null;
  readonly srcport: number | null;
  readonly dstport: number | null;
  readonly protocol: number | null;
  readonly packets: number | null;
  readonly bytes: number | null;
  readonly start: number | null;
  readonly end: number | null;
  readonly action: string | null;
  readonly log_status: string | null;
  readonly vpc_id: string | null;
  readonly subnet_id: string | null;
  readonly instance_id: string | null;
  readonly tcp_flags: number | null;
  readonly type: string | null;
  readonly pkt_srcaddr: string | null;
  readonly pkt_dstaddr: string | null;
  readonly region: string | null;
  readonly az_id: string | null;
  readonly sublocation_type: string | null;
  readonly sublocation_id: string | null;
  readonly pkt_src_aws_service: string | null;
  readonly pkt_dst_aws_service: string | null;
  readonly flow_direction: string | null;
  readonly traffic_path: number | null;
  readonly ecs_cluster_arn: string | null;
  readonly ecs_cluster_name: string | null;
  readonly ecs_container_instance_arn: string | null;
  readonly ecs_container_instance_id: string | null;
  readonly ecs_container_id: string | null;
  readonly ecs_second_container_id: string | null;
  readonly ecs_service_name: string | null;
  readonly ecs_task_definition_arn: string | null;
  readonly ecs_task_arn: string | null;
  readonly ecs_task_id: string | null;
  readonly reject_reason: string | null;
  readonly resource_id: string | null;
  readonly encryption_status: number | null;
  readonly instance_tag: string | null;
  readonly instance_tag_2: string | null;
  readonly interface_tag: string | null;
  readonly interface_tag_2: string | null;
  readonly asg_tag: string | null;
  readonly asg_tag_2: string | null;
  readonly interface_type: string | null;
  readonly next_hop_interface_id: string | null;
  readonly next_hop_subnet_id: string | null;
  readonly next_hop_az_id: string | null;
  readonly next_hop_vpc_id: string | null;
  readonly next_hop_interface_type: string | null;
  /** Tokens after the last format field (AWS may append fields), or null. */
  readonly extra: readonly string[] | null;
  /** Columns named by unknown header tokens (hyphens become underscores), as text. */
  readonly [column: string]: string | number | readonly string[] | null;
}

/** A record being filled by the parser. */
export type MutableVpcFlowRecord = { -readonly [K in keyof VpcFlowRecord]: VpcFlowRecord[K] };

/** A record with every known column null; the parser fills the columns of the file's format. */
export function emptyVpcFlowRecord(): MutableVpcFlowRecord {
  // One literal keeps every record on the same hidden class.
  return {
    version: null,
    account_id: null,
    interface_id: null,
    srcaddr: null,
    dstaddr: null,
    srcport: null,
    dstport: null,
    protocol: null,
    packets: null,
    bytes: null,
    start: null,
    end: null,
    action: null,
    log_status: null,
    vpc_id: null,
    subnet_id: null,
    instance_id: null,
    tcp_flags: null,
    type: null,
    pkt_srcaddr: null,
    pkt_dstaddr: null,
    region: null,
    az_id: null,
    sublocation_type: null,
    sublocation_id: null,
    pkt_src_aws_service: null,
    pkt_dst_aws_service: null,
    flow_direction: null,
    traffic_path: null,
    ecs_cluster_arn: null,
    ecs_cluster_name: null,
    ecs_container_instance_arn: null,
    ecs_container_instance_id: null,
    ecs_container_id: null,
    ecs_second_container_id: null,
    ecs_service_name: null,
    ecs_task_definition_arn: null,
    ecs_task_arn: null,
    ecs_task_id: null,
    reject_reason: null,
    resource_id: null,
    encryption_status: null,
    instance_tag: null,
    instance_tag_2: null,
    interface_tag: null,
    interface_tag_2: null,
    asg_tag: null,
    asg_tag_2: null,
    interface_type: null,
    next_hop_interface_id: null,
    next_hop_subnet_id: null,
    next_hop_az_id: null,
    next_hop_vpc_id: null,
    next_hop_interface_type: null,
    extra: null,
  };
}

/** The declared schema: all known fields, nullable, then `extra` (JSON array of trailing tokens). */
export const vpcFlowSchema: Schema = schema([
  ...VPC_FIELDS.map((spec) => field(spec.column, spec.kind, { doc: spec.doc })),
  field('extra', 'json', { doc: 'tokens after the last format field, as a JSON array of strings' }),
]);
