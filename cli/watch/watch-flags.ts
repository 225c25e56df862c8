/**
 * @module cli/watch/watch-flags
 * The flags of `run --watch`: the cycle interval, the SQS queue of S3 event notifications, and how many
 * failed cycles in a row end the watch.
 */
import type { ParsedFlags } from '../flags.js';
import { UsageError } from '../errors.js';

/** Flags (for `parseArgs`) of watch mode. */
export const WATCH_FLAGS = {
  watch: { type: 'boolean' },
  interval: { type: 'string' },
  notifications: { type: 'string' },
  'sqs-endpoint': { type: 'string' },
  'max-failures': { type: 'string' },
  'visibility-timeout': { type: 'string' },
} as const;

export const WATCH_FLAGS_HELP = `Watch mode (needs --bookmark):
  --watch                      keep running: each cycle reads the input files that are new since the last
                               cycle (through the bookmark), commits them as one run, prints one summary line
                               (--json: one JSON object per line), then sleeps. SIGINT/SIGTERM during a cycle
                               let it finish and commit, then exit 0 (a second signal stops the cycle
                               uncommitted: exit 130/143); during the sleep they exit 0 at once. An empty
                               input is not an error in watch mode
  --interval <duration>        time between cycles: 500ms, 30s, 5m, 1h (default 60s; a bare number is seconds)
  --max-failures <n>           a failed cycle is retried after a backoff (the interval, doubled per failure,
                               at most 10 minutes); after n failed cycles in a row the watch exits with the
                               failure's exit code (default 3). Exit codes 3 and 4 (rejects) end it at once
  --notifications <sqs://queue>
                               read S3 event notifications (S3's own JSON, or wrapped by SNS) from an SQS queue
                               instead of listing the input: sqs://<queue name> or sqs://https://sqs.../queue.
                               Each cycle processes the objects the messages name (under --input only; others
                               are counted as ignored) and deletes the messages only after its commit
  --visibility-timeout <duration>
                               how long a received message stays hidden from other consumers while its batch
                               runs (default 5m; extended while the batch takes longer); after a crash, the
                               messages come back after this time
  --sqs-endpoint <url>         SQS endpoint for a queue given by name (default: AWS's; AWS_ENDPOINT_URL_SQS works)
  --when-marker <uri>          audit-csv: load only once this completion marker exists and was not loaded yet
                               (a single run exits 75 without it; a watch cycle waits for it)`;

/** Decoded watch flags. */
export interface WatchFlags {
  readonly intervalMs: number;
  readonly maxFailures: number;
  /** The queue: a URL, or a name to look up. */
  readonly queue?: { readonly url: string } | { readonly name: string };
  readonly sqsEndpoint?: string;
  /** Visibility timeout of received messages, in seconds. */
  readonly visibilitySeconds: number;
}

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `30s`, `5m`, `1h`, `500ms`, or a bare number of seconds, in ms; `undefined` when not a duration >= 100 ms. */
export function parseInterval(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (match === null) return undefined;
  const ms = Number(match[1]) * UNITS[match[2] ?? 's']!;
  return Number.isFinite(ms) && ms >= 100 && ms <= 24 * 3_600_000 ? Math.round(ms) : undefined;
}

/** `sqs://my-queue` or `sqs://https://sqs.us-east-1.amazonaws.com/123456789012/my-queue`. */
export function parseQueue(text: string): { url: string } | { name: string } | undefined {
  if (!text.startsWith('sqs://')) return undefined;
  const rest = text.slice('sqs://'.length);
  if (/^https?:\/\/[^\s/]+\/\S+$/.test(rest)) return { url: rest };
  return /^[A-Za-z0-9_-]{1,80}(\.fifo)?$/.test(rest) ? { name: rest } : undefined;
}

/** The watch flags of a `run` command line, or `undefined` without `--watch`; bad values are a UsageError. */
export function watchFlagsFrom(values: ParsedFlags['values']): WatchFlags | undefined {
  const raw = (name: string): string | undefined => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  if (values['watch'] !== true) {
    const stray = ['interval', 'notifications', 'sqs-endpoint', 'max-failures', 'visibility-timeout'].filter(
      (name) => values[name] !== undefined,
    );
    if (stray.length > 0) throw new UsageError(`${stray.map((name) => `--${name}`).join(', ')} only apply with --watch`, 'run');
    return undefined;
  }
  const problems: string[] = [];
  const interval = raw('interval') === undefined ? 60_000 : parseInterval(raw('interval')!);
  if (interval === undefined)
    problems.push(`--interval: expected a duration such as 30s, 5m or 1h (at least 100ms), got ${JSON.stringify(raw('interval'))}`);
  const failuresText = raw('max-failures');
  const maxFailures =
    failuresText === undefined ? 3 : /^\d+$/.test(failuresText) && Number(failuresText) >= 1 ? Number(failuresText) : undefined;
  if (maxFailures === undefined) problems.push(`--max-failures: expected a positive integer, got ${JSON.stringify(failuresText)}`);
  const notifications = raw('notifications');
  const queue = notifications === undefined ? undefined : parseQueue(notifications);
  if (notifications !== undefined && queue === undefined)
    problems.push(
      `--notifications: expected sqs://<queue name> or sqs://https://sqs.<region>.amazonaws.com/<account>/<queue>, got ${JSON.stringify(notifications)}`,
    );
  const visibilityText = raw('visibility-timeout');
  const visibilityMs = visibilityText === undefined ? 300_000 : parseInterval(visibilityText);
  if (visibilityMs === undefined || visibilityMs < 1000 || visibilityMs > 12 * 3_600_000)
    problems.push(`--visibility-timeout: expected a duration from 1s to 12h (SQS's limits), got ${JSON.stringify(visibilityText)}`);
  if (visibilityText !== undefined && notifications === undefined) problems.push('--visibility-timeout is only used with --notifications');
  const endpoint = raw('sqs-endpoint');
  if (endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(endpoint))
    problems.push(`--sqs-endpoint: expected an http:// or https:// URL, got ${JSON.stringify(endpoint)}`);
  if (endpoint !== undefined && notifications === undefined) problems.push('--sqs-endpoint is only used with --notifications');
  if (problems.length > 0) throw new UsageError(problems.join('\n'), 'run');
  return {
    intervalMs: interval!,
    maxFailures: maxFailures!,
    visibilitySeconds: Math.round((visibilityMs ?? 300_000) / 1000),
    ...(queue === undefined ? {} : { queue }),
    ...(endpoint === undefined ? {} : { sqsEndpoint: endpoint }),
  };
}
