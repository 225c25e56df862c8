import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectFileSameAsRecordPath, isAscii } from '../common/testing/columnar-agreement.js';
import { looseLine, mutatedLine } from '../common/testing/mutations.js';
import { cloudFrontFormat, createCloudFrontColumnarParser, createCloudFrontParser, generateCloudFrontLines } from './index.js';

const FIXTURES = join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures');

function agree(lines: readonly string[]) {
  return expectFileSameAsRecordPath(cloudFrontFormat, createCloudFrontParser(), createCloudFrontColumnarParser(), lines);
}

describe('the CloudFront columnar parser', () => {
  it('appends generated lines with the record parser values (#Version and #Fields skipped)', () => {
    const lines = [...generateCloudFrontLines({ records: 3000, seed: 3 })];
    const counts = agree(lines);
    // The generator adds an undocumented trailing column to a few lines: those go the record path (`extra`).
    const withExtra = lines.slice(2).filter((line) => line.replace(/\t$/, '').split('\t').length > 33).length;
    expect(counts).toEqual({ appended: 3000 - withExtra, record: withExtra, skipped: 2, rejected: 0 });
    expect(withExtra).toBeLessThan(100);
    expect(lines.some((line) => line.includes('%25'))).toBe(true);
  });

  it('agrees with the record parser on every fixture file (header variants, older layouts, encodings)', () => {
    const files = readdirSync(FIXTURES).filter((name) => name.endsWith('.txt'));
    expect(files.length).toBeGreaterThanOrEqual(4);
    const total = { appended: 0, record: 0, skipped: 0, rejected: 0 };
    for (const name of files) {
      const counts = agree(readFileSync(join(FIXTURES, name), 'utf8').split('\n').filter(isAscii));
      for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += counts[key];
    }
    expect(total.appended).toBeGreaterThan(0);
    expect(total.rejected).toBeGreaterThan(0);
    expect(total.record).toBeGreaterThan(0);
  });

  it('agrees with the record parser over generated files with damaged lines and headers (property)', () => {
    const lines = [...generateCloudFrontLines({ records: 200, seed: 9 })];
    const reordered = `#Fields: time date c-ip sc-status x-new-column cs-uri-stem cs(User-Agent) x-edge-result-type`;
    const anyLine = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...lines.slice(2)) },
      { weight: 4, arbitrary: mutatedLine(lines.slice(2, 60)) },
      { weight: 1, arbitrary: fc.constantFrom(lines[1]!, reordered, '#Version: 1.0') },
      { weight: 1, arbitrary: looseLine() },
    );
    fc.assert(
      fc.property(fc.array(anyLine, { minLength: 1, maxLength: 30 }), (file) => {
        agree(file.filter(isAscii));
      }),
      { numRuns: 150 },
    );
  });
});
