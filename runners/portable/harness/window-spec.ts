/**
 * @module portable/harness/window-spec
 * Reads Beam's standard window functions (from a WindowInto payload) back into logbeam's WindowSpec.
 */
import type { WindowSpec } from '../../../core/window.js';
import type { BeamProtos } from '../beam-protos.js';

function micros(duration: { seconds?: number; nanos?: number } | undefined): number {
  return (duration?.seconds ?? 0) * 1_000_000 + Math.floor((duration?.nanos ?? 0) / 1000);
}

/** Reads Beam's standard window functions back into logbeam's WindowSpec. */
export function windowSpecOf(fn: { urn: string; payload: Buffer }, protos: BeamProtos): WindowSpec {
  switch (fn.urn) {
    case 'beam:window_fn:global_windows:v1':
      return { kind: 'global' };
    case 'beam:window_fn:fixed_windows:v1': {
      const p = protos.decode<{ size: { seconds: number; nanos: number }; offset: { seconds: number; nanos: number } }>(
        'pipeline.v1.FixedWindowsPayload',
        fn.payload,
      );
      return { kind: 'fixed', sizeMicros: micros(p.size), offsetMicros: micros(p.offset) };
    }
    case 'beam:window_fn:sliding_windows:v1': {
      const p = protos.decode<{
        size: { seconds: number; nanos: number };
        period: { seconds: number; nanos: number };
        offset: { seconds: number; nanos: number };
      }>('pipeline.v1.SlidingWindowsPayload', fn.payload);
      return { kind: 'sliding', sizeMicros: micros(p.size), periodMicros: micros(p.period), offsetMicros: micros(p.offset) };
    }
    case 'beam:window_fn:session_windows:v1': {
      const p = protos.decode<{ gap_size: { seconds: number; nanos: number } }>('pipeline.v1.SessionWindowsPayload', fn.payload);
      return { kind: 'sessions', gapMicros: micros(p.gap_size) };
    }
    default:
      throw new Error(`window function ${fn.urn} is not supported by the logbeam SDK harness`);
  }
}
