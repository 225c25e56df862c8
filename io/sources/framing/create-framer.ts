/**
 * @module sources/framing/create-framer
 * The framer for a format's `framing`, chosen once per file. Line and CloudTrail framing also recognise
 * CloudWatch Logs subscription envelopes from the file's first bytes (see `envelope-detect.ts`).
 */
import type { Framing } from '../../formats/types.js';
import { cloudWatchEnvelopeFramer } from './cloudwatch-envelope-framer.js';
import { csvRecordFramer } from './csv-record-framer.js';
import { envelopeDetectingFramer } from './envelope-detect.js';
import type { FrameReceiver, Framer, FramerOptions } from './framer.js';
import { jsonRecordsFramer } from './json-records-framer.js';
import { lineFramer } from './line-framer.js';

/** @example createFramer('lines', receiver, { maxRecordBytes: 1 << 20 }) */
export function createFramer(framing: Framing, receiver: FrameReceiver, options?: FramerOptions): Framer {
  switch (framing) {
    case 'lines':
      return envelopeDetectingFramer(
        () => lineFramer(receiver, options),
        () => cloudWatchEnvelopeFramer(receiver, 'line', options),
        receiver,
        options,
      );
    case 'csv-records':
      if (options?.envelope !== undefined)
        throw new RangeError('CloudWatch Logs envelopes carry lines or CloudTrail events, not CSV records: drop the envelope option');
      return csvRecordFramer(receiver, options);
    case 'json-records':
      return envelopeDetectingFramer(
        () => jsonRecordsFramer(receiver, options),
        () => cloudWatchEnvelopeFramer(receiver, 'json', options),
        receiver,
        options,
      );
    default:
      throw new Error(`unknown framing "${String(framing)}"; expected lines, csv-records or json-records`);
  }
}
