/**
 * @module portable/harness/stall-watch
 * The harness's watchdog over its running bundles: a bundle whose progress measure (elements, bytes, data
 * messages in and out) has not changed for `warnAfterMs` is reported once, then again each further
 * `warnAfterMs`, so a hang shows what the harness waits for instead of passing in silence.
 */

import { positiveSetting } from './positive-setting.js';

/** Wait this long without progress before a bundle is reported (`LOGBEAM_HARNESS_STALL_WARN_MS` overrides). */
export const DEFAULT_STALL_WARN_MS = 60_000;

/** The stall warning delay from its setting (milliseconds; default `DEFAULT_STALL_WARN_MS`). */
export function stallWarnMs(setting: string | undefined): number {
  return positiveSetting('LOGBEAM_HARNESS_STALL_WARN_MS', setting, DEFAULT_STALL_WARN_MS, 'milliseconds');
}

interface Watched {
  progress: string;
  since: number;
  reported: number;
}

export class StallWatch {
  private readonly bundles = new Map<string, Watched>();

  constructor(readonly warnAfterMs: number) {}

  /**
   * Records a bundle's progress measure at `now`; returns how long (ms) it has made none when that is due to be
   * reported, else `undefined`.
   */
  observe(instructionId: string, progress: string, now: number): number | undefined {
    const watched = this.bundles.get(instructionId);
    if (watched === undefined || watched.progress !== progress) {
      this.bundles.set(instructionId, { progress, since: now, reported: 0 });
      return undefined;
    }
    const stalled = now - watched.since;
    const due = Math.floor(stalled / this.warnAfterMs);
    if (due <= watched.reported) return undefined;
    watched.reported = due;
    return stalled;
  }

  /** Forgets a bundle that ended. */
  forget(instructionId: string): void {
    this.bundles.delete(instructionId);
  }
}
