import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ColumnBatchBuilder } from '../../../core/column-batch-builder.js';
import { expectFileSameAsRecordPath, isAscii } from '../common/testing/columnar-agreement.js';
import { looseLine, mutatedLine } from '../common/testing/mutations.js';
import { SKIP, type FormatOptions } from '../types.js';
import { createVpcFlowColumnarParser, generateVpcFlowLines, VPC_FIELDS, vpcFlowFormat, vpcFlowSchema } from './index.js';
import { createVpcFlowParser } from './parser.js';

const FIXTURES = join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures');

/** Every field of versions 2 to 5, in the AWS table's order (a custom v5 format with all fields). */
const V5_FORMAT = VPC_FIELDS.filter((spec) => spec.version <= 5)
  .map((spec) => `\${${spec.token}}`)
  .join(' ');

function agree(lines: readonly string[], options: FormatOptions = {}) {
  return expectFileSameAsRecordPath(vpcFlowFormat, createVpcFlowParser(options), createVpcFlowColumnarParser(options), lines);
}

describe('the VPC flow columnar parser', () => {
  it('appends v2 default-format lines (header line first) with the record parser values, NODATA and SKIPDATA included', () => {
    const lines = [...generateVpcFlowLines({ records: 3000, seed: 3 })];
    const counts = agree(lines);
    expect(counts).toEqual({ appended: 3000, record: 0, skipped: 1, rejected: 0 });
    const statuses = new Set(lines.slice(1).map((line) => line.split(' ')[13]));
    expect([...statuses].sort()).toEqual(['NODATA', 'OK', 'SKIPDATA']);
  });

  it('appends lines of a custom v5 format with every field, given as vpcFormat (no header line)', () => {
    const lines = [...generateVpcFlowLines({ records: 3000, seed: 4, format: V5_FORMAT })].slice(1);
    expect(agree(lines, { vpcFormat: V5_FORMAT })).toEqual({ appended: 3000, record: 0, skipped: 0, rejected: 0 });
  });

  it('reads a declared format with every field (wider than the parser scratch arrays start), records and columns alike', () => {
    const all = VPC_FIELDS.map((spec) => `\${${spec.token}}`).join(' ');
    expect(VPC_FIELDS.length).toBeGreaterThan(64);
    const lines = [...generateVpcFlowLines({ records: 300, seed: 12, format: all })].slice(1);
    expect(agree(lines, { vpcFormat: all })).toEqual({ appended: 300, record: 0, skipped: 0, rejected: 0 });
    // The same format from a header line, after default-format lines (the layout widens mid-file).
    const defaults = [...generateVpcFlowLines({ records: 20, seed: 13 })];
    const headed = [...generateVpcFlowLines({ records: 100, seed: 14, format: all })];
    expect(agree([...defaults, ...headed])).toEqual({ appended: 120, record: 0, skipped: 2, rejected: 0 });
    const record = createVpcFlowParser({ vpcFormat: all }).parse(lines[0]!, 1) as Record<string, unknown>;
    const last = VPC_FIELDS.at(-1)!;
    expect(record[last.column]).toBe(lines[0]!.split(' ').at(-1) === '-' ? null : Number(lines[0]!.split(' ').at(-1)));
  });

  it('follows a header line that changes the layout mid-file, and one with an unknown field', () => {
    const v2 = [...generateVpcFlowLines({ records: 200, seed: 5 })];
    const v5 = [...generateVpcFlowLines({ records: 200, seed: 6, format: V5_FORMAT })];
    const unknown = ['version srcaddr some-new-field start log-status', '2 10.0.0.1 hello 1700000000 OK', '2 - - - NODATA'];
    expect(agree([...v2, ...v5, ...unknown])).toEqual({ appended: 402, record: 0, skipped: 3, rejected: 0 });
  });

  it('agrees with the record parser on every fixture file', () => {
    const files = readdirSync(FIXTURES).filter((name) => name.endsWith('.log'));
    expect(files.length).toBeGreaterThan(10);
    for (const name of files) {
      const lines = readFileSync(join(FIXTURES, name), 'utf8').split('\n').filter(isAscii);
      agree(lines);
    }
  });

  it('puts a row with no start at event time 0 (NaN from decode), as the record path does', () => {
    const parser = createVpcFlowColumnarParser();
    expect(parser.decode('2 123456789010 eni-1 - - - - - - - - - - NODATA', 1)).toBeNaN();
    const builder = new ColumnBatchBuilder(vpcFlowSchema.fields);
    parser.append(Buffer.from('2 123456789010 eni-1 - - - - - - - - - - NODATA'), 0, builder, 0);
    expect(builder.view().record(0)).toMatchObject({ version: 2, account_id: '123456789010', interface_id: 'eni-1', start: null });
  });

  it('agrees with the record parser over generated files with damaged lines (property)', () => {
    const v2 = [...generateVpcFlowLines({ records: 200, seed: 7 })];
    const v5 = [...generateVpcFlowLines({ records: 200, seed: 8, format: V5_FORMAT })];
    const anyLine = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...v2.slice(1), ...v5.slice(1)) },
      { weight: 4, arbitrary: mutatedLine([...v2.slice(0, 50), ...v5.slice(0, 50)]) },
      { weight: 1, arbitrary: fc.constantFrom(v2[0]!, v5[0]!) },
      { weight: 1, arbitrary: looseLine() },
    );
    fc.assert(
      fc.property(fc.array(anyLine, { minLength: 1, maxLength: 30 }), fc.boolean(), (lines, declared) => {
        agree(lines.filter(isAscii), declared ? { vpcFormat: V5_FORMAT } : {});
      }),
      { numRuns: 150 },
    );
  });

  it('reads from bytes a layout whose lines start with a lower-case id, and still takes a header line from bytes', () => {
    const vpcFormat = '${interface-id} ${srcaddr} ${dstaddr} ${start} ${end} ${action}';
    const parser = createVpcFlowColumnarParser({ vpcFormat });
    const line = Buffer.from('eni-0a1b2c3d 10.0.0.1 10.0.0.2 1700000000 1700000060 ACCEPT');
    expect(parser.decodeBytes!(line, 0, line.length, 1)).toBe(1700000000 * 1_000_000);
    const builder = new ColumnBatchBuilder(vpcFlowSchema.fields);
    parser.append(line, 0, builder, 1700000000 * 1_000_000);
    expect(builder.view().record(0)).toMatchObject({ interface_id: 'eni-0a1b2c3d', srcaddr: '10.0.0.1', action: 'ACCEPT', version: null });
    const header = Buffer.from('interface-id srcaddr dstaddr start end action');
    expect(parser.decodeBytes!(header, 0, header.length, 2)).toBe(SKIP);
  });
});
