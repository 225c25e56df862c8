/**
 * @module cli/progress
 * Progress of a run on stderr: on a terminal one line rewritten in place (files, bytes, records/s, rejects,
 * ETA from bytes read so far), elsewhere (CI logs, pipes) a plain line every `intervalMs`.
 */
import type { Progress } from '../runners/direct/run-context.js';

/** `1.5 MB`, `312 B` (powers of 1024). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}

/** `1:02:03` or `2:05` from milliseconds. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** One progress line (no line break). */
export function describeProgress(progress: Progress): string {
  const seconds = progress.elapsedMs / 1000;
  const rate = seconds > 0 ? Math.round(progress.elementsRead / seconds) : 0;
  const parts = [
    // A portable run does not know how many files its harnesses will list (splitsTotal 0).
    progress.splitsTotal > 0 || progress.splitsDone === 0
      ? `files ${progress.splitsDone}/${progress.splitsTotal}`
      : `files ${progress.splitsDone}`,
    progress.bytesTotal > 0 ? `${formatBytes(progress.bytesRead)}/${formatBytes(progress.bytesTotal)}` : formatBytes(progress.bytesRead),
    `${rate.toLocaleString('en-US')} rec/s`,
    `rejects ${progress.rejected}`,
  ];
  if (progress.stage !== 'read') parts.push(progress.stage);
  else if (progress.bytesTotal > 0 && progress.bytesRead > 0)
    parts.push(`ETA ${formatDuration((progress.elapsedMs * (progress.bytesTotal - progress.bytesRead)) / progress.bytesRead)}`);
  return parts.join('  ');
}

/** A progress display for `runDirect`'s `onProgress`; call `done()` before printing the summary. */
export function createProgressDisplay(
  stream: NodeJS.WriteStream,
  options: { intervalMs?: number } = {},
): { onProgress: (progress: Progress) => void; done: () => void } {
  const interactive = stream.isTTY === true;
  const intervalMs = options.intervalMs ?? (interactive ? 200 : 10_000);
  // A terminal shows the first snapshot at once; a log gets its first line only after a full interval.
  let last = interactive ? -Infinity : performance.now();
  let drawn = false;
  return {
    onProgress(progress) {
      const now = performance.now();
      if (now - last < intervalMs && (progress.stage === 'read' || !interactive)) return;
      last = now;
      const line = describeProgress(progress);
      if (interactive) {
        stream.write(`\r\x1b[2K${line.slice(0, Math.max(20, (stream.columns ?? 100) - 1))}`);
        drawn = true;
      } else {
        stream.write(`progress: ${line}\n`);
      }
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}
