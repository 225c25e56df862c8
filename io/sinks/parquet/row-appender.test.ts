import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { field, type Field } from '../../../core/schema.js';
import { columnBuilder, type ColumnBuilder } from './column-builders.js';
import { rowAppender } from './row-appender.js';

/** What a plain loop over the fields appends: the reference the generated appender must equal. */
function appendByLoop(names: readonly string[], builders: readonly ColumnBuilder[], row: Record<string, unknown>): number {
  let bytes = 0;
  for (let i = 0; i < builders.length; i++) bytes += builders[i]!.append(row[names[i]!]);
  return bytes;
}

// Names a string template could mishandle: quotes, backslashes, line breaks, `${`, unicode, prototype keys.
const NAMES = ['flow_date', 'a"b', "it's", 'back\\slash', 'line\nbreak', '${x}', 'é 𝄞', 'constructor', 'toString', ''];

describe('rowAppender', () => {
  it('appends what a loop over the fields appends, for any field names and values', () => {
    const fieldArbitrary = fc.record({
      name: fc.oneof(fc.constantFrom(...NAMES), fc.string({ maxLength: 6 })),
      type: fc.constantFrom('string' as const, 'int64' as const, 'double' as const, 'boolean' as const),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(fieldArbitrary, { selector: (f) => f.name, minLength: 1, maxLength: 8 }),
        fc.array(fc.array(fc.oneof(fc.constant(null), fc.integer({ min: -1000, max: 1000 }), fc.boolean()), { maxLength: 8 }), {
          maxLength: 20,
        }),
        (specs, valueRows) => {
          const fields: Field[] = specs.map((spec) => field(spec.name, spec.type));
          const names = fields.map((f) => f.name);
          const generated = fields.map(columnBuilder);
          const reference = fields.map(columnBuilder);
          const append = rowAppender(names, generated);
          for (const values of valueRows) {
            const row: Record<string, unknown> = {};
            fields.forEach((f, i) => {
              const value = values[i] ?? null;
              row[f.name] =
                value === null ? null : f.type === 'string' ? String(value) : f.type === 'boolean' ? Boolean(value) : Number(value);
            });
            expect(append(row)).toBe(appendByLoop(names, reference, row));
          }
          expect(generated.map((builder) => builder.finish())).toEqual(reference.map((builder) => builder.finish()));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('fails loudly on a names list that does not match the builders', () => {
    expect(() => rowAppender(['a', 'b'], [columnBuilder(field('a', 'string'))])).toThrow('2 names for 1 builders');
  });
});
