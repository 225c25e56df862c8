import { describe, expect, it } from '@jest/globals';
import type { RunResult } from '../core/metrics.js';
import { formatSummary, summarise } from './summary.js';

const result: RunResult = {
  runId: 'run-1',
  steps: [],
  bytesRead: 0,
  splitsRead: 0,
  skippedInputs: [],
  rejected: 0,
  commits: {},
  wallMs: 1234,
  workers: 0,
  spilledBytes: 0,
};

describe('the run summary', () => {
  it('counts the worker threads of a run in this process', () => {
    const summary = summarise('alb', { ...result, workers: 2 }, undefined);
    expect(formatSummary(summary).split('\n')[0]).toBe('Run run-1 of alb: done in 0:01 (1234 ms, 2 worker(s))');
    expect(summary).not.toHaveProperty('harnesses');
  });

  it('says where the harnesses ran instead of "0 worker(s)" when they ran on an external worker pool', () => {
    const summary = summarise('alb', { ...result, harnesses: 'on external worker pool 10.0.0.5:50000' }, undefined);
    expect(formatSummary(summary).split('\n')[0]).toBe(
      'Run run-1 of alb: done in 0:01 (1234 ms, harnesses on external worker pool 10.0.0.5:50000)',
    );
    expect(summary.harnesses).toBe('on external worker pool 10.0.0.5:50000');
  });
});
