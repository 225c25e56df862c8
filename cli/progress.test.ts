import { describeProgress, formatBytes, formatDuration } from './progress.js';

describe('describeProgress', () => {
  it('shows files, bytes, records per second, rejects and an ETA from the bytes still to read', () => {
    const line = describeProgress({
      splitsDone: 2,
      splitsTotal: 8,
      bytesRead: 25 * 1024 * 1024,
      bytesTotal: 100 * 1024 * 1024,
      elementsRead: 50_000,
      rejected: 3,
      elapsedMs: 10_000,
      stage: 'read',
    });
    expect(line).toBe('files 2/8  25.0 MB/100 MB  5,000 rec/s  rejects 3  ETA 0:30');
  });

  it('names the stage instead of an ETA once reading is over', () => {
    expect(
      describeProgress({
        splitsDone: 8,
        splitsTotal: 8,
        bytesRead: 10,
        bytesTotal: 10,
        elementsRead: 0,
        rejected: 0,
        elapsedMs: 0,
        stage: 'commit',
      }),
    ).toBe('files 8/8  10 B/10 B  0 rec/s  rejects 0  commit');
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1536, '1.5 KB'],
    [5 * 1024 ** 3, '5.0 GB'],
  ])('formats %d bytes as %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));
});

describe('formatDuration', () => {
  it('uses m:ss below an hour and h:mm:ss above', () => {
    expect(formatDuration(65_000)).toBe('1:05');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
  });
});
