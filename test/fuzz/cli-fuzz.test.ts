/**
 * Fuzzed input through `logbeam parse` and `logbeam run` for every format, one small file each (the long
 * variant, with more seeds and damaged gzip, is cli-fuzz.faults.test.ts).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliParse, cliRun, expectedIntact, FUZZ_TYPES, fuzzedFile, missingFrom, writeFuzzed } from './cli-fuzz.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logbeam-fuzz-'));
});

/** `run` costs a few seconds per format: here one format per framing (lines, json-records, csv-records); all in the long run. */
const RUN_TYPES = new Set(['alb', 'cloudtrail', 'csv']);

describe.each(FUZZ_TYPES)('fuzzed %s input', (type) => {
  it('is counted exactly and keeps every intact record in parse (gzip), and run (plain + gzip) agrees', async () => {
    const file = fuzzedFile(type, 300, 1, 0.2);
    const { gz, input } = await writeFuzzed(dir, type, 'seed-1', file);
    const parsed = await cliParse(type, gz, join(dir, `${type}-rejects.jsonl`));
    expect(parsed.code).toBe(0);
    expect(parsed.records.length + parsed.rejected + parsed.skipped).toBe(file.records);
    expect(parsed.deadLetters).toHaveLength(parsed.rejected);
    const expected = expectedIntact(type, file);
    expect(expected.length).toBeGreaterThan(100);
    expect(missingFrom(parsed.records, expected)).toEqual([]);
    if (!RUN_TYPES.has(type)) return;
    const run = await cliRun(type, input, join(dir, `${type}-out`), file);
    expect(run.stderr).not.toContain('logbeam:');
    expect(run).toMatchObject({
      code: 0,
      rowsWritten: 2 * parsed.records.length,
      rejected: 2 * parsed.rejected,
      deadLetterLines: 2 * parsed.rejected,
    });
  });
});
