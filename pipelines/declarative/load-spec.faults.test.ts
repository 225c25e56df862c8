/**
 * Growth checks for hostile pipeline files (issue 13 item 12): the time to load a file grows linearly with its
 * size. Ratios of CPU times, not wall-clock limits; long enough to belong to `npm run test:faults`.
 */
import { MAX_PIPELINE_BYTES, parseSpecText } from './load-spec.js';
import { InvalidSpecError } from './spec.js';

function problemsOf(text: string): readonly string[] {
  try {
    parseSpecText(text);
  } catch (error) {
    if (error instanceof InvalidSpecError) return error.problems;
    throw error;
  }
  return [];
}

/** A valid pipeline whose map_to_fields step has `n` fields, in one flow mapping (about 13 bytes a key). */
function manyFields(n: number): string {
  const keys = Array.from({ length: n }, (_, i) => `a${i}: type`).join(', ');
  return `steps:\n  - { type: read, config: { format: alb } }\n  - { type: map_to_fields, config: { fields: { ${keys} } } }\n  - { type: write, config: { format: jsonl } }\n`;
}

/**
 * The least CPU time (user + system, ms) of `runs` calls of `fn`: CPU time, not wall time, and the minimum, not
 * the median, so that other processes on a busy machine do not move the ratio.
 */
function minCpuMs(fn: () => void, runs: number): number {
  let least = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const start = process.cpuUsage();
    fn();
    const used = process.cpuUsage(start);
    least = Math.min(least, (used.user + used.system) / 1000);
  }
  return least;
}

describe('pipeline files load in time linear in their size', () => {
  it('many keys (was quadratic: 40,000 keys took 11 s)', () => {
    const small = manyFields(2_000);
    const large = manyFields(16_000);
    expect(large.length).toBeLessThan(MAX_PIPELINE_BYTES);
    expect(problemsOf(large)).toEqual([]);
    problemsOf(small); // warm up
    const ratio = minCpuMs(() => problemsOf(large), 5) / minCpuMs(() => problemsOf(small), 5);
    // 8x the keys: at most about 8x the time when linear, 64x when quadratic (the YAML library's own duplicate
    // check measured 22x on a loaded 2-core machine; this check measured 2x).
    expect(ratio).toBeLessThan(12);
  });

  it('a malformed flow mapping (a 10 MB one did not finish in 200 s)', () => {
    const flow = (bytes: number): string => `steps: [{ type: read, config: { ${'a: b, '.repeat(Math.floor(bytes / 6))}`;
    expect(problemsOf(flow(MAX_PIPELINE_BYTES - 100))[0]).toMatch(/^YAML: /);
    problemsOf(flow(MAX_PIPELINE_BYTES / 4)); // warm up
    const ratio =
      minCpuMs(() => problemsOf(flow(MAX_PIPELINE_BYTES - 100)), 5) / minCpuMs(() => problemsOf(flow(MAX_PIPELINE_BYTES / 4)), 5);
    expect(ratio).toBeLessThan(9);
  });
});
