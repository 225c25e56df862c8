import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ColumnBatchBuilder } from '../../core/column-batch-builder.js';
import type { ProcessContext } from '../../core/dofn.js';
import { kv } from '../../core/kv.js';
import { GLOBAL_WINDOW } from '../../core/window.js';
import { emptyVpcFlowRecord, vpcFlowSchema, type VpcFlowRecord } from '../../io/formats/vpc-flow/schema.js';
import { PRIVATE_CIDRS } from '../../transforms/features/cidr-set.js';
import { KeepEgressFlows, type EgressFlow } from './keep-egress-flows.js';

const text = (values: readonly string[]) => fc.option(fc.oneof(fc.constantFrom(...values), fc.string({ maxLength: 6 })), { nil: null });
const number = (values: readonly number[]) =>
  fc.option(fc.oneof(fc.constantFrom(...values), fc.integer({ min: -5, max: 70_000 })), { nil: null });

/** Flows near every rule's edge: actions, zero and negative bytes, missing times, private, public and odd addresses, control characters. */
const flow: fc.Arbitrary<VpcFlowRecord> = fc
  .record({
    action: text(['ACCEPT', 'REJECT', 'ACCEPTED', 'accept']),
    bytes: number([0, 1, 1500, 2 ** 40]),
    packets: number([1, 3]),
    start: number([1_717_200_000, 1_717_203_599, 1_717_203_600, 0]),
    srcaddr: text(['10.0.1.5', '172.31.0.9', '2600:1f18::1']),
    dstaddr: text(['8.8.8.8', '10.1.2.3', '100.64.0.1', '203.0.113.7', 'fd00::1', '2001:db8::1', '::ffff:8.8.8.8', '8.8.8', 'é']),
    dstport: number([443, 53]),
    protocol: number([6, 17]),
    vpc_id: text(['vpc-1', '', 'vpc\u0001a', '\u0002n', 'vpcé']),
    instance_id: text(['i-1']),
    interface_id: text(['eni-1', '']),
    region: text(['us-east-1', 'eu-west-1']),
  })
  .map((values) => ({ ...emptyVpcFlowRecord(), ...values }));

interface Emitted {
  readonly value: EgressFlow;
  readonly timestamp: number;
}

/** What `process` emits for each record, with the record's timestamp. */
function throughProcess(doFn: KeepEgressFlows, records: readonly VpcFlowRecord[], timestamps: readonly number[]): Emitted[] {
  const out: Emitted[] = [];
  records.forEach((record, index) => {
    const ctx: ProcessContext<EgressFlow> = {
      timestamp: timestamps[index]!,
      window: GLOBAL_WINDOW,
      output: (value) => out.push({ value, timestamp: timestamps[index]! }),
      outputWithTimestamp: () => {
        throw new Error('unexpected outputWithTimestamp');
      },
      outputTo: () => {
        throw new Error('unexpected outputTo');
      },
    };
    doFn.process(record, ctx);
  });
  return out;
}

/** What `processRows` emits for the same records as one column batch (the reader's layout: every VPC flow column). */
function throughRows(doFn: KeepEgressFlows, records: readonly VpcFlowRecord[], timestamps: readonly number[]): Emitted[] {
  const fields = vpcFlowSchema.fields;
  const builder = new ColumnBatchBuilder(fields);
  records.forEach((record, index) => {
    for (const [column, field] of fields.entries()) builder.appendValue(column, (record as unknown as Record<string, unknown>)[field.name]);
    builder.endRow(timestamps[index]!);
  });
  const batch = builder.view();
  const out: Emitted[] = [];
  doFn.processRows(batch, {
    outputRow: (row, value) => out.push({ value, timestamp: batch.timestamps[row]! }),
    outputKeyedRow: (row, keys, value) => out.push({ value: kv(keys.key(), value), timestamp: batch.timestamps[row]! }),
  });
  return out;
}

describe('KeepEgressFlows', () => {
  it('emits the same keys, amounts and timestamps from a column batch as from its records', () => {
    fc.assert(
      fc.property(
        fc.array(flow, { maxLength: 40 }),
        fc.option(fc.constantFrom('us-west-2', 'ap-south-1'), { nil: null }),
        fc.array(fc.constantFrom('203.0.113.0/24', '8.8.0.0/16', '2001:db8::/32'), { maxLength: 2 }),
        (records, defaultRegion, vpcCidrs) => {
          const timestamps = records.map((_, index) => 1_717_200_000_000_000 + index);
          const cidrs = [...PRIVATE_CIDRS, ...vpcCidrs];
          const expected = throughProcess(new KeepEgressFlows(cidrs, defaultRegion), records, timestamps);
          // One DoFn for two batches: the second batch's columns are its own, not the first's.
          const doFn = new KeepEgressFlows(cidrs, defaultRegion);
          const half = Math.floor(records.length / 2);
          const actual = [
            ...throughRows(doFn, records.slice(0, half), timestamps.slice(0, half)),
            ...throughRows(doFn, records.slice(half), timestamps.slice(half)),
          ];
          expect(actual).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('names the missing column when given a batch that is not a VPC flow batch', () => {
    const builder = new ColumnBatchBuilder(vpcFlowSchema.fields.filter((field) => field.name !== 'dstaddr'));
    expect(() =>
      new KeepEgressFlows(PRIVATE_CIDRS, null).processRows(builder.view(), { outputRow: () => undefined, outputKeyedRow: () => undefined }),
    ).toThrow(/no text column "dstaddr"/);
  });
});
