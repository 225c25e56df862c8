/** Live progress of a portable job from its metrics: what the CLI shows while a job runs on an engine. */
import { describe, expect, test } from '@jest/globals';
import { describeProgress } from '../../cli/progress.js';
import { DEAD_LETTER_TAG } from '../../core/dead-letter.js';
import { albPipeline } from '../../pipelines/alb.js';
import { progressOf } from './job-progress.js';
import { BYTES_READ, counterInfo, producedName, SPLITS_READ } from './step-counters.js';
import { collectionId } from './translate.js';

describe('portable job progress', () => {
  const pipeline = albPipeline.create({ input: '/nowhere/alb', output: '/nowhere/out' }).pipeline;
  const route = pipeline.nodes.find((node) => node.label.endsWith('/Route'))!;
  const produced = (tag: string, value: number) =>
    counterInfo({ ptransform: route.label, name: producedName(collectionId(route.outputs.get(tag)!)), value });

  test('counts records read (accepted and rejected), rejects, files and bytes from the counters reported so far', () => {
    const metrics = {
      committed: [
        produced('main', 900),
        produced(DEAD_LETTER_TAG, 25),
        counterInfo({ ptransform: 'read', name: BYTES_READ, value: 123_456 }),
        counterInfo({ ptransform: 'read', name: SPLITS_READ, value: 3 }),
      ],
    };
    const progress = progressOf(pipeline, { metrics }, 5000);
    expect(progress).toMatchObject({
      splitsDone: 3,
      splitsTotal: 0,
      bytesRead: 123_456,
      elementsRead: 925,
      rejected: 25,
      stage: 'read',
      elapsedMs: 5000,
    });
    expect(new Map(progress.counts).get(`${route.label}|main`)).toBe(900);
    expect(describeProgress(progress)).toBe('files 3  121 KB  185 rec/s  rejects 25');
  });

  test('is all zero before the engine reports any counter', () => {
    const progress = progressOf(pipeline, {}, 1000);
    expect(progress).toMatchObject({ splitsDone: 0, bytesRead: 0, elementsRead: 0, rejected: 0 });
    expect(describeProgress(progress)).toBe('files 0/0  0 B  0 rec/s  rejects 0');
  });
});
