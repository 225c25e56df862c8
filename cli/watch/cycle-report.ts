/**
 * @module cli/watch/cycle-report
 * What one watch cycle did, as one line: text for people, or one JSON object per line (`--json`) for scripts.
 */
import type { RegisteredTable } from '../glue-register.js';
import { formatDuration } from '../progress.js';
import type { RunSummary } from '../summary.js';
import type { NotificationBatch } from './notification-batch.js';

export interface CycleReport {
  readonly cycle: number;
  readonly startedAt: string;
  readonly wallMs: number;
  /** `committed`: a run committed; `skipped`: nothing to do; `failed`: the run failed, nothing of it committed. */
  readonly status: 'committed' | 'skipped' | 'failed';
  readonly reason?: string;
  readonly summary?: RunSummary;
  readonly notifications?: NotificationBatch;
  readonly catalog?:
    | { readonly ok: true; readonly registered: readonly RegisteredTable[] }
    | { readonly ok: false; readonly message: string };
}

function notificationsText(batch: NotificationBatch): string {
  const ignored = Object.entries(batch.ignored);
  const parts = [`${batch.messages} message(s), ${batch.objects.length} object(s) of the input`];
  if (ignored.length > 0) parts.push(`ignored: ${ignored.map(([reason, count]) => `${count} ${reason}`).join(', ')}`);
  if (batch.malformed.length > 0) parts.push(`${batch.malformed.length} malformed (left on the queue)`);
  return parts.join('; ');
}

/** The cycle's line, ending in a line break. */
export function cycleLine(report: CycleReport, json: boolean): string {
  if (json) {
    const { notifications, summary, catalog, ...rest } = report;
    return `${JSON.stringify({
      ...rest,
      ...(summary === undefined ? {} : { summary }),
      ...(notifications === undefined
        ? {}
        : {
            notifications: {
              messages: notifications.messages,
              objects: notifications.objects.length,
              ignored: notifications.ignored,
              malformed: notifications.malformed,
            },
          }),
      ...(catalog === undefined
        ? {}
        : { catalog: catalog.ok ? { ok: true, registered: catalog.registered } : { ok: false, message: catalog.message.trim() } }),
    })}\n`;
  }
  const head = `cycle ${report.cycle} (${report.startedAt})`;
  const sqs = report.notifications === undefined ? '' : `; ${notificationsText(report.notifications)}`;
  const glue =
    report.catalog === undefined
      ? ''
      : report.catalog.ok
        ? `; glue: ${report.catalog.registered.map((table) => `${table.table} +${table.partitionsAdded} partition(s)`).join(', ')}`
        : '; glue: registration failed (see stderr)';
  if (report.status !== 'committed') return `${head}: ${report.status}: ${report.reason ?? ''}${sqs}${glue}\n`;
  const summary = report.summary!;
  const rows = summary.outputs.reduce((sum, output) => sum + output.rowsWritten, 0);
  const partitions = new Set(summary.outputs.flatMap((output) => output.partitions.map((partition) => `${output.location}/${partition}`)));
  return `${head}: committed ${summary.filesRead} file(s), ${summary.recordsRead} record(s), ${summary.rejected} rejected, ${rows} row(s) in ${partitions.size} partition(s), ${formatDuration(report.wallMs)}${sqs}${glue}\n`;
}
