/**
 * @module formats/vpc-flow/schema
 * The VPC flow log record: every known field (versions 2 to 11, and the Transit Gateway fields) as a nullable
 * column, so files with different custom formats produce the same columns; fields absent from a file's format
 * are null. `start` and `end` stay Unix epoch seconds (int64). Unknown header names become string columns of
 * their own (the parser's schema widens). A line with more tokens than its format is rejected, not kept.
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
  readonly resource_type: string | null;
  readonly tgw_id: string | null;
  readonly tgw_attachment_id: string | null;
  readonly tgw_src_vpc_account_id: string | null;
  readonly tgw_dst_vpc_account_id: string | null;
  readonly tgw_src_vpc_id: string | null;
  readonly tgw_dst_vpc_id: string | null;
  readonly tgw_src_subnet_id: string | null;
  readonly tgw_dst_subnet_id: string | null;
  readonly tgw_src_eni: string | null;
  readonly tgw_dst_eni: string | null;
  readonly tgw_src_az_id: string | null;
  readonly tgw_dst_az_id: string | null;
  readonly tgw_pair_attachment_id: string | null;
  readonly packets_lost_no_route: number | null;
  readonly packets_lost_blackhole: number | null;
  readonly packets_lost_mtu_exceeded: number | null;
  readonly packets_lost_ttl_expired: number | null;
  /** Columns named by unknown header tokens (hyphens become underscores), as text. */
  readonly [column: string]: string | number | null;
}

/** A record being filled by the parser. */
export type MutableVpcFlowRecord = { -readonly [K in keyof VpcFlowRecord]: VpcFlowRecord[K] };

/** What the parser holds for one column of a line: text, a number, or null for `-` and absent fields. */
export type VpcFlowValue = string | number | null;

/**
 * A record whose known field `k` (in `VPC_FIELDS` order) is `values[slots[k]]`: the parser converts a line's
 * columns into `values` once and builds the record in one allocation, with no per-column property stores.
 */
export function vpcFlowRecordFrom(values: readonly VpcFlowValue[], slots: Int32Array): MutableVpcFlowRecord {
  // One literal keeps every record on the same hidden class; its key order is VPC_FIELDS' order (tested).
  return {
    version: numberAt(values, slots, 0),
    account_id: textAt(values, slots, 1),
    interface_id: textAt(values, slots, 2),
    srcaddr: textAt(values, slots, 3),
    dstaddr: textAt(values, slots, 4),
    srcport: numberAt(values, slots, 5),
    dstport: numberAt(values, slots, 6),
    protocol: numberAt(values, slots, 7),
    packets: numberAt(values, slots, 8),
    bytes: numberAt(values, slots, 9),
    start: numberAt(values, slots, 10),
    end: numberAt(values, slots, 11),
    action: textAt(values, slots, 12),
    log_status: textAt(values, slots, 13),
    vpc_id: textAt(values, slots, 14),
    subnet_id: textAt(values, slots, 15),
    instance_id: textAt(values, slots, 16),
    tcp_flags: numberAt(values, slots, 17),
    type: textAt(values, slots, 18),
    pkt_srcaddr: textAt(values, slots, 19),
    pkt_dstaddr: textAt(values, slots, 20),
    region: textAt(values, slots, 21),
    az_id: textAt(values, slots, 22),
    sublocation_type: textAt(values, slots, 23),
    sublocation_id: textAt(values, slots, 24),
    pkt_src_aws_service: textAt(values, slots, 25),
    pkt_dst_aws_service: textAt(values, slots, 26),
    flow_direction: textAt(values, slots, 27),
    traffic_path: numberAt(values, slots, 28),
    ecs_cluster_arn: textAt(values, slots, 29),
    ecs_cluster_name: textAt(values, slots, 30),
    ecs_container_instance_arn: textAt(values, slots, 31),
    ecs_container_instance_id: textAt(values, slots, 32),
    ecs_container_id: textAt(values, slots, 33),
    ecs_second_container_id: textAt(values, slots, 34),
    ecs_service_name: textAt(values, slots, 35),
    ecs_task_definition_arn: textAt(values, slots, 36),
    ecs_task_arn: textAt(values, slots, 37),
    ecs_task_id: textAt(values, slots, 38),
    reject_reason: textAt(values, slots, 39),
    resource_id: textAt(values, slots, 40),
    encryption_status: numberAt(values, slots, 41),
    instance_tag: textAt(values, slots, 42),
    instance_tag_2: textAt(values, slots, 43),
    interface_tag: textAt(values, slots, 44),
    interface_tag_2: textAt(values, slots, 45),
    asg_tag: textAt(values, slots, 46),
    asg_tag_2: textAt(values, slots, 47),
    interface_type: textAt(values, slots, 48),
    next_hop_interface_id: textAt(values, slots, 49),
    next_hop_subnet_id: textAt(values, slots, 50),
    next_hop_az_id: textAt(values, slots, 51),
    next_hop_vpc_id: textAt(values, slots, 52),
    next_hop_interface_type: textAt(values, slots, 53),
    resource_type: textAt(values, slots, 54),
    tgw_id: textAt(values, slots, 55),
    tgw_attachment_id: textAt(values, slots, 56),
    tgw_src_vpc_account_id: textAt(values, slots, 57),
    tgw_dst_vpc_account_id: textAt(values, slots, 58),
    tgw_src_vpc_id: textAt(values, slots, 59),
    tgw_dst_vpc_id: textAt(values, slots, 60),
    tgw_src_subnet_id: textAt(values, slots, 61),
    tgw_dst_subnet_id: textAt(values, slots, 62),
    tgw_src_eni: textAt(values, slots, 63),
    tgw_dst_eni: textAt(values, slots, 64),
    tgw_src_az_id: textAt(values, slots, 65),
    tgw_dst_az_id: textAt(values, slots, 66),
    tgw_pair_attachment_id: textAt(values, slots, 67),
    packets_lost_no_route: numberAt(values, slots, 68),
    packets_lost_blackhole: numberAt(values, slots, 69),
    packets_lost_mtu_exceeded: numberAt(values, slots, 70),
    packets_lost_ttl_expired: numberAt(values, slots, 71),
  };
}

function numberAt(values: readonly VpcFlowValue[], slots: Int32Array, field: number): number | null {
  return values[slots[field]!] as number | null;
}

function textAt(values: readonly VpcFlowValue[], slots: Int32Array, field: number): string | null {
  return values[slots[field]!] as string | null;
}

const NO_VALUES: readonly VpcFlowValue[] = [null];
const NO_SLOTS = new Int32Array(VPC_FIELDS.length);

/** A record with every known column null. */
export function emptyVpcFlowRecord(): MutableVpcFlowRecord {
  return vpcFlowRecordFrom(NO_VALUES, NO_SLOTS);
}

/** The declared schema: all known fields, nullable. */
export const vpcFlowSchema: Schema = schema(VPC_FIELDS.map((spec) => field(spec.column, spec.kind, { doc: spec.doc })));
