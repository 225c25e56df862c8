import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collect, runPipeline } from '../../test/testing.js';
import { statusCounts } from './status-counts.js';

const line = (time: string, status: string) =>
  `https ${time} app/my-lb/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 ${status} ${status} 34 366 "GET https://example.com:443/ HTTP/1.1" "curl/7.46.0" - - - "Root=1-58337281-1d84f3d73c47ec4e58577259" "-" "-" 0 ${time} "forward" "-" "-" "10.0.0.1:80" "200" "-" "-"`;

describe('statusCounts', () => {
  it('counts requests per hour and status class, sends the broken line to dead letters, on two workers', async () => {
    const input = mkdtempSync(join(tmpdir(), 'status-in-'));
    const output = join(mkdtempSync(join(tmpdir(), 'status-out-')), 'out');
    writeFileSync(
      join(input, 'a.log'),
      [line('2024-03-01T10:05:00.000000Z', '200'), line('2024-03-01T10:59:59.999999Z', '503'), 'truncated line'].join('\n'),
    );
    writeFileSync(
      join(input, 'b.log'),
      [line('2024-03-01T10:30:00.000000Z', '200'), line('2024-03-01T11:00:00.000000Z', '200')].join('\n'),
    );

    const { pipeline, outputs } = statusCounts.create({ input, output });
    const counts = collect(outputs.counts);
    const rejected = collect(outputs.deadLetter, 'Rejected');
    const result = await runPipeline(pipeline, { workers: 2 });

    const hour = (h: number) => Date.UTC(2024, 2, 1, h) * 1000;
    expect(counts.elements().map((e) => ({ ...e.value, hourStart: e.window.start }))).toEqualInAnyOrder([
      { key: '2xx', value: 2, hourStart: hour(10) },
      { key: '5xx', value: 1, hourStart: hour(10) },
      { key: '2xx', value: 1, hourStart: hour(11) },
    ]);
    expect(rejected.values()).toEqual([expect.objectContaining({ line: 3, raw: 'truncated line' })]);
    expect(result.rejected).toBe(1);
    const written = readdirSync(join(output, 'year=2024', 'month=03', 'day=01', 'hour=10')).filter((f) => f.endsWith('.jsonl'));
    const rows = written
      .flatMap((f) =>
        readFileSync(join(output, 'year=2024', 'month=03', 'day=01', 'hour=10', f), 'utf8')
          .trim()
          .split('\n'),
      )
      .map((l) => JSON.parse(l) as unknown);
    expect(rows).toEqualInAnyOrder([
      { status_class: '2xx', requests: 2 },
      { status_class: '5xx', requests: 1 },
    ]);
  });
});
