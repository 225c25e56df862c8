/**
 * @module cli/report/run-recorder
 * Records a run while it runs, for its report: per-step output counts over time from the runner's progress
 * callbacks (at most one sample per `intervalMs`, thinned to stay under MAX_SAMPLES), and the peak memory of
 * the process and of each worker thread.
 */
import { getHeapStatistics } from 'node:v8';
import type { Progress } from '../../runners/direct/run-context.js';
import { MAX_SAMPLES, type MemoryData, type ThroughputSample } from './run-data.js';

export class RunRecorder {
  private readonly samples: ThroughputSample[] = [];
  private minIntervalMs: number;
  private peakRssBytes = 0;
  private driverPeakHeapBytes = 0;
  private readonly workerPeaks: number[] = [];
  private readonly timer: NodeJS.Timeout;
  readonly startedAt = new Date();

  private readonly t0: number;

  /**
   * `labels`: the pipeline's step labels in step order (counts arrive keyed `label|tag`). Sample times come from
   * `now` (the recorder's own clock, started with the run), so every source of progress shares one time axis.
   */
  constructor(
    private readonly labels: readonly string[],
    intervalMs = 500,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.t0 = now();
    this.minIntervalMs = intervalMs;
    this.samples.push({ tMs: 0, stage: 'read', out: labels.map(() => 0) });
    this.sampleMemory();
    this.timer = setInterval(() => this.sampleMemory(), intervalMs);
    this.timer.unref();
  }

  /** Pass to the runner's `onProgress` (alongside the progress display). */
  readonly onProgress = (progress: Progress): void => {
    this.sampleMemory();
    for (const heap of progress.workerHeaps ?? [])
      this.workerPeaks[heap.worker] = Math.max(this.workerPeaks[heap.worker] ?? 0, heap.peakHeapUsedBytes);
    if (progress.counts === undefined) return;
    const last = this.samples[this.samples.length - 1]!;
    const tMs = Math.round(this.now() - this.t0);
    if (tMs - last.tMs < this.minIntervalMs && progress.stage === last.stage) return;
    this.add({ tMs: Math.max(tMs, last.tMs), stage: progress.stage, out: this.outPerStep(progress.counts) });
  };

  /** Stops sampling; `final` (per-step outputs at the end, all tags) closes the series at `wallMs`. */
  finish(
    wallMs: number,
    final: readonly number[],
    workerPeakHeapBytes: readonly number[] = [],
  ): {
    samples: ThroughputSample[];
    memory: MemoryData;
  } {
    clearInterval(this.timer);
    this.sampleMemory();
    const last = this.samples[this.samples.length - 1]!;
    this.add({ tMs: Math.max(Math.round(wallMs), last.tMs), stage: 'done', out: [...final] });
    workerPeakHeapBytes.forEach((peak, worker) => {
      this.workerPeaks[worker] = Math.max(this.workerPeaks[worker] ?? 0, peak);
    });
    return {
      samples: [...this.samples],
      memory: {
        peakRssBytes: this.peakRssBytes,
        driverPeakHeapBytes: this.driverPeakHeapBytes,
        workerPeakHeapBytes: Array.from(this.workerPeaks, (peak) => peak ?? 0),
      },
    };
  }

  private add(sample: ThroughputSample): void {
    this.samples.push(sample);
    if (this.samples.length <= MAX_SAMPLES) return;
    // Keep the first and last, drop every other one in between, and sample half as often from now on.
    const kept = this.samples.filter((_, i) => i === 0 || i === this.samples.length - 1 || i % 2 === 0);
    this.samples.splice(0, this.samples.length, ...kept);
    this.minIntervalMs *= 2;
  }

  private outPerStep(counts: ReadonlyArray<readonly [string, number]>): number[] {
    const byLabel = new Map<string, number>();
    for (const [key, value] of counts) {
      const label = key.slice(0, key.lastIndexOf('|'));
      byLabel.set(label, (byLabel.get(label) ?? 0) + value);
    }
    return this.labels.map((label) => byLabel.get(label) ?? 0);
  }

  private sampleMemory(): void {
    this.peakRssBytes = Math.max(this.peakRssBytes, process.memoryUsage.rss());
    this.driverPeakHeapBytes = Math.max(this.driverPeakHeapBytes, getHeapStatistics().used_heap_size);
  }
}
