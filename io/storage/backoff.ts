/**
 * @module storage/backoff
 * Exponential backoff with jitter for retries the AWS SDK does not make itself (resuming a broken download):
 * the n-th wait is a random time between half and all of `base * 2^(n-1)`, capped, so clients that failed
 * together do not retry together.
 */

/** How often and how patiently to retry. */
export interface RetryPolicy {
  /** Attempts in all, including the first. */
  readonly attempts: number;
  /** The first wait's upper bound, ms. */
  readonly baseDelayMs: number;
  /** No wait is longer than this, ms. */
  readonly maxDelayMs: number;
}

/** The wait before attempt `failedAttempts + 1`, ms. */
export function backoffDelayMs(policy: RetryPolicy, failedAttempts: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failedAttempts - 1));
  return ceiling / 2 + random() * (ceiling / 2);
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
