/**
 * The long fuzzing run (`npm run test:faults`): every format, several seeds, larger files and a higher damage
 * rate, plain and gzip parsed separately (same result), and damaged gzip (truncated, trailing garbage): parse
 * and run keep every record zlib can recover and dead-letter the cut one the same way.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { cliParse, cliRun, expectedIntact, FUZZ_TYPES, fuzzedFile, missingFrom, writeFuzzed } from './cli-fuzz.js';
import { GENERATORS } from '../../cli/generators.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logbeam-fuzz-long-'));
});

describe.each(FUZZ_TYPES)('fuzzed %s input, long run', (type) => {
  it.each([2, 3])('seed %i: plain and gzip parse the same, counts add up, intact records all kept, run agrees', async (seed) => {
    const file = fuzzedFile(type, 2000, seed, 0.35);
    const { plain, gz, input } = await writeFuzzed(dir, type, `seed-${seed}`, file);
    const [fromPlain, fromGz] = await Promise.all([
      cliParse(type, plain, join(dir, `${type}-${seed}-plain.jsonl`)),
      cliParse(type, gz, join(dir, `${type}-${seed}-gz.jsonl`)),
    ]);
    expect(fromGz).toEqual(fromPlain);
    expect(fromPlain.code).toBe(0);
    expect(fromPlain.records.length + fromPlain.rejected + fromPlain.skipped).toBe(file.records);
    expect(missingFrom(fromPlain.records, expectedIntact(type, file))).toEqual([]);
    if (seed === 2) {
      const run = await cliRun(type, input, join(dir, `${type}-${seed}-out`), file);
      expect(run).toMatchObject({
        code: 0,
        rowsWritten: 2 * fromPlain.records.length,
        rejected: 2 * fromPlain.rejected,
        deadLetterLines: 2 * fromPlain.rejected,
      });
    }
  });

  it('truncated gzip: parse and run keep what zlib recovers and reject the cut record once', async () => {
    const file = fuzzedFile(type, 2000, 5, 0.1);
    const gz = gzipSync(file.bytes);
    const truncated = gz.subarray(0, Math.floor(gz.length * 0.55));
    const recovered = gunzipSync(truncated, { finishFlush: constants.Z_SYNC_FLUSH });
    // The reference: what zlib recovers, cut after its last complete line (CloudTrail: all of it, a document is one line).
    const lastLineEnd = recovered.lastIndexOf(10);
    const whole = type === 'cloudtrail' ? recovered : recovered.subarray(0, lastLineEnd + 1);
    const cut = whole.length < recovered.length ? 1 : 0;
    const input = join(dir, type, 'truncated');
    await mkdir(input, { recursive: true });
    const extension = GENERATORS[type].extension;
    await writeFile(join(input, `cut.${extension}.gz`), truncated);
    await writeFile(join(dir, type, `reference.${extension}`), whole);
    const reference = await cliParse(type, join(dir, type, `reference.${extension}`), join(dir, `${type}-reference.jsonl`));
    const fromGz = await cliParse(type, join(input, `cut.${extension}.gz`), join(dir, `${type}-cut.jsonl`));
    expect(fromGz.code).toBe(0);
    expect(fromGz.records).toEqual(reference.records);
    expect(fromGz.rejected).toBe(reference.rejected + cut);
    expect(fromGz.deadLetters.at(-1)!.reason).toMatch(/gzip data is damaged at compressed byte \d+/);
    const run = await cliRun(type, input, join(dir, `${type}-cut-out`), file);
    expect(run).toMatchObject({ code: 0, rowsWritten: fromGz.records.length, rejected: fromGz.rejected, deadLetterLines: fromGz.rejected });
  });

  it('gzip with trailing garbage: every record kept, the damage reported once', async () => {
    const file = fuzzedFile(type, 2000, 6, 0.1);
    const input = join(dir, type, 'garbage');
    await mkdir(input, { recursive: true });
    const extension = GENERATORS[type].extension;
    await writeFile(join(input, `g.${extension}.gz`), Buffer.concat([gzipSync(file.bytes), Buffer.from('not gzip at all\n')]));
    await writeFile(join(dir, type, `g.${extension}`), file.bytes);
    const reference = await cliParse(type, join(dir, type, `g.${extension}`), join(dir, `${type}-g-ref.jsonl`));
    const fromGz = await cliParse(type, join(input, `g.${extension}.gz`), join(dir, `${type}-g.jsonl`));
    expect(fromGz.records).toEqual(reference.records);
    expect(fromGz.rejected).toBe(reference.rejected + 1);
  });
});
