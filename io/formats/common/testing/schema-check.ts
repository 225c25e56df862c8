/**
 * @module formats/common/testing/schema-check
 * Checks a parsed record against its declared schema, by the value representation `core/schema.ts` documents
 * (test helper, not production code): exactly the schema's fields in schema order, `null` only where the field
 * is nullable, and each value of its declared type and range.
 */
import type { Field, Schema } from '../../../../core/schema.js';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** Whether `value` is an ISO-8601 UTC timestamp naming a real instant (no 32nd day, no 25th hour). */
function isIsoUtcTimestamp(value: string): boolean {
  if (!ISO_UTC.test(value)) return false;
  const millis = Date.parse(value);
  return !Number.isNaN(millis) && new Date(millis).toISOString().slice(0, 19) === value.slice(0, 19);
}

/** Whether `value` survives a JSON round trip unchanged (no `undefined`, `NaN`, functions or cycles). */
function isJsonValue(value: unknown): boolean {
  try {
    return JSON.stringify(JSON.parse(JSON.stringify(value))) === JSON.stringify(value) && value !== undefined;
  } catch {
    return false;
  }
}

function valueProblem(field: Field, value: unknown): string | undefined {
  if (value === null) return field.nullable ? undefined : 'is null but the field is not nullable';
  switch (field.type) {
    case 'string':
      return typeof value === 'string' ? undefined : `is ${typeof value}, not a string`;
    case 'timestamp':
      return typeof value === 'string' && isIsoUtcTimestamp(value) ? undefined : 'is not an ISO-8601 UTC timestamp';
    case 'int32':
      return Number.isInteger(value) && (value as number) >= INT32_MIN && (value as number) <= INT32_MAX
        ? undefined
        : 'is not a 32-bit integer';
    case 'int64':
      return Number.isSafeInteger(value) ? undefined : 'is not a safe integer';
    case 'double':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'is not a finite number';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'is not a boolean';
    case 'json':
      return isJsonValue(value) ? undefined : 'is not a JSON value';
  }
}

/**
 * What is wrong with `record` for `schema`, one message per problem naming the field and the value; `[]` when
 * nothing is.
 * @example schemaViolations({ port: 1.5 }, schema([field('port', 'int32')])) // ['port: 1.5 is not a 32-bit integer']
 */
export function schemaViolations(record: object, schema: Schema): string[] {
  const names = schema.fields.map((field) => field.name);
  const keys = Object.keys(record);
  const problems: string[] = [];
  if (JSON.stringify(keys) !== JSON.stringify(names))
    problems.push(`fields are [${keys.join(', ')}], the schema declares [${names.join(', ')}]`);
  const values = record as Record<string, unknown>;
  for (const field of schema.fields) {
    const value = values[field.name];
    const problem = valueProblem(field, value);
    if (problem !== undefined)
      problems.push(`${field.name}: ${typeof value === 'number' ? String(value) : JSON.stringify(value)} ${problem}`);
  }
  return problems;
}
