import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { uniqueStepNames } from './step-names.js';

describe('uniqueStepNames', () => {
  it('names each step by its composite and own segment, lengthened only where names repeat', () => {
    const names = uniqueStepNames([
      'ReadCur/Read',
      'WriteParquet',
      'A/EngineerFeatures/Lags/KeyBySeries',
      'A/EngineerFeatures/RollingStats/KeyBySeries',
      'X/Join/GroupByKey',
      'Y/Join/GroupByKey',
    ]);
    expect(names).toEqual([
      { name: 'ReadCur/Read', scope: '' },
      { name: 'WriteParquet', scope: '' },
      { name: 'Lags/KeyBySeries', scope: 'A/EngineerFeatures' },
      { name: 'RollingStats/KeyBySeries', scope: 'A/EngineerFeatures' },
      { name: 'X/Join/GroupByKey', scope: '' },
      { name: 'Y/Join/GroupByKey', scope: '' },
    ]);
  });

  it('gives unique labels unique names that are tails of them, with scope + name = label', () => {
    const segment = fc.constantFrom('A', 'B', 'Read', 'GroupByKey', 'Tag(x)', 'Map');
    const label = fc.array(segment, { minLength: 1, maxLength: 5 }).map((parts) => parts.join('/'));
    fc.assert(
      fc.property(fc.uniqueArray(label, { maxLength: 40 }), (labels) => {
        const names = uniqueStepNames(labels);
        expect(new Set(names.map((n) => n.name)).size).toBe(labels.length);
        expect(names.map((n) => (n.scope === '' ? n.name : `${n.scope}/${n.name}`))).toEqual(labels);
      }),
    );
  });
});
