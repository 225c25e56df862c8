/**
 * @module portable/harness/harness-thread-protocol
 * Messages between a worker pool and its harness threads (each thread hosts one or more SDK harnesses).
 */
import type { LiveReport } from '../live-counters.js';

/** Pool to thread. */
export type ToHarnessThread =
  | {
      readonly type: 'start';
      readonly harnessId: string;
      readonly workerId: string;
      readonly controlUrl: string;
      readonly loggingUrl?: string;
    }
  | { readonly type: 'stop'; readonly harnessId: string }
  /** The submitter of `runId` is gone: fail its bundles. */
  | { readonly type: 'abandon'; readonly runId: string }
  | { readonly type: 'close' };

/** Thread to pool. */
export type FromHarnessThread =
  | { readonly type: 'started'; readonly harnessId: string }
  | { readonly type: 'startFailed'; readonly harnessId: string; readonly error: string }
  | { readonly type: 'bundle'; readonly harnessId: string }
  /** A harness's in-flight counters for one run (live progress, see live-counters). */
  | { readonly type: 'live'; readonly report: LiveReport }
  | { readonly type: 'done'; readonly harnessId: string }
  | { readonly type: 'closed' };
