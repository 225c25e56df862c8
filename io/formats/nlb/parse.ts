/**
 * @module formats/nlb/parse
 * The NLB access-log parser: the positional layout of `NLB_COLUMNS`, ELB's test message skipped. Lines must
 * have the 22 fields of version 2.0; fields beyond them go to `extra`. `type`, `version`,
 * `tls_protocol_version` and the two ALPN protocols must hold one of their documented values.
 */
import type { ColumnarParser, RecordParser } from '../types.js';
import { isElbTestMessage } from '../common/elb-test-message.js';
import { PositionalColumnarParser, type ColumnarLayout } from '../common/positional-columnar-parser.js';
import { PositionalParser, type PositionalLayout } from '../common/positional-parser.js';
import { buildNlbRecord, type NlbRecord } from './record.js';
import {
  NLB_ALPN_PROTOCOLS,
  NLB_COLUMNS,
  NLB_MIN_FIELDS,
  NLB_TLS_PROTOCOL_VERSIONS,
  NLB_TYPES,
  NLB_VERSIONS,
  nlbSchema,
} from './schema.js';

const NLB_LAYOUT: PositionalLayout<NlbRecord> = {
  schema: nlbSchema,
  columns: NLB_COLUMNS,
  minFields: NLB_MIN_FIELDS,
  required: [
    { slot: 0, name: 'type' },
    { slot: 1, name: 'version' },
    { slot: 2, name: 'time' },
    { slot: 3, name: 'elb' },
  ],
  enumerated: [
    { slot: 0, name: 'type', values: new Set(NLB_TYPES) },
    { slot: 1, name: 'version', values: new Set(NLB_VERSIONS) },
    { slot: 17, name: 'tls_protocol_version', values: new Set(NLB_TLS_PROTOCOL_VERSIONS) },
    { slot: 20, name: 'alpn_fe_protocol', values: new Set(NLB_ALPN_PROTOCOLS) },
    { slot: 21, name: 'alpn_be_protocol', values: new Set(NLB_ALPN_PROTOCOLS) },
  ],
  isSkipped: isElbTestMessage,
  build: buildNlbRecord,
};

/**
 * A parser for one NLB access-log file.
 * @example createNlbParser().parse('tls 2.0 2018-12-20T02:59:40 net/my-network-loadbalancer/c6e77e28c25b2234 …', 1) // NlbRecord
 */
export function createNlbParser(): RecordParser<NlbRecord> {
  return new PositionalParser(NLB_LAYOUT);
}

/** Every record field but `extra`, in slot order: the record is the decoded slots in order. */
const NLB_COLUMNAR: ColumnarLayout = {
  slotFields: nlbSchema.fields.map((field) => field.name).filter((name) => name !== 'extra'),
  eventTimeField: 'time',
};

/** A parser for one NLB file that can also append lines straight to columns of `nlbSchema`. */
export function createNlbColumnarParser(): ColumnarParser<NlbRecord> {
  return new PositionalColumnarParser(NLB_LAYOUT, NLB_COLUMNAR);
}
