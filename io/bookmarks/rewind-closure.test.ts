import { describe, expect, it } from '@jest/globals';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rewindBookmark, rewoundInputs } from './bookmark-admin.js';
import type { BookmarkDocument } from './bookmark-document.js';
import { loadBookmark, saveBookmark } from './bookmark-session.js';

const key = (day: string, name: string): string => `s3://logs/AWSLogs/1/elasticloadbalancing/us-east-1/2024/06/${day}/${name}.log.gz`;
const entry = (runId: string) => ({ sizeBytes: 1, runId, processedAt: '2024-06-04T00:00:00.000Z' });

describe('rewindBookmark closes over the partitions runs wrote to', () => {
  it('also forgets inputs whose run wrote to a partition a forgotten input wrote to, transitively, and names inputs without recorded partitions', async () => {
    const bookmark = join(await mkdtemp(join(tmpdir(), 'logbeam-closure-')), 'b.json');
    const document: BookmarkDocument = {
      version: 1,
      updatedAt: '2024-06-04T00:00:00.000Z',
      inputs: {
        [key('01', 'a')]: entry('r1'),
        [key('01', 'e')]: entry('r4'),
        [key('02', 'b')]: entry('r2'),
        [key('03', 'c')]: entry('r3'),
        [key('01', 'd')]: entry('r0'),
      },
      runs: {
        r1: { partitions: ['s3://out/alb/day=01', 's3://out/alb/day=02'] },
        r4: { partitions: ['s3://out/alb/day=00', 's3://out/alb/day=01', 's3://out/dead/'] },
        r2: { partitions: ['s3://out/alb/day=02', 's3://out/dead/'] },
        r3: { partitions: ['s3://out/alb/day=03'] },
      },
    };
    await saveBookmark(bookmark, document);
    const result = await rewindBookmark(bookmark, { removeInputsAfter: '2024-06-02' });
    // b (day 02) by its key; a because r1 wrote day=02; e because r4 wrote day=01 as r1 did (not because both
    // wrote the unpartitioned dead letters); c has its own partition.
    expect(result.removed).toEqual([key('01', 'a'), key('01', 'e'), key('02', 'b'), key('03', 'c')]);
    expect(result.sharingPartitions).toEqual([key('01', 'a'), key('01', 'e')]);
    expect(result.unknownPartitions).toEqual([key('01', 'd')]);
    const after = await loadBookmark(bookmark);
    expect(Object.keys(after.inputs)).toEqual([key('01', 'd')]);
    expect(after.runs).toBeUndefined();
    expect(Object.keys(await rewoundInputs(bookmark)).sort()).toEqual(result.removed);
  });
});
