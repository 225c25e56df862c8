/**
 * @module cli/testing/alb-samples
 * What the ALB sample files hold, read straight from their gzip text (test helper, not production code), so
 * CLI tests can state their expectations without asking logbeam: request lines per day, and the one line of
 * the documentation sample that is truncated on purpose.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { REPO_ROOT } from './run-cli.js';

/** `samples/alb`. */
export const ALB_SAMPLES = join(REPO_ROOT, 'samples', 'alb');

/** The documentation sample's truncated line: its file name's end, line number and day. */
export const ALB_SAMPLE_TRUNCATED_LINE = { fileSuffix: '_docs.log.gz', line: 6, day: '2018-07-02' } as const;

/** Every file under `dir`, sorted. */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** Request lines per day in the ALB sample files, from the second field of each line (the response time). */
export async function sampleLinesPerDay(): Promise<Map<string, number>> {
  const perDay = new Map<string, number>();
  for (const file of await filesUnder(ALB_SAMPLES)) {
    for (const line of gunzipSync(await readFile(file))
      .toString('utf8')
      .split('\n')) {
      const time = line.split(' ')[1];
      if (time === undefined || !/^\d{4}-\d\d-\d\dT/.test(time)) continue;
      perDay.set(time.slice(0, 10), (perDay.get(time.slice(0, 10)) ?? 0) + 1);
    }
  }
  return perDay;
}

/** The rows per day a correct ALB run writes: every request line but the truncated one. */
export async function expectedAlbRowsPerDay(): Promise<Array<{ day: string; n: number }>> {
  return [...(await sampleLinesPerDay())].sort().map(([day, n]) => ({ day, n: day === ALB_SAMPLE_TRUNCATED_LINE.day ? n - 1 : n }));
}
