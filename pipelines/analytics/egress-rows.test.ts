/**
 * EgressRows must make the same table row for a group whether it is given the group as an element (`process`) or
 * as a row of a group batch (`mapBatch`): keys with nulls, escaped control characters, non-ASCII text and numbers
 * of every shape, in one hour or many.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { ColumnBatch } from '../../core/column-batch.js';
import { ColumnBatchBuilder } from '../../core/column-batch-builder.js';
import { kv, tupleKey, type KV } from '../../core/kv.js';
import { field } from '../../core/schema.js';
import { EgressRows, type EgressSums, type VpcEgressRow, vpcFlowEgressSchema } from './egress-rows.js';

const GROUP_FIELDS = [
  field('key', 'string', { nullable: false }),
  field('count', 'int64', { nullable: false }),
  field('bytes', 'int64', { nullable: false }),
  field('packets', 'int64', { nullable: false }),
];
const PROCESSED = '2026-01-01T00:00:00Z';

const text = fc.oneof(
  fc.constantFrom('10.0.0.1', '2001:db8::1', 'vpc-0a1b', 'us-east-1', 'a\u0001b', '\u0002n', 'é'),
  fc.string({ maxLength: 12 }),
);
const maybe = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(arbitrary, { nil: null });
const group = fc.record({
  hour: fc.integer({ min: 0, max: 600_000 }),
  src: text,
  dst: text,
  port: maybe(fc.integer({ min: 0, max: 65_535 })),
  protocol: maybe(fc.integer({ min: 0, max: 255 })),
  vpc: maybe(text),
  instance: maybe(text),
  eni: maybe(text),
  region: maybe(text),
  count: fc.integer({ min: 1, max: 1_000 }),
  bytes: fc.integer({ min: 1, max: 2 ** 40 }),
  packets: fc.integer({ min: 0, max: 2 ** 30 }),
});
type Group = typeof group extends fc.Arbitrary<infer G> ? G : never;

const keyOf = (g: Group): string => tupleKey([g.hour, g.src, g.dst, g.port, g.protocol, g.vpc, g.instance, g.eni, g.region]);

function groupBatch(groups: readonly Group[]): ColumnBatch {
  const builder = new ColumnBatchBuilder(GROUP_FIELDS);
  for (const g of groups) {
    builder.appendValue(0, keyOf(g));
    builder.appendNumber(1, g.count);
    builder.appendNumber(2, g.bytes);
    builder.appendNumber(3, g.packets);
    builder.endRow(Number.MAX_SAFE_INTEGER);
  }
  return builder.view();
}

describe('EgressRows', () => {
  it('makes the same rows from a group batch as from the groups one by one', () => {
    fc.assert(
      fc.property(fc.array(group, { maxLength: 40 }), (groups) => {
        const fromElements: VpcEgressRow[] = [];
        const doFn = new EgressRows(PROCESSED);
        for (const g of groups) {
          const pair: KV<string, EgressSums> = kv(keyOf(g), { count: g.count, bytes: g.bytes, packets: g.packets });
          doFn.process(pair, { output: (row: VpcEgressRow) => fromElements.push(row) } as never);
        }
        const fromBatch: Record<string, unknown>[] = [];
        const input = groupBatch(groups);
        expect(doFn.mappedBatchFields(input.fields)).toBe(vpcFlowEgressSchema.fields);
        doFn.mapBatch(input, {
          outputBatch: (batch) => {
            expect(batch.fields).toBe(vpcFlowEgressSchema.fields);
            for (let row = 0; row < batch.length; row++) fromBatch.push(batch.record(row));
          },
        });
        expect(fromBatch).toEqual(fromElements);
      }),
      { numRuns: 300 },
    );
  });

  it('takes only batches of the combine it follows', () => {
    const doFn = new EgressRows(PROCESSED);
    expect(doFn.mappedBatchFields(GROUP_FIELDS.slice(0, 3))).toBeUndefined();
    expect(doFn.mappedBatchFields([GROUP_FIELDS[0]!, GROUP_FIELDS[2]!, GROUP_FIELDS[1]!, GROUP_FIELDS[3]!])).toBeUndefined();
    expect(() => new EgressRows('yesterday')).toThrow(/not an ISO-8601 time/);
  });
});
