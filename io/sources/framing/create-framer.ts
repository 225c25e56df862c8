/**
 * @module sources/framing/create-framer
 * The framer for a format's `framing`, chosen once per file.
 */
import type { Framing } from '../../formats/types.js';
import { csvRecordFramer } from './csv-record-framer.js';
import type { FrameReceiver, Framer, FramerOptions } from './framer.js';
import { jsonRecordsFramer } from './json-records-framer.js';
import { lineFramer } from './line-framer.js';

/** @example createFramer('lines', receiver, { maxRecordBytes: 1 << 20 }) */
export function createFramer(framing: Framing, receiver: FrameReceiver, options?: FramerOptions): Framer {
  switch (framing) {
    case 'lines':
      return lineFramer(receiver, options);
    case 'csv-records':
      return csvRecordFramer(receiver, options);
    case 'json-records':
      return jsonRecordsFramer(receiver, options);
    default:
      throw new Error(`unknown framing "${String(framing)}"; expected lines, csv-records or json-records`);
  }
}
