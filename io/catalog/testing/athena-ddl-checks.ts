/**
 * @module io/catalog/testing/athena-ddl-checks
 * Test helper (not production code): parses generated Athena DDL line by line and checks it is well formed:
 * column types mapped from the schema, names unique, partition projection consistent with the partitions and
 * the location template.
 */
import { expect } from '@jest/globals';
import type { Schema } from '../../../core/schema.js';

// Athena's names for the logical types, written out here rather than imported from the code under test.
const ATHENA = {
  string: 'string',
  int32: 'int',
  int64: 'bigint',
  double: 'double',
  boolean: 'boolean',
  timestamp: 'timestamp',
  json: 'string',
} as const;

export interface ParsedDdl {
  table: string;
  columns: Array<{ name: string; type: string }>;
  partitions: string[];
  location: string;
  properties: Map<string, string>;
}

const STRING = "'((?:[^']|'')*)'";
const unquote = (text: string) => text.replace(/''/g, "'");

/** Parses the statement line by line, failing on anything that is not well-formed Athena DDL of this shape. */
export function parseDdl(ddl: string): ParsedDdl {
  expect(ddl.endsWith(';\n')).toBe(true);
  const lines = ddl.slice(0, -2).split('\n');
  const head = /^CREATE EXTERNAL TABLE IF NOT EXISTS ((?:`[A-Za-z_]\w*`\.)?`[A-Za-z_]\w*`) \($/.exec(lines.shift()!);
  expect(head).not.toBeNull();
  const columns: ParsedDdl['columns'] = [];
  for (;;) {
    const line = lines.shift()!;
    if (line === ')') break;
    const column = new RegExp(`^  \`([^\`]+)\` (string|int|bigint|double|boolean|timestamp)(?: COMMENT ${STRING})?(,?)$`).exec(line);
    expect({ line, ok: column !== null }).toEqual({ line, ok: true });
    columns.push({ name: column![1]!, type: column![2]! });
    expect(column![4]).toBe(lines[0] === ')' ? '' : ',');
  }
  let partitions: string[] = [];
  if (lines[0]!.startsWith('PARTITIONED BY')) {
    const match = /^PARTITIONED BY \(((?:`\w+` string)(?:, `\w+` string)*)\)$/.exec(lines.shift()!);
    expect(match).not.toBeNull();
    partitions = [...match![1]!.matchAll(/`(\w+)`/g)].map((m) => m[1]!);
  }
  expect(lines.shift()).toBe('STORED AS PARQUET');
  const location = new RegExp(`^LOCATION ${STRING}$`).exec(lines.shift()!);
  expect(location).not.toBeNull();
  const properties = new Map<string, string>();
  if (lines.length > 0) {
    expect(lines.shift()).toBe('TBLPROPERTIES (');
    expect(lines.pop()).toBe(')');
    lines.forEach((line, i) => {
      const pair = new RegExp(`^  ${STRING} = ${STRING}(,?)$`).exec(line);
      expect({ line, ok: pair !== null }).toEqual({ line, ok: true });
      expect(pair![3]).toBe(i === lines.length - 1 ? '' : ',');
      properties.set(unquote(pair![1]!), unquote(pair![2]!));
    });
  }
  return { table: head![1]!, columns, partitions, location: unquote(location![1]!), properties };
}

/** The checks every generated table must pass: types mapped, names unique, projection consistent. */
export function expectWellFormed(ddl: string, schema: Schema): ParsedDdl {
  const parsed = parseDdl(ddl);
  const names = [...parsed.columns.map((c) => c.name), ...parsed.partitions].map((n) => n.toLowerCase());
  expect(new Set(names).size).toBe(names.length);
  expect(parsed.columns.length).toBeGreaterThan(0);
  for (const column of parsed.columns) {
    const field = schema.fields.find((f) => f.name === column.name);
    expect(field).toBeDefined();
    expect(column.type).toBe(ATHENA[field!.type]);
  }
  // Every schema field is a column or a partition directory.
  for (const field of schema.fields) expect(names).toContain(field.name.toLowerCase());
  expect(parsed.location).toMatch(/^s3:\/\/[a-z0-9.-]+\/.*\/$|^s3:\/\/[a-z0-9.-]+\/$/);
  if (parsed.partitions.length === 0) {
    expect(parsed.properties.size).toBe(0);
    return parsed;
  }
  expect(parsed.properties.get('projection.enabled')).toBe('true');
  for (const name of parsed.partitions) {
    const type = parsed.properties.get(`projection.${name}.type`);
    if (type === 'integer') {
      const [from, to] = parsed.properties.get(`projection.${name}.range`)!.split(',').map(Number);
      expect(Number.isInteger(from) && Number.isInteger(to) && from! <= to!).toBe(true);
      expect(Number(parsed.properties.get(`projection.${name}.digits`))).toBeGreaterThan(0);
    } else {
      expect(type).toBe('date');
      expect(parsed.properties.get(`projection.${name}.format`)).toBe('yyyy-MM-dd');
      expect(parsed.properties.get(`projection.${name}.range`)).toMatch(/^\d{4}-\d{2}-\d{2},NOW$/);
      expect(parsed.properties.get(`projection.${name}.interval.unit`)).toBe('DAYS');
    }
  }
  const projected = [...parsed.properties.keys()].filter((key) => /^projection\.\w+\.type$/.test(key)).map((key) => key.split('.')[1]);
  expect(projected).toEqual(parsed.partitions);
  expect(parsed.properties.get('storage.location.template')).toBe(
    `${parsed.location}${parsed.partitions.map((p) => `${p}=\${${p}}`).join('/')}`,
  );
  return parsed;
}
