import fc from 'fast-check';
import { field } from '../../../core/schema.js';
import { isoToMicros } from '../../../core/time.js';
import { columnBuilder } from './column-builders.js';

describe('timestamp column builder', () => {
  // A few texts repeated in any order (as rows of one hour or one processing time are), some not ISO times.
  const texts = ['2026-01-01T00:00:00Z', '2026-01-01T01:00:00Z', '2026-01-01T00:00:00.5Z', '2026-02-30T00:00:00Z', 'not a time'];

  it('stores each text as its own micros, however the same texts repeat and alternate', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...texts), { minLength: 1, maxLength: 40 }), (values) => {
        const builder = columnBuilder(field('t', 'timestamp'));
        const outcomes = values.map((value) => {
          try {
            builder.append(value);
            return 'stored';
          } catch {
            return 'refused';
          }
        });
        // A text that is not a time is refused every time it comes, even right after a valid one.
        expect(outcomes).toEqual(values.map((value) => (isoToMicros(value) === undefined ? 'refused' : 'stored')));
        const chunk = builder.finish();
        const stored = values.filter((value) => isoToMicros(value) !== undefined);
        expect(chunk.length).toBe(stored.length);
        if (chunk.layout !== 'int64') throw new Error(`layout ${chunk.layout}`);
        expect([...chunk.values.subarray(0, chunk.length)]).toEqual(stored.map((value) => isoToMicros(value)));
      }),
    );
  });
});
