/**
 * @module cli/when-marker
 * `run --when-marker <uri>` (audit-csv): a run loads its batch only once the producer's completion marker
 * exists and has not been loaded yet (the bookmark records loaded markers in the same commit as the data).
 * Without the marker the run exits 75 (EX_TEMPFAIL, "try again later"); with a marker already loaded, 0.
 */
import { markerStatus, WAITING_FOR_MARKER_EXIT_CODE } from '../pipelines/audit-csv/marker.js';
import { EXIT } from './errors.js';
import type { PipelineOptionsFromFlags } from './run-options.js';

/** Why a run does not load now, or `undefined` when it should (or has no marker). */
export interface MarkerHold {
  readonly status: 'waiting' | 'done';
  readonly message: string;
  readonly exitCode: number;
}

/** Checks the marker the options name (`whenMarker`), if any. */
export async function markerGate(options: PipelineOptionsFromFlags): Promise<MarkerHold | undefined> {
  const marker = options['whenMarker'];
  if (typeof marker !== 'string') return undefined;
  const status = await markerStatus(marker, options.bookmark, options.s3);
  if (status === 'ready') return undefined;
  return status === 'waiting'
    ? {
        status,
        message: `logbeam: waiting for the completion marker ${marker}: it does not exist yet, nothing was loaded (exit ${WAITING_FOR_MARKER_EXIT_CODE}: try again later)`,
        exitCode: WAITING_FOR_MARKER_EXIT_CODE,
      }
    : {
        status,
        message: `the batch of marker ${marker} was already loaded (bookmark ${options.bookmark}); nothing to do`,
        exitCode: EXIT.ok,
      };
}
