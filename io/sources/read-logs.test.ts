import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Pipeline } from '../../core/pipeline.js';
import { isoToMicros } from '../../core/time.js';
import { collect, runPipeline } from '../../test/testing.js';
import { readTestLogs } from './fixtures/read-logs-pipelines.js';
import { testJsonFormat, testLinesFormat } from './fixtures/test-format.js';
import { readLogs, readLogsCounts } from './read-logs.js';
import { readTextLines, UnreadableLineError } from './read-text-lines.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logbeam-read-logs-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(name: string, body: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, body);
  return path;
}

describe('readLogs', () => {
  it('parses lines into records with event times and sends rejections and over-long lines to dead-letter', async () => {
    const path = await put(
      'mixed/a.log',
      `# header\n2024-01-01T00:00:01Z|one\r\nnot-a-time|x\n2024-01-01T00:00:02Z|${'y'.repeat(100)}\n\n2024-01-01T00:00:03Z|three`,
    );
    const p = Pipeline.create();
    const { records, deadLetter } = p.apply(readLogs(testLinesFormat, { input: path, maxLineBytes: 64 }));
    const recordsOut = collect(records, 'R');
    const deadOut = collect(deadLetter, 'D');
    const result = await runPipeline(p);
    expect(recordsOut.elements().map((e) => [e.value, e.timestamp])).toEqual([
      [{ time: '2024-01-01T00:00:01Z', value: 'one', line: 2 }, isoToMicros('2024-01-01T00:00:01Z')],
      [{ time: '2024-01-01T00:00:03Z', value: 'three', line: 6 }, isoToMicros('2024-01-01T00:00:03Z')],
    ]);
    expect(deadOut.values().map((d) => ({ ...d }))).toEqual([
      { step: 'ReadLogs(csv)', source: path, line: 3, reason: 'time: "not-a-time" is not an ISO-8601 instant', raw: 'not-a-time|x' },
      expect.objectContaining({ source: path, line: 4, reason: expect.stringMatching(/^line is longer than 64 bytes/) }),
    ]);
    expect(readLogsCounts(result)).toEqual({ records: 2, rejected: 2, skipped: 2 });
    expect(result.rejected).toBe(2);
  });

  it('detects gzip from the content, not the name, including multi-member gzip', async () => {
    const plain = await put('detect/plain.gz', '2024-01-01T00:00:00Z|plain\n');
    const multi = await put(
      'detect/multi.log',
      Buffer.concat([gzipSync('2024-01-01T00:00:00Z|m1\n2024-01-01T00:00:00Z|m'), gzipSync('2\n2024-01-01T00:00:00Z|m3\n')]),
    );
    const p = Pipeline.create();
    const out = collect(p.apply(readLogs(testLinesFormat, { input: [plain, multi] })).records);
    await runPipeline(p);
    expect(out.values().map((r) => r.value)).toEqual(['m1', 'm2', 'm3', 'plain']);
  });

  it('keeps the records before a truncated gzip file and dead-letters the damage', async () => {
    const whole = gzipSync(Array.from({ length: 2000 }, (_, i) => `2024-01-01T00:00:00Z|v${i}`).join('\n'));
    const path = await put('truncated/t.log.gz', whole.subarray(0, Math.floor(whole.length * 0.6)));
    const p = Pipeline.create();
    const { records, deadLetter } = p.apply(readLogs(testLinesFormat, { input: path }));
    const recordsOut = collect(records, 'R');
    const deadOut = collect(deadLetter, 'D');
    await runPipeline(p);
    expect(recordsOut.values().length).toBeGreaterThan(100);
    // The line the truncation cut is a dead letter (not parsed as if whole), naming where the damage is.
    expect(deadOut.values()).toEqual([
      expect.objectContaining({
        source: path,
        reason: expect.stringMatching(/^line \d+ is cut: gzip data is damaged at compressed byte \d+ \(zlib: unexpected end of file\)/),
      }),
    ]);
  });

  it('filters records by since/until and prunes AWS key days without reading them', async () => {
    const layout = 'AWSLogs/1/elasticloadbalancing/us-east-1';
    await put(`range/${layout}/2024/01/01/a.log`, '2024-01-01T10:00:00Z|day1\n');
    await put(`range/${layout}/2024/01/05/b.log`, '2024-01-05T10:00:00Z|in\n2024-01-06T00:00:00Z|after\n2024-01-04T23:59:59Z|before\n');
    await put(`range/${layout}/2024/01/09/c.log`, '2024-01-09T10:00:00Z|day9\n');
    await put('range/other/no-layout.log', '2024-01-05T11:00:00Z|kept-without-layout\n2024-03-01T00:00:00Z|outside\n');
    const p = Pipeline.create();
    const out = collect(
      p.apply(readLogs(testLinesFormat, { input: join(dir, 'range'), since: '2024-01-05', until: '2024-01-06' })).records,
    );
    const result = await runPipeline(p);
    expect(out.values().map((r) => r.value)).toEqual(['in', 'kept-without-layout']);
    expect(result.splitsRead).toBe(2);
    expect(readLogsCounts(result)).toEqual({ records: 2, rejected: 0, skipped: 3 });
  });

  it('streams CloudTrail-style Records documents and keeps what precedes damage', async () => {
    const good = await put(
      'json/good.json',
      JSON.stringify({ Records: [{ t: '2024-01-01T00:00:00Z', v: 1 }, { t: 'bad' }, { t: '2024-01-01T00:00:01Z', v: 2 }] }),
    );
    const cut = await put('json/cut.json.gz', gzipSync('{"Records":[{"t":"2024-01-01T00:00:02Z","v":3},{"t":"2024-'));
    const p = Pipeline.create();
    const { records, deadLetter } = p.apply(readLogs(testJsonFormat, { input: [good, cut] }));
    const recordsOut = collect(records, 'R');
    const deadOut = collect(deadLetter, 'D');
    const result = await runPipeline(p);
    expect(recordsOut.values().map((r) => [r.value, r.line])).toEqual([
      ['3', 1],
      ['1', 1],
      ['2', 3],
    ]);
    expect(deadOut.values().map((d) => [d.source, d.line, d.reason])).toEqual([
      [cut, 2, 'the file ends inside Records element 2 (truncated file?)'],
      [good, 2, 't: missing or not an ISO instant'],
    ]);
    expect(readLogsCounts(result)).toEqual({ records: 3, rejected: 2, skipped: 0 });
  });

  it.each([1, 2])('counts records + rejected + skipped = lines framed per run with %i worker(s)', async (workers) => {
    const lines: string[] = [];
    for (let i = 0; i < 500; i++)
      lines.push(i % 7 === 0 ? '# comment' : i % 11 === 0 ? `bad ${i}` : `2024-02-0${1 + (i % 3)}T00:00:00Z|v${i}`);
    const inputs = [
      await put(`count${workers}/a.log`, lines.slice(0, 250).join('\n')),
      await put(`count${workers}/b.log.gz`, gzipSync(lines.slice(250).join('\n'))),
    ];
    const { pipeline, outputs } = readTestLogs.create({ input: inputs, since: '2024-02-02' });
    const result = await runPipeline(pipeline, { workers });
    const counts = readLogsCounts(result);
    expect(counts.records + counts.rejected + counts.skipped).toBe(lines.length);
    const expectedRecords = lines.filter((l) => !l.startsWith('#') && !l.startsWith('bad') && !l.startsWith('2024-02-01'));
    expect(outputs.records.values().map((r) => `${r.time}|${r.value}`)).toEqualInAnyOrder(expectedRecords);
    expect(outputs.deadLetter.values().map((d) => d.raw)).toEqualInAnyOrder(lines.filter((l) => l.startsWith('bad')));
    expect(result.workers).toBe(workers);
  });

  it('fails fast on an input that does not exist and on an invalid since', () => {
    const p = Pipeline.create();
    expect(() => p.apply(readLogs(testLinesFormat, { input: 'x', since: 'yesterday' }))).toThrow(
      /since "yesterday" is not an ISO-8601 UTC instant/,
    );
    const q = Pipeline.create();
    collect(q.apply(readLogs(testLinesFormat, { input: join(dir, 'missing') })).records);
    return expect(runPipeline(q)).rejects.toThrow(/does not exist/);
  });
});

describe('readTextLines', () => {
  it('reads the lines of plain and gzip files matched by a glob', async () => {
    await put('glob/x/1.txt', 'a\nb\n');
    await put('glob/y/2.txt.gz', gzipSync('c\r\nd'));
    await put('glob/y/3.csv', 'ignored\n');
    const p = Pipeline.create();
    const out = collect(p.apply(readTextLines(join(dir, 'glob/**/*.{txt,txt.gz}'))));
    await runPipeline(p);
    expect(out.values()).toEqualInAnyOrder(['a', 'b', 'c', 'd']);
  });

  it('fails the run naming the file and line of an over-long line', async () => {
    const path = await put('long/l.txt', `ok\n${'z'.repeat(40)}\n`);
    const p = Pipeline.create();
    collect(p.apply(readTextLines(path, { maxLineBytes: 10 })));
    await expect(runPipeline(p)).rejects.toThrow(UnreadableLineError);
  });
});
