/**
 * The core-model benchmark pipeline: synthetic log lines generated lazily per split (so input size does not
 * cost memory) -> parse-like map -> filter -> fixed 1-hour windows -> sum of bytes per key.
 */
import { definePipeline } from '../core/define-pipeline.js';
import { kv } from '../core/kv.js';
import type { BoundedSource, Split, SourceEmitter } from '../core/source.js';
import { fixedWindows } from '../core/window.js';
import { MICROS_PER_SECOND } from '../core/time.js';
import { sum } from '../transforms/combiners.js';
import { filter, map } from '../transforms/map.js';
import { read } from '../transforms/read.js';
import { assignTimestamps, windowInto } from '../transforms/window-into.js';
import { collect } from '../test/testing.js';

export const BENCH_START_SECONDS = 1_700_000_000;
const USERS = 1000;

/** Line i: `<epochSeconds> user<k> <status> <bytes>`; deterministic in i. */
export function syntheticLine(i: number): string {
  const seconds = BENCH_START_SECONDS + Math.floor(i / 50);
  const user = (i * 7919) % USERS;
  const status = i % 17 === 0 ? 500 : 200;
  const bytes = (i * 2654435761) % 100_000;
  return `${seconds} user${user} ${status} ${bytes}`;
}

export interface ParsedLine {
  readonly time: number;
  readonly user: string;
  readonly status: number;
  readonly bytes: number;
}

/** The parse step of the benchmark (also used by the plain-loop ceiling). */
export function parseLine(line: string): ParsedLine {
  const a = line.indexOf(' ');
  const b = line.indexOf(' ', a + 1);
  const c = line.indexOf(' ', b + 1);
  return { time: Number(line.slice(0, a)) * MICROS_PER_SECOND, user: line.slice(a + 1, b), status: Number(line.slice(b + 1, c)), bytes: Number(line.slice(c + 1)) };
}

class SyntheticLines implements BoundedSource<string> {
  readonly description: string;

  constructor(
    private readonly total: number,
    private readonly splits: number,
  ) {
    this.description = `synthetic(${total} lines)`;
  }

  async listSplits(): Promise<readonly Split[]> {
    const size = Math.ceil(this.total / this.splits);
    const out: Split[] = [];
    for (let start = 0; start < this.total; start += size) out.push({ id: `lines@${start}`, sizeBytes: 0, spec: { start, end: Math.min(this.total, start + size) } });
    return out;
  }

  async readSplit(split: Split, emitter: SourceEmitter<string>): Promise<void> {
    const { start, end } = split.spec as { start: number; end: number };
    for (let i = start; i < end; i++) {
      emitter.emit(syntheticLine(i), 0);
      if ((i & 4095) === 4095) {
        const wait = emitter.checkpoint();
        if (wait !== undefined) await wait;
      }
    }
  }
}

export const coreModelBenchmark = definePipeline(import.meta.url, 'core-model-benchmark', (p, options: { elements: number; splits: number }) => {
  const parsed = p.apply(read(new SyntheticLines(options.elements, options.splits), { label: 'ReadSynthetic' })).apply(map(parseLine));
  const kept = parsed.apply(filter((r: ParsedLine) => r.status === 200, { label: 'OnlyOk' }));
  const sums = kept
    .apply(assignTimestamps((r: ParsedLine) => r.time))
    .apply(windowInto(fixedWindows(3_600_000)))
    .apply(map((r: ParsedLine) => kv(r.user, r.bytes), { label: 'KeyByUser' }))
    .apply(sum.perKey());
  return collect(sums);
});
