import fc from 'fast-check';
import { runParser } from '../common/fixture-harness.js';
import { SKIP } from '../types.js';
import { generateVpcFlowLines, generateVpcFlowRows, vpcFlowFormat, vpcFlowSchema, VPC_FIELDS } from './index.js';

const V5_FORMAT =
  '${version} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${start} ${end} ${type} ${packets} ${bytes} ${account-id} ${vpc-id} ${subnet-id} ${instance-id} ${interface-id} ${region} ${az-id} ${action} ${tcp-flags} ${pkt-srcaddr} ${pkt-dstaddr} ${pkt-src-aws-service} ${pkt-dst-aws-service} ${traffic-path} ${flow-direction} ${log-status}';

/** A token's record column by the documented rule (`pkt-srcaddr` -> `pkt_srcaddr`), not by the parser's table. */
const columnOf = (token: string) => token.replaceAll('-', '_');

/** The record columns for the tokens `values` names, as the generator meant them: `-` is null, numbers typed. */
function meant(values: Readonly<Record<string, string>>): Record<string, unknown> {
  const numeric = new Set(vpcFlowSchema.fields.filter((field) => field.type !== 'string').map((field) => field.name));
  return Object.fromEntries(
    Object.entries(values).map(([token, text]) => [
      columnOf(token),
      text === '-' ? null : numeric.has(columnOf(token)) ? Number(text) : text,
    ]),
  );
}

function pick(record: Record<string, unknown>, tokens: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(tokens.map((token) => [columnOf(token), record[columnOf(token)]]));
}

describe('generateVpcFlowLines', () => {
  test('starts with a header line naming the format fields', () => {
    const [header] = generateVpcFlowLines({ records: 1, seed: 1 });
    expect(header).toBe(
      'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status',
    );
  });

  test('gives the same lines for the same seed and different lines for another seed', () => {
    const a = [...generateVpcFlowLines({ records: 50, seed: 7 })];
    expect([...generateVpcFlowLines({ records: 50, seed: 7 })]).toEqual(a);
    expect([...generateVpcFlowLines({ records: 50, seed: 8 })]).not.toEqual(a);
  });

  test('includes IPv6 addresses and NODATA or SKIPDATA rows at a small rate', () => {
    const lines = [...generateVpcFlowLines({ records: 3000, seed: 3 })];
    expect(lines.some((line) => line.includes('2001:db8:'))).toBe(true);
    expect(lines.some((line) => line.endsWith('NODATA') || line.endsWith('SKIPDATA'))).toBe(true);
  });

  test('round-trips through the parser for the default, v5 and all-fields formats: each line parses to the values it was written from', () => {
    const allFields = VPC_FIELDS.map((spec) => spec.token);
    for (const format of [undefined, V5_FORMAT, allFields]) {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 1, max: 300 }), (seed, records) => {
          const options = format === undefined ? { records, seed } : { records, seed, format };
          const parser = vpcFlowFormat.createParser();
          const [header] = generateVpcFlowLines({ ...options, records: 0 });
          expect(parser.parse(header!, 1)).toBe(SKIP);
          let count = 0;
          for (const row of generateVpcFlowRows(options)) {
            const record = parser.parse(row.text, ++count + 1) as unknown as Record<string, unknown>;
            expect({ text: row.text, fields: pick(record, Object.keys(row.values)) }).toEqual({
              text: row.text,
              fields: meant(row.values),
            });
          }
          expect(count).toBe(records);
        }),
        { numRuns: 20 },
      );
    }
  });

  test('spreads interval starts over the requested span', () => {
    const startMicros = Date.UTC(2024, 0, 1) * 1000;
    const run = runParser(vpcFlowFormat.createParser(), generateVpcFlowLines({ records: 100, seed: 1, startMicros, spanHours: 2 }));
    const starts = run.outputs.map((record) => record.start as number);
    expect(Math.min(...starts)).toBe(startMicros / 1e6);
    expect(Math.max(...starts)).toBeLessThan(startMicros / 1e6 + 2 * 3600);
  });
});
