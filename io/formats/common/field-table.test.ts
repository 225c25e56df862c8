import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ALB_FIELDS, albSchema, type AlbRecord } from '../alb/schema.js';
import { S3_ACCESS_FIELDS } from '../s3-access/schema.js';
import { columnsOf, compileRecordBuilder, positionalLayout, schemaOf, type TableField } from './field-table.js';
import { KIND_IP_PORT, KIND_REQUEST_LINE, KIND_STRING, type SlotValue } from './span-decoder.js';

const ROW = { type: 'string', parse: 'string', doc: 'd' } as const;

describe('a field table', () => {
  it('builds records whose properties are the table rows in order, slot i holding row i', () => {
    const build = compileRecordBuilder(ALB_FIELDS);
    const slotCount = ALB_FIELDS.length - 1;
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string(), fc.double(), fc.constant(null)), { minLength: slotCount, maxLength: slotCount }),
        fc.option(fc.array(fc.string(), { maxLength: 3 })),
        (slots: SlotValue[], extra) => {
          const record = build(slots, extra) as unknown as Record<string, unknown>;
          expect(Object.keys(record)).toEqual(ALB_FIELDS.map((row) => row.name));
          for (const [slot, row] of ALB_FIELDS.entries()) expect(record[row.name]).toBe(row.parse === 'extra' ? extra : slots[slot]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('declares the schema from the same rows: names, types, nullability and docs', () => {
    expect(albSchema.fields.map((field) => field.name)).toEqual(ALB_FIELDS.map((row) => row.name));
    expect(albSchema.fields.filter((field) => !field.nullable).map((field) => field.name)).toEqual(['type', 'time', 'elb']);
    expect(albSchema.fields.find((field) => field.name === 'client_port')).toEqual({
      name: 'client_port',
      type: 'int32',
      nullable: true,
      doc: 'Client source port',
    });
  });

  it('decodes ip:port and the request line as one log field each, named as rejections name them', () => {
    const columns = columnsOf(ALB_FIELDS);
    expect(columns).toHaveLength(33);
    expect(columns[3]).toEqual({ name: 'client_port', kind: KIND_IP_PORT });
    expect(columns[12]).toEqual({ name: 'request', kind: KIND_REQUEST_LINE });
    expect(columns[32]).toEqual({ name: 'request_transform_status', kind: KIND_STRING });
  });

  it('checks required fields and closed value sets at the slots of their rows', () => {
    const layout = positionalLayout(ALB_FIELDS, { minFields: 18 });
    expect(layout.required).toEqual([
      { slot: 0, name: 'type' },
      { slot: 1, name: 'time' },
      { slot: 2, name: 'elb' },
    ]);
    expect(layout.enumerated?.map((check) => [check.slot, check.name, [...check.values]])).toEqual([
      [0, 'type', ['http', 'https', 'h2', 'grpcs', 'ws', 'wss']],
      [31, 'classification', ['Acceptable', 'Ambiguous', 'Severe']],
    ]);
    expect(positionalLayout(S3_ACCESS_FIELDS, { minFields: 18 }).required).toEqual([
      { slot: 1, name: 'bucket' },
      { slot: 2, name: 'time' },
    ]);
  });

  it.each<[string, readonly TableField[], string]>([
    [
      'a port without its ip',
      [
        { ...ROW, name: 'a' },
        { name: 'p', type: 'int32', parse: 'port', doc: 'd' },
      ],
      'row 0 ("a") must be a "ip"',
    ],
    [
      'an ip without its port',
      [
        { name: 'a', type: 'string', parse: 'ip', doc: 'd' },
        { ...ROW, name: 'b' },
      ],
      'row 1 ("b") must be a "port"',
    ],
    [
      'a type the parse kind does not produce',
      [{ name: 'a', type: 'int64', parse: 'int32', doc: 'd' }],
      'is int64, but "int32" fields are int32',
    ],
    ['a name that is not snake_case', [{ ...ROW, name: 'a b' }], 'is not a snake_case name'],
    [
      'a name declared twice',
      [
        { ...ROW, name: 'a' },
        { ...ROW, name: 'a' },
      ],
      'is declared twice',
    ],
    [
      'a request line cut short',
      [
        { name: 'v', type: 'string', parse: 'verb', doc: 'd' },
        { name: 'u', type: 'string', parse: 'url', doc: 'd' },
      ],
      'must be a "proto"',
    ],
    ['no extra row', [{ ...ROW, name: 'a' }], 'the last row must be the "extra" field'],
    ['values on a number', [{ name: 'a', type: 'int32', parse: 'int32', values: ['1'], doc: 'd' }], 'has values but is not a string'],
  ])('is refused when it has %s', (_case, rows, message) => {
    const table =
      rows.at(-1)?.parse === 'extra' || message.includes('extra')
        ? rows
        : [...rows, { name: 'extra', type: 'json', parse: 'extra', doc: 'd' } as const];
    expect(() => columnsOf(table)).toThrow(message);
    expect(() => compileRecordBuilder(table)).toThrow(message);
  });

  it('types records from the table: non-null required fields, nullable numbers, extra as strings', () => {
    const record: AlbRecord = compileRecordBuilder(ALB_FIELDS)(new Array<SlotValue>(37).fill(null), null);
    const required: string = record.type;
    const port: number | null = record.client_port;
    const extra: string[] | null = record.extra;
    // @ts-expect-error a nullable field is not a plain number
    const notNull: number = record.client_port;
    expect([required, port, extra, notNull]).toEqual([null, null, null, null]);
  });

  it('derives the schema of any table, nullable unless the row says otherwise', () => {
    const table = [
      { ...ROW, name: 'a', nullable: false },
      { ...ROW, name: 'b' },
      { name: 'extra', type: 'json', parse: 'extra', doc: 'd' },
    ] as const;
    expect(schemaOf(table).fields.map((field) => [field.name, field.nullable])).toEqual([
      ['a', false],
      ['b', true],
      ['extra', true],
    ]);
  });
});
