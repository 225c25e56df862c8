/**
 * Step counts from a job's metrics. A flatten whose output only GroupByKeys consume is run by Java engines
 * themselves (Flink, Spark), so no harness produces or receives its output: its count is its inputs' counts,
 * and the GroupByKey's elements in follow. A measured count always wins, so a loss an engine reports still shows.
 */
import { describe, expect, it } from '@jest/globals';
import { kv } from '../../core/kv.js';
import type { PCollection } from '../../core/pcollection.js';
import { Pipeline } from '../../core/pipeline.js';
import { countKey } from '../../execution/step-counts.js';
import { coGroupByKey } from '../../transforms/co-group-by-key.js';
import { create } from '../../transforms/create.js';
import { flattenAll } from '../../transforms/flatten.js';
import { map } from '../../transforms/map.js';
import { type JobMetricsResponse, jobCounts } from './job-metrics.js';
import { counterInfo, producedName, receivedName } from './step-counters.js';
import { collectionId } from './translate.js';

function keyed(p: Pipeline, label: string): PCollection<{ key: string; value: number }> {
  return p.apply(create([1, 2, 3], { label: `Create${label}` })).apply(map((i: number) => kv(`k${i}`, i), { label }));
}

/** The engine's committed metrics: each named collection's produced (or received) count, as harnesses report them. */
function committed(pipeline: Pipeline, counts: Record<string, number>, received: readonly string[] = []): JobMetricsResponse {
  const infos = Object.entries(counts).map(([label, value]) => {
    const node = pipeline.findNode(label)!;
    const id = collectionId(node.outputs.get('main')!);
    const name = received.includes(label) ? receivedName(id) : producedName(id);
    return counterInfo({ ptransform: label, name, value });
  });
  return { metrics: { committed: infos } };
}

function joinPipeline(): Pipeline {
  const p = Pipeline.create();
  p.applyTransform({ left: keyed(p, 'Left'), right: keyed(p, 'Right') }, coGroupByKey());
  return p;
}

describe('job counts of a runner-executed flatten', () => {
  it('count a flatten feeding only a GroupByKey, which no harness sees, as the sum of its inputs', () => {
    const p = joinPipeline();
    const response = committed(p, { 'CoGroupByKey/Tag(left)': 20_000, 'CoGroupByKey/Tag(right)': 720, 'CoGroupByKey/GroupByKey': 720 }, [
      'CoGroupByKey/GroupByKey',
    ]);
    const { counts } = jobCounts(p, response);
    expect(counts.get(countKey('CoGroupByKey/Flatten', 'main'))).toBe(20_720);
    expect(counts.get(countKey('CoGroupByKey/GroupByKey', 'main'))).toBe(720);
  });

  it('report what a harness measured for the flatten output, even when it differs from its inputs', () => {
    const p = joinPipeline();
    const response = committed(p, { 'CoGroupByKey/Tag(left)': 20_000, 'CoGroupByKey/Tag(right)': 720, 'CoGroupByKey/Flatten': 20_001 });
    expect(jobCounts(p, response).counts.get(countKey('CoGroupByKey/Flatten', 'main'))).toBe(20_001);
  });

  it('do not derive a flatten that an element-wise step consumes: a harness receives and counts its output', () => {
    const p = Pipeline.create();
    flattenAll([keyed(p, 'Left'), keyed(p, 'Right')]).apply(map((pair) => pair.value, { label: 'Values' }));
    const unreported = jobCounts(p, committed(p, { Left: 3, Right: 3 })).counts;
    expect(unreported.get(countKey('Flatten', 'main'))).toBe(0);
    const received = jobCounts(p, committed(p, { Left: 3, Right: 3, Flatten: 6 }, ['Flatten'])).counts;
    expect(received.get(countKey('Flatten', 'main'))).toBe(6);
  });
});
